"""The container engine the image tests drive: a Docker engine where one runs, else podman.

Docker builds with its own daemon and reaches the public ``python:3.11-slim-bookworm``. podman
(root, from Debian's packages: ``apt-get install podman buildah runc fuse-overlayfs mmdebstrap
uidmap slirp4netns netavark aardvark-dns iptables catatonit``) is set up here for machines that
reach no container registry, as measured in the project's engineering notes:

- its own ``containers.conf`` (runc, since crun 1.8 refuses a hybrid cgroup layout; cgroupfs;
  ulimits below the machine's hard limits) and ``storage.conf`` (a storage directory of the
  test session's own, so nothing is cached from an earlier build), named by
  ``CONTAINERS_CONF``/``CONTAINERS_STORAGE_CONF`` for podman and podman-compose alike;
- the base image made from Debian's packages and this machine's own CPython
  (:mod:`image_base`), kept as a tarball in a cache directory (``STEPPER_IMAGE_CACHE``, default
  ``~/.cache/stepper/image-base``) and imported under the Dockerfile's ``FROM`` name; builds
  run with ``--pull=never``;
- pip inside a build trusts this machine's certificate authorities: the CA bundle and a
  ``pip.conf`` naming it are mounted into each RUN step for the build only (nothing of them
  stays in a layer); ``--network host``.

``STEPPER_IMAGE_ENGINE=docker|podman`` forces the choice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import image_base

ROOT = Path(__file__).resolve().parents[2]
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
SYSTEM_PATHS = "/usr/sbin:/sbin:/usr/libexec/podman:/usr/lib/podman"
PIP_DIR = "/etc/xdg/pip"  # where a build's RUN steps find pip.conf and the host's CA bundle
INSTALL_PODMAN = (
    "apt-get install podman buildah runc fuse-overlayfs mmdebstrap uidmap slirp4netns netavark "
    "aardvark-dns iptables catatonit (Debian/Ubuntu, as root), or start a Docker engine"
)

CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
init_path = "{init}"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
network_config_dir = "{workdir}/networks"
"""


@dataclass
class Images:
    """The two images a session built, and how long each build took."""

    attendee: str
    instructor: str
    seconds: dict[str, float]


class EngineMissingError(RuntimeError):
    """No usable container engine here; the message is one line naming what to install."""


@dataclass
class Engine:
    """One container engine: its command line, environment and build options."""

    name: str  # "docker" or "podman"
    command: str
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    build_options: list[str] = field(default_factory=list)
    compose: list[str] = field(default_factory=list)
    workdir: Path | None = None

    def run(
        self, *args: str, timeout: float = 600, check: bool = True, capture: bool = True,
        stdin: int | None = subprocess.DEVNULL,
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [self.command, *args], env=self.env, timeout=timeout, text=True, stdin=stdin,
            capture_output=capture, check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"{self.name} {' '.join(args)} exited {done.returncode}:\n"
                f"{(done.stdout or '')[-4000:]}\n{(done.stderr or '')[-4000:]}"
            )
        return done

    def build(self, tag: str, *, include_solutions: bool, no_cache: bool, log: Path) -> None:
        """Build the Dockerfile at the repository's root; the whole output goes to ``log``."""
        args = ["build", "--file", str(ROOT / "Dockerfile"), "--tag", tag, *self.build_options]
        if no_cache:
            args.append("--no-cache")
        if include_solutions:
            args += ["--build-arg", "INCLUDE_SOLUTIONS=1"]
        with log.open("w") as out:
            done = subprocess.run(
                [self.command, *args, str(ROOT)], env=self.env, stdout=out,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=1800, check=False,
            )
        if done.returncode != 0:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
            raise AssertionError(f"building {tag} failed ({done.returncode}), see {log}:\n{tail}")

    def compose_command(self, *args: str) -> list[str]:
        return [*self.compose, *args]


def docker_engine() -> Engine | None:
    """Docker, when its client is here and its engine answers."""
    docker = shutil.which("docker")
    if docker is None:
        return None
    probe = subprocess.run([docker, "info", "--format", "{{.ServerVersion}}"], timeout=60,
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0 or not probe.stdout.strip():
        return None
    return Engine("docker", docker, compose=[docker, "compose"])


def podman_engine(workdir: Path, cache: Path) -> Engine:
    """podman with configuration and storage under ``workdir`` and the stand-in base imported."""
    podman = shutil.which("podman")
    if podman is None:
        raise EngineMissingError(f"no container engine: podman is not installed; {INSTALL_PODMAN}")
    if os.geteuid() != 0:
        raise EngineMissingError("the image tests drive podman as root: run them as root")
    needed = {"runc": "runc", "mmdebstrap": "mmdebstrap", "iptables": "iptables",
              "catatonit": "catatonit"}  # catatonit: the --init that docker-compose.yml asks for
    missing = [package for tool, package in needed.items()
               if shutil.which(tool, path=f"{os.environ.get('PATH', '')}:{SYSTEM_PATHS}") is None]
    if not Path("/usr/lib/podman/netavark").exists() and shutil.which("netavark") is None:
        missing.append("netavark")
    if missing:
        raise EngineMissingError(f"podman is here but not {', '.join(missing)}: {INSTALL_PODMAN}")
    workdir.mkdir(parents=True, exist_ok=True)
    # The network definitions too live under workdir: other users of podman on this machine
    # keep theirs, and cleaning up here removes only this session's.
    (workdir / "networks").mkdir(exist_ok=True)
    init = shutil.which("catatonit", path=SYSTEM_PATHS + ":/usr/bin:/bin") or "catatonit"
    (workdir / "containers.conf").write_text(CONTAINERS_CONF.format(workdir=workdir, init=init))
    (workdir / "storage.conf").write_text(
        f'[storage]\ndriver = "overlay"\ngraphroot = "{workdir}/storage"\n'
        f'runroot = "{workdir}/run"\n'
    )
    env = dict(os.environ)
    env["CONTAINERS_CONF"] = str(workdir / "containers.conf")
    env["CONTAINERS_STORAGE_CONF"] = str(workdir / "storage.conf")
    options = ["--pull=never", "--network", "host", "--layers"]
    if HOST_CA.exists():
        # pip reads /etc/xdg/pip/pip.conf; the mount leaves only an empty directory behind.
        pip_dir = workdir / "pip"
        pip_dir.mkdir(exist_ok=True)
        shutil.copy(HOST_CA, pip_dir / "host-ca.crt")
        (pip_dir / "pip.conf").write_text(f"[global]\ncert = {PIP_DIR}/host-ca.crt\n")
        options += ["--volume", f"{pip_dir}:{PIP_DIR}:ro"]
    engine = Engine("podman", podman, env=env, build_options=options, workdir=workdir,
                    compose=[sys.executable, "-m", "podman_compose"])
    rootfs = cache / f"python-{sys.version.split()[0]}-slim-bookworm.tar"
    if not rootfs.exists():
        image_base.build_rootfs(rootfs)
    changes = [arg for change in image_base.IMPORT_CHANGES for arg in ("--change", change)]
    engine.run("import", *changes, str(rootfs), image_base.TAG, timeout=600)
    return engine


def find_engine(workdir: Path, cache: Path, forced: str | None) -> Engine:
    """Docker if its engine answers (or is forced), else podman; else EngineMissingError."""
    if forced not in (None, "", "docker", "podman"):
        raise EngineMissingError(f"STEPPER_IMAGE_ENGINE must be docker or podman, not {forced!r}")
    if forced != "podman":
        docker = docker_engine()
        if docker is not None:
            return docker
        if forced == "docker":
            raise EngineMissingError("no Docker engine answers `docker info`: start one, or unset "
                                "STEPPER_IMAGE_ENGINE to use podman")
    if shutil.which("podman") is None:
        raise EngineMissingError(f"no container engine: neither a Docker engine nor podman; "
                            f"{INSTALL_PODMAN}")
    return podman_engine(workdir, cache)


def cleanup_podman(engine: Engine) -> None:
    """Remove this session's containers, pods, networks and images, then its storage.

    Everything named here lives in the session's own storage and network directories: no other
    user's containers or networks are touched. The base image's tarball stays in its cache.
    """
    engine.run("rm", "--all", "--force", "--time", "5", check=False, timeout=300)
    engine.run("pod", "rm", "--all", "--force", check=False, timeout=300)
    engine.run("network", "prune", "--force", check=False, timeout=120)
    engine.run("rmi", "--all", "--force", check=False, timeout=600)
    if engine.workdir is None:
        return
    storage = str(engine.workdir / "storage")
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()
              if len(line.split()) > 1 and line.split()[1].startswith(storage)]
    for mount in sorted(mounts, reverse=True):
        subprocess.run(["umount", "--lazy", mount], check=False, timeout=60)
    shutil.rmtree(engine.workdir / "storage", ignore_errors=True)
    shutil.rmtree(engine.workdir / "run", ignore_errors=True)
