"""A French page shows no English: each lesson notebook's cells run headlessly with
``?lang=fr``, every text an attendee can see is collected (widget descriptions, tooltips,
options, HTML text and its titles, Markdown, matplotlib titles, axis labels, legends and
annotations), and none may be an English catalogue text that French says otherwise, nor contain
an English-only word (``french_detector``). The stepping app is walked phase by phase (on one
machine here; on Spark partitions in the test marked ``spark``), so that the diagrams' texts of
every phase are seen.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from french_detector import app_texts, english_in, html_texts, read_saved_figures, shown_texts

from stepper.pages import i18n

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_detector_finds_english():
    assert english_in(["Task timeline: the last task sets the pace"])
    assert english_in(["Spark is computing iteration 3…"])
    assert english_in(["Itération 2 · mise à jour", "dernière", "driver"]) == []


@pytest.fixture()
def french(monkeypatch):
    """``?lang=fr``, and every whole figure a page saves as PNG read for its texts."""
    monkeypatch.setenv("QUERY_STRING", "lang=fr")
    saved = read_saved_figures(monkeypatch)
    i18n.use_language("fr")
    yield saved
    i18n.use_language("en")


def walk_phases(app, steps: int) -> list[str]:
    """Step ``steps`` times (waiting for Spark when it computes), the texts of each position."""
    out = app_texts(app)
    for _ in range(steps):
        app.controls.step.click()
        app.wait(120)
        out += app_texts(app)
        out += [app.controls.status.value]
    return out


def run_notebook(name: str, finish: bool = False) -> list[str]:
    """The notebook's code cells (``page.finish()`` only with ``finish``: it starts Spark in
    lesson 2), each cell's value's texts, and every stepping app on the page walked through
    its recorded phases."""
    with open(os.path.join(ROOT, "lessons", f"{name}.ipynb")) as file:
        cells = [''.join(c["source"]) for c in json.load(file)["cells"]
                 if c["cell_type"] == "code"]
    namespace: dict = {}
    texts: list[str] = []
    displayed: list = []
    for source in cells:
        if "finish()" in source and not finish:
            continue
        *body, last = source.strip().splitlines()
        exec("\n".join(body), namespace)
        shown = eval(last.split("  #")[0], namespace)
        displayed.append(shown)
    page = namespace.get("page")  # the index has none
    for shown in displayed:  # after finish(): the sections it filled in
        texts += shown_texts(shown)
    apps = list(vars(page).values()) if page is not None else []
    apps += [getattr(value, "app", None) for value in apps]
    for value in apps:
        if hasattr(value, "player") and hasattr(value, "views"):
            texts += app_texts(value)
            if not value.source.can_compute:
                texts += walk_phases(value, 6)
    return texts


@pytest.mark.parametrize("notebook, finish", [("index", False), ("01_gradient_methods", True),
                                              ("02_distributed_gd", False)])
def test_a_french_lesson_shows_no_english(notebook, finish, french):
    texts = run_notebook(notebook, finish)
    assert len(texts) > 20
    assert english_in(texts + french) == []


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.parametrize("notebook", ["00_spark_basics", "02_distributed_gd"])
def test_a_french_lesson_run_on_spark_shows_no_english(notebook, french, sc):
    """The whole notebook, ``page.finish()`` included: Spark fills lesson 0's cards and runs
    two iterations of each of lesson 2's apps (the churn's confusion matrix, the runs' curves)."""
    texts = run_notebook(notebook, finish=True)
    assert len(texts) > 50
    assert english_in(texts + french) == []


def test_the_views_before_the_first_step_are_french(french, local_replay, data_2d):
    from stepper.pages.kit.app import LessonApp
    from stepper.pages.kit.data import optimum
    from stepper.pages.views import ConfusionView, ContourSpec
    from stepper.problems import Problem

    X, y = data_2d
    problem = Problem("logistic")
    app = LessonApp.replay(local_replay, views=("flow", "tree", "timeline", "loss", "contour",
                                                "boundary", ConfusionView(X, y)),
                           contour=ContourSpec(problem, X, y, optimum(problem, X, y)),
                           boundary=(X, y))
    bars = LessonApp.replay(local_replay, views=("gradients",), feature_names=["b", "x1", "x2"])
    texts = walk_phases(app, 3) + walk_phases(bars, 2)
    assert "Perte J(w) par itération" not in texts  # the lessons' own title is used
    assert any(re.fullmatch(r"k = 3   J = 0,\d{4}", t) for t in texts)  # a French decimal mark
    assert any("exactitude" in t for t in texts)
    assert english_in(texts + french) == []


@pytest.mark.spark
def test_every_phase_of_a_distributed_iteration_is_french(french, sc, data_2d):
    from stepper.algorithms import Settings
    from stepper.pages.kit.app import LessonApp
    from stepper.pages.kit.data import optimum
    from stepper.pages.kit.state_url import PageState
    from stepper.pages.lesson2_lab import make_stepper
    from stepper.pages.views import ContourSpec
    from stepper.problems import Problem

    X, y = data_2d
    problem = Problem("logistic")
    run = make_stepper(X, y, 8, problem, Settings(algorithm="gd", lr=1.0, depth=2), sc=sc)
    app = LessonApp.live(run, views=("flow", "gradients", "tree", "timeline", "loss"),
                         contour=ContourSpec(problem, X, y, optimum(problem, X, y)),
                         state=PageState(lang="fr"))
    texts = walk_phases(app, 14)  # broadcast, 8 maps, 2 reduce levels, update, the next one
    joined = " ".join(texts)
    for french_text in ("barrière à", "tâche 1", "niveau 1", "dernière",
                        "Chronologie des tâches", "La partition 3 somme"):
        assert french_text in joined
    assert english_in(texts + french) == []


def test_engine_errors_are_said_in_french(french):
    from stepper.algorithms import Settings
    from stepper.errors import ConfigError, DivergenceError
    from stepper.pages.kit.errors import attendee_line

    with pytest.raises(ConfigError) as bad_rule:
        Settings(algorithm="momentum", lr="armijo")
    with pytest.raises(ConfigError) as bad_number:
        Settings(lr=-1.0)
    lines = [attendee_line(bad_rule.value), attendee_line(bad_number.value),
             attendee_line(DivergenceError("the partition's gradient", 4, partition=2)),
             attendee_line(DivergenceError("the objective", 5))]
    assert "pas d'apprentissage 'armijo' non valide pour momentum" in lines[0]
    assert "-1.0" in lines[1] and "le gradient de la partition" in lines[2]
    assert "l'objectif sur le driver" in lines[3]
    assert english_in(lines) == []
    assert "is not valid" in str(bad_rule.value)  # the engine's own line stays English


def test_a_bad_address_setting_is_said_in_french(french):
    from stepper.pages import lesson2_lab
    from stepper.pages.kit.state_url import read_state

    state = read_state("lang=fr&partitions=zero&algorithm=momentum&lr=armijo")
    lesson2_lab.settings_from_state(state, algorithm="gd", lr="1/L", partitions=8)
    assert len(state.problems) == 2
    assert english_in(state.problems) == []


def test_spark_going_away_is_said_in_french(french):
    from py4j.protocol import Py4JNetworkError

    from stepper.pages.kit.errors import attendee_line

    line = attendee_line(Py4JNetworkError("Answer from Java side is empty"))
    assert line == "la JVM de Spark s'est arrêtée ou ne répond plus"


def test_the_status_line_while_spark_starts_is_french_and_counts_seconds(french,
                                                                          starting_app):
    """The player's and the app's notices come from the catalogue; the seconds still tick
    after a French notice of a wait, and a Step pressed meanwhile says it is queued."""
    app, gate = starting_app
    status = app.controls.status
    assert "Démarrage de Spark et chargement des données" in status.value
    assert re.search(r'class="stepper-elapsed">\d+ s<', status.value), status.value
    assert app.player.step() == "queued"
    assert "Pas en attente : Spark démarre…" in status.value
    shown = [status.value]
    gate.set()
    app.wait(60)
    assert english_in(html_texts("".join(shown)) + french) == []
    assert "Lien vers cet état" in app.link.value
