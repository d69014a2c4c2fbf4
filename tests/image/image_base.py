"""A stand-in for ``python:3.11-slim-bookworm``, made from Debian's packages and this machine's
own CPython, for machines that reach Debian's and PyPI's package servers but no container
registry.

The Dockerfile keeps its ordinary public base (``FROM python:3.11-slim-bookworm``); the image
tests put an image under that exact name into their own container storage and build with
``--pull=never``, so the ``FROM`` line needs no change. What it holds, like the official image:
a minimal Debian bookworm (``mmdebstrap --variant=minbase``), CPython 3.11 in ``/usr/local``
(the interpreter ``python3`` resolves to here, copied without its site-packages, its test suite
or its static library; it must be built with ``--enable-shared``), the shared libraries its
extension modules load, and pip from ``ensurepip``.

Run on its own it writes the root filesystem tarball::

    python tests/image/image_base.py OUT.tar
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

TAG = "docker.io/library/python:3.11-slim-bookworm"

# What the official slim image installs next to its Python (the run-time libraries of the
# standard library's extension modules), plus the CA certificates and netbase.
PACKAGES = [
    "ca-certificates", "netbase", "tzdata", "libssl3", "libffi8", "libsqlite3-0", "libbz2-1.0",
    "liblzma5", "zlib1g", "libncursesw6", "libreadline8", "libuuid1", "libgdbm6", "libexpat1",
]
# Slim-style path excludes (as Debian's docker images): no documentation, manuals or locales.
DPKG_EXCLUDES = [
    "path-exclude=/usr/share/man/*", "path-exclude=/usr/share/doc/*",
    "path-include=/usr/share/doc/*/copyright", "path-exclude=/usr/share/locale/*",
    "path-exclude=/usr/share/info/*",
]
VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


class BaseImageError(RuntimeError):
    """The stand-in base image cannot be made on this machine (the message says why)."""


def host_python() -> Path:
    """The prefix of this interpreter, checked to be a 3.11 built with ``--enable-shared``."""
    if VERSION != "3.11":
        raise BaseImageError(f"the stand-in base image needs CPython 3.11 here, found {VERSION}")
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        raise BaseImageError(f"{sys.executable} is not built with --enable-shared")
    return Path(sys.base_prefix)


def copy_python_hook(prefix: Path) -> str:
    """A shell command (mmdebstrap customize hook, ``$1`` = the root) copying CPython in."""
    lib = f"lib/python{VERSION}"
    excludes = [
        f"{lib}/site-packages/*", f"{lib}/test", f"{lib}/idlelib", f"{lib}/tkinter",
        f"{lib}/config-{VERSION}-*/*.a", "*/__pycache__",
    ]
    members = [
        f"bin/python{VERSION}", f"lib/libpython{VERSION}.so", f"lib/libpython{VERSION}.so.1.0",
        "lib/libpython3.so", lib, f"include/python{VERSION}",
    ]
    exclude_args = " ".join(f"--exclude={shlex.quote(pattern)}" for pattern in excludes)
    return (
        f"tar -C {shlex.quote(str(prefix))} {exclude_args} -cf - {' '.join(members)}"
        ' | tar -C "$1/usr/local" -xf -'
    )


def setup_hook() -> str:
    """Links, the loader cache and pip, as the official image has them."""
    return (
        'chroot "$1" sh -ec "'
        f"ln -s python{VERSION} /usr/local/bin/python3 && ln -s python3 /usr/local/bin/python"
        " && ldconfig"
        " && PIP_ROOT_USER_ACTION=ignore /usr/local/bin/python3 -m ensurepip --default-pip"
        " >/dev/null"
        " && rm -f /usr/local/bin/pip3.*"
        ' && find /usr/local -name __pycache__ -prune -exec rm -rf {} +"'
    )


def build_rootfs(out: Path) -> Path:
    """Write the root filesystem tarball to ``out`` (about a minute, needs root and mmdebstrap)."""
    prefix = host_python()
    if shutil.which("mmdebstrap") is None:
        raise BaseImageError("mmdebstrap is missing: apt-get install mmdebstrap")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial.tar")
    command = [
        "mmdebstrap", "--quiet", "--variant=minbase", "--mode=root", "--format=tar",
        f"--include={','.join(PACKAGES)}",
        *[f"--dpkgopt={option}" for option in DPKG_EXCLUDES],
        "--customize-hook=" + copy_python_hook(prefix),
        "--customize-hook=" + setup_hook(),
        "--customize-hook=" + 'rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin',
        "bookworm", str(partial),
        "deb http://deb.debian.org/debian bookworm main",
        "deb http://deb.debian.org/debian bookworm-updates main",
        "deb http://deb.debian.org/debian-security bookworm-security main",
    ]
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL)
    partial.replace(out)
    return out


# `podman import` settings, as the official image has them.
IMPORT_CHANGES = [
    "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
    'CMD ["python3"]',
]

if __name__ == "__main__":
    print(build_rootfs(Path(sys.argv[1])))
