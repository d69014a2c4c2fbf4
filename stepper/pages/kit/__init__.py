"""The lesson pages' kit: one control bar, views linked to the current step, presenter mode.

Quick start (what a lesson page class such as :class:`stepper.pages.lesson2.Lesson2Page` does)::

    from stepper.pages.kit.app import LessonApp
    from stepper.pages.kit.environment import in_voila
    from stepper.pages.kit.state_url import read_state
    from stepper.pages.views import ContourSpec

    state = read_state()                       # ?present=1&algorithm=...&lr=...&seed=...
    app = LessonApp.live(build_stepper,        # a Stepper, or a function that builds one
                         features=3, partitions=8, autostart=False,
                         views=("flow", "gradients", "tree", "timeline", "loss"),
                         contour=ContourSpec(problem, X, y, w_star),  # 2-D problems only
                         state=state)
    app                                        # last expression of the cell: displays it
    ...
    app.start()                                # last cell: Spark starts once the page is drawn
    if not in_voila():                         # run headlessly (nbclient): real iterations
        app.exercise(iterations=2)

    # A recorded run (no Spark): a Replay, a trace file, a list of IterationRecord, a local run
    from stepper.pages.kit.local_replay import replay_from_local
    path = run_local(problem, settings, X, y, steps=200)          # stepper.local.LocalPath
    app = LessonApp.replay(replay_from_local(path, problem, X, y), views=("loss", "contour"),
                           contour=ContourSpec(problem, X, y, w_star))

What each part is (each from its own module of ``stepper.pages.kit``; the views from
:mod:`stepper.pages.views`, the phases from :mod:`stepper.pages.phases`):

``LessonApp``
    The widget (``app.widget``; a ``LessonApp`` also displays itself). ``LessonApp.live(stepper,
    ...)`` drives a live :class:`~stepper.engine.Stepper`; ``LessonApp.replay(replay, ...)``
    drives a :class:`~stepper.engine.Replay` (or any list of ``IterationRecord``). Options:
    ``views`` (names below), ``contour`` (a :class:`ContourSpec`, 2-D weights), ``phases``
    (True: Step walks broadcast → map partition by partition → reduce level by level → update;
    False: one click = one iteration), ``settings`` (:class:`Setting` dropdowns whose
    ``apply(value)`` runs off the main thread, then the run continues from the current
    iteration), ``state`` (a :class:`PageState` from
    :func:`read_state`), ``link_settings`` (a function returning more settings for the
    "Link to this state", for a page whose settings live outside the app, like lesson 1's
    explorer), ``prefetch`` (default True: the next iteration is computed while the
    current one is shown, so Step is instant; a failure ahead is reported when Step reaches
    it). Views are names (below) or :class:`View` instances (e.g. ``ConfusionView(X, y)``, an
    ``ExtraView(fn)``, or your own subclass with ``key(frame)`` and ``draw(frame)``).
    ``app.show_error(text)`` shows a readable message; every callback is guarded the same way.
    ``app.run_in_background(fn)`` runs other Spark work as the player's only work;
    ``app.wait()`` waits for it; ``app.start()``/``app.exercise(n)`` as above.
``ControlBar``
    First, Back, Step, Play/Pause, Last, speed, scrub slider, Reset (same seed), New seed,
    Presenter toggle (the whole page follows, as with ``?present=1``), ? help; readout
    "Iteration k · map: partition 3 of 8". Keyboard (a small JavaScript snippet that clicks
    the buttons): ←/→ back/step, Space play/pause, Home/End first/last, R reset, ? help.
``Player``
    The logic behind the bar, without widgets (unit-testable): a view position (iteration,
    phase) over the recorded iterations; Step reveals the next phase or computes the next
    iteration on a background thread (never two at once, Play never queues); a Step pressed
    while Spark starts (or other page work runs) is queued and runs once it is done; Back,
    First, Last and seek only read recorded iterations.
``phases_of(record)`` / ``readout_text(position, record)``
    The phases of one recorded iteration (broadcast, map p of P, reduce level l, update) with a
    one-line narration each.
``LiveSource`` / ``RecordedSource``
    What a Player drives: a Stepper (or a function building one), or recorded iterations.
``replay_from_local(path, problem, X, y)``
    A :class:`~stepper.engine.Replay` built from :func:`stepper.local.run_local`'s ``LocalPath``
    (weights, objective, gradient norm and step of every iteration), so lesson 1 uses the same
    control bar for a run on one machine.
``HeavyPart`` (:mod:`stepper.pages.kit.heavy_part`)
    A page's heavy part (a sweep, a demo, a comparison): Run (and Stop), a progress bar and
    line, an error box, the result's text and figure; ``compute(progress, stop, **options)`` on
    a thread of its own, one part at a time with a shared ``busy`` lock, bad options one line
    and nothing started, the result published on a room's instructor page and drawn on the
    followers' (``follow_room``). Lessons 3 and 4 build theirs with it (``page.parts``)::

        part = HeavyPart("sweep", compute, draw, run_label=text("lesson3.sweep.run"),
                         options=read_inputs, publish=room_publisher(room), follows=follows)
        part.widget                            # shown in the page
        part.start(); part.wait(); part.result
``read_state`` / ``state_query`` / ``PageState``
    Page settings carried by the URL (``present``, ``algorithm``, ``lr``, ``partitions``,
    ``depth``, ``seed``, ``iteration``).

View names: ``"flow"`` (driver → broadcast → partitions → reduce → update, current phase
highlighted, one-line narration), ``"gradients"`` (arrows per partition on the contour for 2-D
weights, else bars per partition), ``"tree"`` (the reduce tree Spark built, partial sums),
``"timeline"`` (tasks per executor slot, the barrier), ``"loss"`` (J per iteration, cursor at
the current step), ``"contour"`` (the trajectory on the loss contour, 2-D only),
``"boundary"`` (the decision boundary on 2-D data).

Figures are PNG bytes swapped into ``ipywidgets.Image`` (or SVG into ``ipywidgets.HTML``): they
update in place, never with ``clear_output``.
"""
