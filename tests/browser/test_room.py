"""The room in a real browser: an instructor's lesson 2 page (``?room=``) and two attendees'
pages (``?follow=``) on one Jupyter server. A Step on the instructor's page shows up on both
followers, phase by phase; a follower's Back leaves the other alone; Live catches up. A follower
of a room that does not exist says so in one line and keeps working, without Spark.
"""

from __future__ import annotations

import uuid

import pytest
from browser_pages import PAGE_TIMEOUT_MS, lesson_url, open_page
from test_lesson_pages import app_of, click, readout, visible_errors, wait_idle, wait_readout

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSON = "02_distributed_gd"


def wait_same_readout(page, app, text: str) -> None:
    page.wait_for_function(
        "([app, text]) => { const r = app.querySelector('.stepper-readout');"
        " return r && r.innerText.trim() === text; }", arg=[app, text], timeout=60_000)


def live_flag(page) -> str:
    return page.get_attribute(".stepper-room-follow", "data-live")


@pytest.fixture(scope="module")
def room(browser, voila_url):
    name = "test-" + uuid.uuid4().hex[:8]
    lead = open_page(browser, lesson_url(voila_url, LESSON, f"room={name}"))
    lead.wait_for_selector(".stepper-room-lead[data-key]:not([data-key='…'])",
                           timeout=PAGE_TIMEOUT_MS)
    followers = [open_page(browser, lesson_url(voila_url, LESSON, f"follow={name}"))
                 for _ in range(2)]
    for page in followers:
        page.wait_for_selector(".stepper-room-follow", timeout=PAGE_TIMEOUT_MS)
    yield name, lead, followers
    for page in (lead, *followers):
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
