"""The lesson pages: one kit, the views, and one module per lesson, all built the same way.

- :mod:`stepper.pages.kit`: one of each basic a page needs: the stepping app and its player,
  control bar, style, state carried by the address, error box, widgets, figures, metrics and the
  lessons' data files.
- :mod:`stepper.pages.views`: the views linked to the current step (base, plots, diagrams).
- :mod:`stepper.pages.phases`: the phases of one iteration and their narration.
- :mod:`stepper.pages.catalog`: the words the pages use for the methods.
- ``lessonN.py``: lesson N's page class (``LessonNPage``), whose methods are the notebook's cells;
  ``lessonN_lab.py``: what that page computes and draws, without widgets (tested on its own).
- :mod:`stepper.pages.index`: the index page.

A lesson notebook stays a few lines: ``page = Lesson2Page()``, then one ``page.<section>()`` per
cell.
"""
