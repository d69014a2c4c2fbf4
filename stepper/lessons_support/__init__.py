"""What the lesson pages (``lessons/*.ipynb``, served by Voilà) are built from.

The notebooks stay thin: each cell calls one function of this package and displays the widget it
returns. Everything a page computes or draws lives here, where it is linted and tested.

* :mod:`~stepper.lessons_support.page`: error-safe callbacks, figure images, code cards, links;
* :mod:`~stepper.lessons_support.metrics`: accuracy, confusion matrix (checked against
  scikit-learn in the tests);
* :mod:`~stepper.lessons_support.index`: the index page;
* :mod:`~stepper.lessons_support.lab0`: lesson 0, Spark basics on the churn data;
* :mod:`~stepper.lessons_support.lab1`: lesson 1, gradient methods on one machine (numpy only,
  no Spark, so the page starts in a few seconds).
"""
