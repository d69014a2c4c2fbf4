"""The workshop image, built from the Dockerfile and run by a real container engine.

- The attendee image holds no solution anywhere in its filesystem (searched block by block, not
  only at the known paths), nor the places they live: solutions/, exercise_sources/, the hidden
  tests, the wrong-answer fixtures, .git, a stray .venv. The instructor's image keeps them, and
  the same search finds every block there (so the search is shown to work).
- Run, the image serves the lessons on 8866, a lesson page's Spark starts inside the container
  with its UI on 4040, and every process in it runs as the non-root user.
- Run with a folder of the host mounted where the README's ``docker run`` puts it, an attendee
  answers Task 1.1 in JupyterLab (headless Chromium, the browser test's steps), reads the points
  and saves: the file in the host's folder holds the answer after the container is gone, and a
  new container on the same folder serves it as it was saved.
- docker-compose.yml brings up a master, two workers and the lessons server; an iteration of the
  engine (what the lesson pages run) computes on both workers; everything is torn down.

Host ports: 8950-8999 and 14040-14099 on 127.0.0.1 only (the machine is shared).
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_pages import launched_chromium
from engines import PIP_DIR, ROOT, Engine, Images
from lab_exercise import (
    NOTEBOOK,
    PLACEHOLDER,
    TASK_CELL,
    answer,
    answer_task_and_check,
    open_notebook,
    points,
    save,
    task_source,
    wait_saved,
)
from leaks import Scan, scan_tar, split_blocks

# Where the lesson pages may be served, tried in this order: by Voilà on its own (today), or by a
# Jupyter server with Voilà as an extension. The first that serves the index is used.
LESSONS_URLS = ("/voila/render/", "/voila/render/lessons/")
INDEX = "index.ipynb"
SPARK_LESSON = "00_spark_basics.ipynb"
# A Jupyter server asks for a token: the tests set one (JUPYTER_TOKEN) and send it in a header,
# which Voilà on its own ignores.
TOKEN = secrets.token_hex(16)
HEADERS = {"Authorization": f"token {TOKEN}"}
ERROR_MARKERS = ("Traceback (most recent call", "application/vnd.jupyter.error")
USER_ID = "1000"
APP = "home/stepper/app"
ANSWER_PATHS = ("solutions", "exercise_sources", "stepper/grade/hidden_tests",
                "tests/fixtures/submissions")


def free_port(first: int, last: int) -> int:
    """A port of 127.0.0.1 in [first, last] that nothing listens on now."""
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {first}-{last} on 127.0.0.1")


def fetch(url: str, timeout: float = 60) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def wait_for(url: str, seconds: float, accept: tuple[int, ...] = (200,)) -> str:
    """The body of ``url`` once it answers with an accepted status (polled, no timing claims)."""
    return wait_for_any([url], seconds, accept)[1]


def wait_for_any(
    urls: list[str], seconds: float, accept: tuple[int, ...] = (200,)
) -> tuple[str, str]:
    """``(url, body)`` of the first of ``urls`` to answer with an accepted status."""
    deadline = time.monotonic() + seconds
    last: dict[str, str] = {}
    while time.monotonic() < deadline:
        for url in urls:
            try:
                status, body = fetch(url, timeout=30)
            except (OSError, urllib.error.URLError) as error:
                last[url] = repr(error)
                continue
            if status in accept:
                return url, body
            last[url] = f"HTTP {status}"
        time.sleep(1)
    raise AssertionError(f"none of {urls} answered within {seconds:.0f} s: {last}")


def wait_for_applications(url: str, seconds: float) -> list:
    """The Spark UI's list of applications, once it answers one (polled)."""
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        body = wait_for(url, max(deadline - time.monotonic(), 1))
        try:
            apps = json.loads(body)
        except ValueError:
            apps = None
        if isinstance(apps, list) and apps:
            return apps
        time.sleep(1)
    raise AssertionError(f"{url} listed no application within {seconds:.0f} s: {body[:500]}")


def lessons_index(port: int, seconds: float = 300) -> tuple[str, str]:
    """``(prefix, index page)``: where this server serves the lesson pages."""
    urls = [f"http://127.0.0.1:{port}{prefix}{INDEX}" for prefix in LESSONS_URLS]
    url, body = wait_for_any(urls, seconds)
    # The page's content is widgets, filled in by the kernel over a websocket: the HTML itself
    # holds only the notebook's title and Voilà's page.
    assert "<title>index</title>" in body and "voila" in body.lower(), body[:2000]
    return url[: -len(INDEX)], body


def scan_image(engine: Engine, image: str, blocks: list) -> Scan:
    """Export a container of ``image`` (its whole filesystem) and search it."""
    name = f"stepper-image-scan-{image.rsplit(':', 1)[-1]}"
    engine.run("create", "--name", name, image, "true")
    try:
        export = subprocess.Popen([engine.command, "export", name], env=engine.env,
                                  stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        assert export.stdout is not None
        try:
            result = scan_tar(export.stdout, blocks)
        finally:
            export.stdout.close()
            assert export.wait(timeout=600) == 0, f"{engine.name} export {name} failed"
    finally:
        engine.run("rm", "--force", name, check=False)
    return result


@pytest.fixture(scope="module")
def blocks() -> list:
    searched, toolkit = split_blocks(ROOT)
    assert len(searched) >= 10, "fewer solution blocks than expected in exercise_sources/"
    print(f"\n{len(searched)} solution blocks searched; {len(toolkit)} are the toolkit's own "
          f"code (not solutions): {[f'{b.source} {b.task}' for b in toolkit]}")
    return searched


def test_the_attendee_image_holds_no_solution_anywhere(
    engine: Engine, images: Images, blocks: list
) -> None:
    scan = scan_image(engine, images.attendee, blocks)
    assert scan.files > 10_000, f"only {scan.files} files exported: not a whole filesystem"
    assert scan.found == {}, f"solutions found in the attendee image: {scan.found}"
    paths = [path.strip("/") for path in scan.paths or []]
    leaked = [p for p in paths if any(p == f"{APP}/{a}" or p.startswith(f"{APP}/{a}/")
                                      for a in ANSWER_PATHS)]
    assert leaked == [], leaked[:20]
    parts = [set(p.split("/")) for p in paths]
    for name in (".git", ".venv", "exercise_sources", "hidden_tests"):
        holding = [p for p, names in zip(paths, parts, strict=True) if name in names]
        assert holding == [], f"{name} in the attendee image: {holding[:10]}"
    # The build-time mount of pip's settings and the host's CA bundle leaves nothing behind.
    inside = [p for p in paths if p.startswith(PIP_DIR.strip("/") + "/")]
    assert inside == [], inside
    print(f"searched {scan.files} files, {scan.bytes / 2**20:.0f} MiB")


def test_the_instructor_image_keeps_the_solutions_and_the_search_finds_them(
    engine: Engine, images: Images, blocks: list
) -> None:
    scan = scan_image(engine, images.instructor, blocks)
    paths = {path.strip("/") for path in scan.paths or []}
    for kept in ANSWER_PATHS:
        assert f"{APP}/{kept}" in paths, f"the instructor image lacks {kept}"
    missing = [f"{b.source} task {b.task}" for b in blocks
               if f"{b.source} task {b.task}" not in (scan.found or {})]
    assert missing == [], f"the search did not find these blocks in the instructor image: {missing}"


def container_uids(engine: Engine, name: str) -> dict[str, set[str]]:
    """For each process in the container: its command name and the set of its uids."""
    script = ("for d in /proc/[0-9]*; do printf '%s\\t' \"$(cat $d/comm 2>/dev/null)\"; "
              "awk '/^Uid:/ {print $2, $3, $4, $5}' $d/status 2>/dev/null; done")
    done = engine.run("exec", name, "sh", "-c", script, timeout=120)
    found: dict[str, set[str]] = {}
    for line in done.stdout.splitlines():
        command, _, uids = line.partition("\t")
        if uids.strip():
            found.setdefault(command, set()).update(uids.split())
    return found


def test_the_image_serves_the_lessons_and_starts_spark_as_the_non_root_user(
    engine: Engine, images: Images
) -> None:
    lessons_port, ui_port = free_port(8950, 8999), free_port(14040, 14099)
    name = "stepper-image-test-run"
    engine.run("run", "--detach", "--init", "--name", name, "--env", f"JUPYTER_TOKEN={TOKEN}",
               "--publish", f"127.0.0.1:{lessons_port}:8866",
               "--publish", f"127.0.0.1:{ui_port}:4040", images.attendee)
    try:
        prefix, _ = lessons_index(lessons_port)
        # Render the lesson whose page starts Spark; its UI answers while the kernel lives.
        page: dict[str, object] = {}

        def render() -> None:
            try:
                page["status"], page["body"] = fetch(prefix + SPARK_LESSON, timeout=600)
            except Exception as error:  # reported below
                page["error"] = error

        thread = threading.Thread(target=render, daemon=True)
        thread.start()
        # The UI answers "Spark is starting up…" (not JSON) until the application is ready.
        apps = wait_for_applications(f"http://127.0.0.1:{ui_port}/api/v1/applications", 600)
        assert apps[0]["name"], apps
        uids = container_uids(engine, name)
        java = [command for command in uids if command == "java"]
        assert java, f"no JVM in the container: {sorted(uids)}"
        thread.join(timeout=600)
        assert "error" not in page, page.get("error")
        assert page.get("status") == 200, page.get("status")
        body = str(page["body"])
        assert not [m for m in ERROR_MARKERS if m in body], body[-3000:]
        assert all(ids == {USER_ID} for ids in uids.values()), uids
        user = engine.run("inspect", "--format", "{{.Config.User}}", images.attendee)
        assert user.stdout.strip().split(":")[0] == USER_ID
    finally:
        logs = engine.run("logs", name, check=False, timeout=120)
        print(f"--- {name} logs (tail) ---\n{(logs.stdout + logs.stderr)[-3000:]}")
        engine.run("rm", "--force", name, check=False, timeout=300)  # podman and Docker alike


# -- the exercises in JupyterLab, the attendee's work in a folder of the host -----------------
WORK = f"/{APP}/work"  # where the README's `docker run -v "$PWD/alice:…"` mounts the folder


def start_lab(engine: Engine, image: str, name: str, folder: Path, port: int) -> str:
    """Run ``image`` as the README does, ``folder`` mounted at WORK: the server's address."""
    engine.run("run", "--detach", "--init", "--name", name, "--env", f"JUPYTER_TOKEN={TOKEN}",
               "--publish", f"127.0.0.1:{port}:8866", "--volume", f"{folder}:{WORK}", image)
    server = f"http://127.0.0.1:{port}"
    wait_for(f"{server}/api/status", 300)
    return server


def remove(engine: Engine, name: str) -> None:
    """Print the container's output (tail), remove it, and check that it is gone."""
    logs = engine.run("logs", name, check=False, timeout=120)
    print(f"--- {name} logs (tail) ---\n{(logs.stdout + logs.stderr)[-3000:]}")
    engine.run("rm", "--force", name, check=False, timeout=300)  # `--time` is podman's only
    left = engine.run("ps", "--all", "--quiet", "--filter", f"name=^{name}$", check=False)
    assert left.stdout.strip() == "", f"{name} is still there: {left.stdout}"


def test_an_attendee_answers_a_task_in_jupyterlab_and_the_work_outlives_the_container(
    engine: Engine, attendee_image: tuple[str, float], tmp_path: Path
) -> None:
    image = attendee_image[0]
    folder = tmp_path / "alice"
    folder.mkdir()
    folder.chmod(0o777)  # the README's `chmod a+rwx alice`: the container's user is uid 1000
    saved = folder / NOTEBOOK
    name = "stepper-image-test-lab"
    start = time.monotonic()
    try:
        server = start_lab(engine, image, name, folder, free_port(8950, 8999))
        up = time.monotonic() - start
        # At start the server copied the exercises into the attendee's folder.
        assert PLACEHOLDER in task_source(saved), task_source(saved)
        with launched_chromium() as browser:
            page = open_notebook(browser, server, f"work/{NOTEBOOK}", TOKEN)
            text = answer_task_and_check(page)
            score, max_score = points(text)
            assert max_score > 0 and score == max_score, text
            assert "✘" not in text
            save(page)
        print(f"\nJupyter answered {up:.0f} s after `run`; the check said {text!r}; "
              f"{time.monotonic() - start:.0f} s in all")
        wait_saved(saved)
    finally:
        remove(engine, name)
    # The container is gone; the attendee's folder on the host keeps the saved answer.
    assert task_source(saved) == answer()

    # A new container on the same folder goes on where the attendee stopped: the server does not
    # copy the exercise over the saved one, and JupyterLab serves the answer.
    again = f"{name}-again"
    try:
        server = start_lab(engine, image, again, folder, free_port(8950, 8999))
        status, body = fetch(f"{server}/api/contents/work/{NOTEBOOK}?content=1")
        assert status == 200, body[:2000]
        cell = json.loads(body)["content"]["cells"][TASK_CELL]
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        assert source == answer(), source
    finally:
        remove(engine, again)
    assert task_source(saved) == answer()


# -- docker-compose.yml ------------------------------------------------------------------------
CLUSTER_STEP = """
import time
from stepper import Problem, Stepper, add_intercept, load_csv, spark_session
spark = spark_session(master="spark://master:7077")
sc = spark.sparkContext
deadline = time.monotonic() + 300
while sc._jsc.sc().getExecutorMemoryStatus().size() < 3 and time.monotonic() < deadline:
    time.sleep(1)
data = add_intercept(load_csv("data/logistic2d_train.csv", partitions=4))
run = Stepper(data, Problem("logistic", l2=0.005), algorithm="gd", lr=0.5)
record = run.step()
print("HOSTS", sorted({p["host"] for p in record.partitions}))
spark.stop()
"""


def compose_file(tmp: Path, image: str, ports: dict[str, list[str]]) -> Path:
    """docker-compose.yml as it is, but for the image already built and this machine's ports.

    Only ``image`` (the attendee image the session built), ``build`` (not needed then), the
    published ports (127.0.0.1 and free ports of the test range: the machine is shared) and the
    lessons server's token (known to the test) change.
    """
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        service["image"] = image
        service.pop("build", None)
        service["ports"] = ports.get(name, [])
        if name == "lessons":
            service["environment"]["JUPYTER_TOKEN"] = TOKEN
    path = tmp / "docker-compose.yml"
    path.write_text(yaml.safe_dump(compose, sort_keys=False))
    return path


@pytest.fixture()
def classroom(engine: Engine, images: Images, tmp_path: Path) -> Iterator[dict[str, object]]:
    master_ui, lessons = free_port(8950, 8999), free_port(8950, 8999)
    if lessons == master_ui:
        lessons = free_port(master_ui + 1, 8999)
    ports = {"master": [f"127.0.0.1:{master_ui}:8080"], "lessons": [f"127.0.0.1:{lessons}:8866"]}
    path = compose_file(tmp_path, images.attendee, ports)
    project = "stepper-image-test"
    compose = [*engine.compose, "--project-name", project, "--file", str(path)]
    up = subprocess.run([*compose, "up", "--detach", "--no-build"],
                        env=engine.env, capture_output=True, text=True, timeout=900,
                        stdin=subprocess.DEVNULL, check=False, cwd=tmp_path)
    try:
        assert up.returncode == 0, up.stdout[-3000:] + up.stderr[-3000:]
        yield {"master_ui": master_ui, "lessons": lessons, "project": project}
    finally:
        down = subprocess.run([*compose, "down", "--volumes", "--timeout", "10"], env=engine.env,
                              capture_output=True, text=True, timeout=600,
                              stdin=subprocess.DEVNULL, check=False, cwd=tmp_path)
        left = engine.run("ps", "--all", "--quiet", "--filter", f"name={project}",
                          check=False, timeout=120).stdout.split()
        if left:
            engine.run("rm", "--force", *left, check=False, timeout=300)
        assert down.returncode == 0, down.stdout[-2000:] + down.stderr[-2000:]
        assert left == [], f"compose down left containers: {left}"


def test_compose_runs_a_lesson_iteration_on_both_workers(
    engine: Engine, classroom: dict
) -> None:
    master = f"http://127.0.0.1:{classroom['master_ui']}/json/"
    deadline = time.monotonic() + 300
    alive: list = []
    while time.monotonic() < deadline:
        try:
            state = json.loads(fetch(master, timeout=30)[1])
        except (OSError, ValueError, urllib.error.URLError):
            state = {}
        alive = [w for w in state.get("workers", []) if w.get("state") == "ALIVE"]
        if len(alive) == 2:
            break
        time.sleep(2)
    assert len(alive) == 2, f"workers alive at the master: {alive}"
    lessons_index(int(classroom["lessons"]))
    # Docker Compose and podman-compose label each container with its project and service.
    (lessons,) = engine.run(
        "ps", "--filter", f"label=com.docker.compose.project={classroom['project']}",
        "--filter", "label=com.docker.compose.service=lessons", "--format", "{{.Names}}",
    ).stdout.split()
    done = engine.run("exec", "--workdir", f"/{APP}", lessons, "python", "-c", CLUSTER_STEP,
                      timeout=900)
    (hosts_line,) = [line for line in done.stdout.splitlines() if line.startswith("HOSTS")]
    assert hosts_line == "HOSTS ['worker-1', 'worker-2']", done.stdout[-3000:]


# -- make image-archive ------------------------------------------------------------------------
def test_make_image_archive_saves_an_image_that_loads(
    engine: Engine, images: Images, tmp_path: Path
) -> None:
    """The instructor's hand-out file: built with the Makefile's target, loaded back."""
    archive = tmp_path / "stepper-image.tar.gz"
    tag = "localhost/stepper-image-test:archive"
    try:
        done = subprocess.run(
            ["make", "--no-print-directory", "image-archive", f"ENGINE={engine.command}",
             f"IMAGE={tag}", f"ARCHIVE={archive}", f"BUILD_OPTS={' '.join(engine.build_options)}"],
            cwd=ROOT, env=engine.env, capture_output=True, text=True, timeout=1800,
            stdin=subprocess.DEVNULL, check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert archive.stat().st_size > 100 * 2**20, archive.stat().st_size
        print(f"\n{archive.name}: {archive.stat().st_size / 2**20:.0f} MiB")
        engine.run("rmi", "--force", tag, timeout=300)
        # `docker load` reads the gzip file itself; podman 4.3 wants it uncompressed.
        with subprocess.Popen(["gzip", "-dc", str(archive)], stdout=subprocess.PIPE) as unzip:
            loaded = subprocess.run([engine.command, "load"], stdin=unzip.stdout, env=engine.env,
                                    capture_output=True, text=True, timeout=1200, check=False)
        assert unzip.returncode == 0 and loaded.returncode == 0, loaded.stdout + loaded.stderr
        assert "stepper-image-test:archive" in loaded.stdout + loaded.stderr, loaded.stdout
        user = engine.run("run", "--rm", tag, "id", "-u", timeout=300)
        assert user.stdout.strip() == USER_ID
        engine.run("rmi", "--force", tag, check=False, timeout=300)
    finally:
        archive.unlink(missing_ok=True)
