"""The room in a real browser: an instructor's lesson 2 page (``?room=``) and two attendees'
pages (``?follow=``) on one Jupyter server. A Step on the instructor's page shows up on both
followers, phase by phase; a follower's Back leaves the other alone; Live catches up. A follower
of a room that does not exist says so in one line and keeps working, without Spark.

Lesson 1 likewise: the explorer's Steps and a setting change (a new run) on the instructor's
page show up on the followers, whose settings follow; a question answered on a follower's page
is counted on the instructor's and revealed on every page.
"""

from __future__ import annotations

import uuid

import pytest
from browser_pages import PAGE_TIMEOUT_MS, lesson_url, open_page
from test_lesson_pages import app_of, click, readout, visible_errors, wait_idle, wait_readout

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSON = "02_distributed_gd"
LESSON1 = "01_gradient_methods"


def wait_same_readout(page, app, text: str) -> None:
    page.wait_for_function(
        "([app, text]) => { const r = app.querySelector('.stepper-readout');"
        " return r && r.innerText.trim() === text; }", arg=[app, text], timeout=60_000)


def live_flag(page) -> str:
    return page.get_attribute(".stepper-room-follow", "data-live")


def open_room(browser, voila_url, lesson: str, name: str, opened: list) -> tuple:
    """The instructor's page of ``lesson`` in room ``name`` (once it shows the room's key) and
    two followers' pages (once they show the room's bar); every page opened goes to
    ``opened``, so that the caller closes them even when one fails to show up."""
    lead = open_page(browser, lesson_url(voila_url, lesson, f"room={name}"))
    opened.append(lead)
    lead.wait_for_selector(".stepper-room-lead[data-key]:not([data-key='…'])",
                           timeout=PAGE_TIMEOUT_MS)
    followers = []
    for _ in range(2):
        followers.append(open_page(browser, lesson_url(voila_url, lesson, f"follow={name}")))
        opened.append(followers[-1])
    for page in followers:
        page.wait_for_selector(".stepper-room-follow", timeout=PAGE_TIMEOUT_MS)
    return lead, followers


@pytest.fixture(scope="module")
def room(browser, voila_url):
    name = "test-" + uuid.uuid4().hex[:8]
    opened: list = []
    lead, followers = open_room(browser, voila_url, LESSON, name, opened)
    yield name, lead, followers
    for page in opened:
        page.close()


def test_followers_follow_back_and_live(room):
    name, lead, (one, two) = room
    key = lead.get_attribute(".stepper-room-lead", "data-key")
    assert f"follow={name}" in lead.inner_text(".stepper-room-lead") and len(key) >= 4
    lead_app = app_of(lead)
    apps = [app_of(one), app_of(two)]
    wait_idle(lead, lead_app)
    click(lead_app, "step")
    wait_readout(lead, lead_app, "Iteration 1")
    # phase by phase: every Step of the instructor's shows up on both followers
    for _ in range(3):
        shown = readout(lead_app)
        for page, app in zip((one, two), apps, strict=True):
            wait_same_readout(page, app, shown)
        wait_idle(lead, lead_app)
        click(lead_app, "step")
        wait_readout(lead, lead_app, shown, present=False)
    shown = readout(lead_app)
    for page, app in zip((one, two), apps, strict=True):
        wait_same_readout(page, app, shown)
        assert live_flag(page) == "1"
    # one follower steps back: only that page leaves the instructor's position
    click(apps[0], "back")
    wait_readout(one, apps[0], shown, present=False)
    one.wait_for_selector(".stepper-room-follow[data-live='0']")
    explored = readout(apps[0])
    wait_idle(lead, lead_app)
    click(lead_app, "step")
    wait_readout(lead, lead_app, shown, present=False)
    latest = readout(lead_app)
    wait_same_readout(two, apps[1], latest)
    assert readout(apps[0]) == explored and live_flag(two) == "1"
    # Live catches up
    one.click(".stepper-room-live")
    wait_same_readout(one, apps[0], latest)
    one.wait_for_selector(".stepper-room-follow[data-live='1']")
    for page in (lead, one, two):
        assert visible_errors(page) == []
    # the followers never started Spark: their status never said so, and they show no Spark UI
    for page in (one, two):
        assert "Starting Spark" not in page.inner_text(".stepper-app")


def test_following_a_room_that_does_not_exist(browser, voila_url):
    page = open_page(browser, lesson_url(voila_url, LESSON, "follow=nobody-here"))
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.stepper-error')].some("
            "e => e.innerText.includes('there is no room'))", timeout=PAGE_TIMEOUT_MS)
        errors = [e for e in visible_errors(page) if "no room" in e]
        assert len(errors) == 1 and errors[0].count("\n") == 0
        app = app_of(page)
        click(app, "step")  # the page still works: nothing recorded, nothing to compute
        assert "Iteration 0" in readout(app)
    finally:
        page.close()


def chosen(page) -> str:
    """The algorithm the page's lesson 1 explorer shows (its first dropdown)."""
    return page.eval_on_selector(".stepper-lesson1 select",
                                 "s => s.options[s.selectedIndex].text")


def page_readout(page) -> str:
    return page.inner_text(".stepper-app .stepper-readout").strip()


def wait_page_text(page, selector: str, text: str, exact: bool = True) -> None:
    """Until the page's first ``selector`` says ``text`` (an app rebuilt replaces its
    elements: the page is asked again each time)."""
    page.wait_for_function(
        "([sel, text, exact]) => { const e = document.querySelector(sel);"
        " if (!e) return false; const t = e.innerText.trim();"
        " return exact ? t === text : t.includes(text); }",
        arg=[selector, text, exact], timeout=60_000)


READOUT = ".stepper-app .stepper-readout"
VERDICT = ".stepper-lesson1 > div:nth-child(2)"


def test_lesson1_in_the_room(browser, voila_url):
    name = "one-" + uuid.uuid4().hex[:8]
    opened: list = []
    try:
        lead, followers = open_room(browser, voila_url, LESSON1, name, opened)
        for page in followers:
            assert page.is_disabled(".stepper-lesson1 select")  # the instructor's settings
        for _ in range(2):
            click(app_of(lead), "step")
        wait_page_text(lead, READOUT, "Iteration 2", exact=False)
        shown = page_readout(lead)
        for page in followers:
            wait_page_text(page, READOUT, shown)
            assert live_flag(page) == "1"
        # a setting change: a new run on the instructor's page, rebuilt on the followers
        before = chosen(lead)
        lead.select_option(".stepper-lesson1 select", index=1)
        method = chosen(lead)
        assert method != before
        wait_page_text(lead, READOUT, "Iteration 0", exact=False)
        for page in followers:
            page.wait_for_function(
                "(m) => { const s = document.querySelector('.stepper-lesson1 select');"
                " return s && s.options[s.selectedIndex].text === m; }", arg=method,
                timeout=60_000)
            wait_page_text(page, READOUT, page_readout(lead))
        click(app_of(lead), "step")
        wait_page_text(lead, READOUT, "Iteration 1", exact=False)
        shown = page_readout(lead)
        verdict = lead.inner_text(VERDICT).strip()
        assert verdict
        for page in followers:
            wait_page_text(page, READOUT, shown)
            wait_page_text(page, VERDICT, verdict)
        # explore, then Live
        one, two = followers
        click(app_of(one), "back")
        one.wait_for_selector(".stepper-room-follow[data-live='0']")
        click(app_of(lead), "step")
        wait_page_text(lead, READOUT, "Iteration 2", exact=False)
        wait_page_text(two, READOUT, page_readout(lead))
        assert page_readout(one) != page_readout(lead)
        one.click(".stepper-room-live")
        wait_page_text(one, READOUT, page_readout(lead))
        one.wait_for_selector(".stepper-room-follow[data-live='1']")
        # a question: answered on one follower, counted on the instructor's page, revealed
        question = ".stepper-question-lesson1-condition"
        block = one.wait_for_selector(question, timeout=PAGE_TIMEOUT_MS)
        block.scroll_into_view_if_needed()
        block.query_selector("label:has-text('about 70')").click()
        block.query_selector("button:has-text('Commit')").click()
        wait_page_text(lead, question, "1 chose", exact=False)
        lead.click(f"{question} .stepper-room-reveal")
        for page in followers:
            page.wait_for_selector(f"{question} .stepper-question-result",
                                   timeout=PAGE_TIMEOUT_MS)
        verdicts = [page.get_attribute(f"{question} .stepper-question-result", "data-verdict")
                    for page in followers]
        assert verdicts[0] in ("right", "wrong") and verdicts[1] == "none"
        for page in (lead, *followers):
            assert visible_errors(page) == []
            assert "Traceback" not in page.inner_text("body")
    finally:
        for page in opened:
            page.close()
