"""Fixtures for the image tests: build the images once per session, with a real engine.

Run them in their own pytest process, after the rest of the suite (``make test-image``; CI's
``.ci/run`` does, once podman is installed)::

    pytest -m image tests/image

They need root and a container engine (Docker, or podman as :mod:`engines` sets it up), take
minutes (a cold build of one image is about 5 to 9 minutes here), and are marked ``image``
automatically, so ``make test`` leaves them out. Without an engine every test is skipped with
the one-line reason (what is missing and how to get it): reported as not run, never as passed.

Fixtures
    ``engine``      the :class:`engines.Engine`, its storage the session's own (podman).
    ``attendee_image``  ``(tag, seconds)``: the attendee image built from the Dockerfile with
                    ``--no-cache``, once per session (a test that needs only this image does
                    not wait for the instructor's).
    ``images``      the attendee and instructor images: the instructor's built after the
                    attendee's, sharing the layers before the project's copy step (the Java and
                    pip install steps). Removed at the end of the session, with every container
                    the tests made.

The image tests drive JupyterLab in headless Chromium with the browser test's own steps
(``tests/browser/lab_exercise.py``), so that folder is put on ``sys.path`` here.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import Engine, EngineMissingError, Images, cleanup_podman, find_engine

IMAGE_DIR = Path(__file__).resolve().parent
ATTENDEE = "localhost/stepper-image-test:attendee"
INSTRUCTOR = "localhost/stepper-image-test:instructor"
TIMEOUT = 3600  # seconds for one test, with the builds when it is the first
sys.path.insert(0, str(IMAGE_DIR.parent / "browser"))  # lab_exercise, browser_pages


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/image with ``image`` (so ``-m "not image"`` skips it)."""
    for item in items:
        if IMAGE_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.image)
            # pytest-timeout counts the session's builds in the first test's setup
            item.add_marker(pytest.mark.timeout(TIMEOUT))


def cache_dir() -> Path:
    configured = os.environ.get("STEPPER_IMAGE_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "stepper/image-base"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    workdir = tmp_path_factory.mktemp("engine")
    try:
        found = find_engine(workdir, cache_dir(), os.environ.get("STEPPER_IMAGE_ENGINE"))
    except EngineMissingError as missing:
        pytest.skip(f"image tests not run: {missing}")
    try:
        yield found
    finally:
        if found.name == "podman":
            cleanup_podman(found)


@pytest.fixture(scope="session")
def build_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("build-logs")


@pytest.fixture(scope="session")
def attendee_image(engine: Engine, build_logs: Path) -> Iterator[tuple[str, float]]:
    """``(tag, seconds to build)``: the attendee image, built first and with ``--no-cache``."""
    start = time.monotonic()
    engine.build(ATTENDEE, include_solutions=False, no_cache=True,
                 log=build_logs / "attendee.log")
    seconds = time.monotonic() - start
    print(f"\nbuilt {ATTENDEE} in {seconds:.0f} s (no cache)")
    try:
        yield ATTENDEE, seconds
    finally:
        if engine.name == "docker":
            engine.run("rmi", "--force", ATTENDEE, check=False, timeout=300)


@pytest.fixture(scope="session")
def images(
    engine: Engine, attendee_image: tuple[str, float], build_logs: Path
) -> Iterator[Images]:
    seconds = {"attendee": attendee_image[1]}
    start = time.monotonic()
    engine.build(INSTRUCTOR, include_solutions=True, no_cache=False,
                 log=build_logs / "instructor.log")
    seconds["instructor"] = time.monotonic() - start
    print(f"\nbuilt {INSTRUCTOR} in {seconds['instructor']:.0f} s (sharing the layers before "
          f"the copy step)")
    try:
        yield Images(ATTENDEE, INSTRUCTOR, seconds)
    finally:
        if engine.name == "docker":
            engine.run("rmi", "--force", INSTRUCTOR, check=False, timeout=300)
