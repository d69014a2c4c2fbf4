"""The grader's catalogues, one module per language other than English (see stepper.grade.say)."""
