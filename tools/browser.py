"""The Chromium that the browser tests drive (Playwright), found or installed.

    python tools/browser.py            # find one, else install one; print its path (exit 0)
    python tools/browser.py --find     # find one only, install nothing

In order: a browser already here (Playwright's own Chromium, else a system Chromium such as
Debian's ``/usr/bin/chromium``); then ``playwright install chromium`` (Playwright's download);
then Debian's ``chromium`` with ``apt-get``, only when this user may (root, or ``sudo`` without
a password). Otherwise it exits 1 with one line naming the command to run. ``make test`` and
``make test-browser`` run it first; ``tests/browser/conftest.py`` imports :func:`find`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                    "/usr/bin/google-chrome-stable")
INSTALL_TIMEOUT_S = 900
NO_BROWSER = ("No Chromium for the browser tests: run `{playwright} install chromium` "
              "(or, on Debian/Ubuntu, `sudo apt-get install chromium`), then `make test` again.")


def playwright_chromium() -> str | None:
    """The Chromium that ``playwright install chromium`` put here, if it is here."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:
        return None
    return path if path and os.access(path, os.X_OK) else None


def system_chromium() -> str | None:
    found = [p for p in SYSTEM_CHROMIUMS if os.access(p, os.X_OK)]
    found += [p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p]
    return found[0] if found else None


def find() -> str | None:
    """A Chromium already here: Playwright's own first, else the system's; None if neither."""
    return playwright_chromium() or system_chromium()


def _quiet(command: list[str], env: dict | None = None) -> bool:
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=env, timeout=INSTALL_TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def playwright_command() -> list[str]:
    return [sys.executable, "-m", "playwright"]


def may_use_apt() -> list[str] | None:
    """The prefix to run apt-get as root (``[]`` or ``["sudo", "-n"]``), or None."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and _quiet(["sudo", "-n", "true"]):
        return ["sudo", "-n"]
    return None


def install() -> str | None:
    """Install a Chromium the first way that works; its path, or None."""
    print("browser: no Chromium here; trying `playwright install chromium`…", file=sys.stderr)
    if _quiet([*playwright_command(), "install", "chromium"]):
        found = playwright_chromium()
        if found:
            return found
    prefix = may_use_apt()
    if prefix is None:
        return None
    print("browser: Playwright's download failed; trying Debian's chromium with apt-get…",
          file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if prefix:
        prefix = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive"]
    if (_quiet([*prefix, "apt-get", "update", "-qq"], env)
            and _quiet([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        "chromium"], env)):
        return system_chromium()
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    found = find()
    if found is None and "--find" not in args:
        found = install()
    if found is None:
        playwright = os.path.join(os.path.dirname(sys.executable), "playwright")
        relative = os.path.relpath(playwright)
        playwright = playwright if relative.startswith("..") else relative
        print(NO_BROWSER.format(playwright=playwright), file=sys.stderr)
        return 1
    print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
