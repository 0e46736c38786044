#!/usr/bin/env python3
"""The newcomer's front door, standard library only.

    python3 dev.py demo    install into .venv, migrate, seed the demo and serve it on :8000
    python3 dev.py test    install into .venv and run the test suite on every core (pytest-xdist;
                           extra arguments go to pytest, ``-n 0`` runs it in one process)
    python3 dev.py install only install (what .ci/run calls first)

Installing is skipped when pyproject.toml and the constraints file have not changed since the
last install into this .venv.
"""

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
STAMP = VENV / ".bridgework-installed"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args, env=None) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def install() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Bridgework needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    started = time.monotonic()
    if not PYTHON.exists():
        say(f"Creating the virtual environment in {VENV.name}/")
        venv.EnvBuilder(with_pip=True).create(VENV)
    fingerprint = install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        say("Dependencies are up to date")
        return
    say("Installing Bridgework and its pinned dependencies (a few minutes the first time)")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS, "-e", ".[dev]")
    STAMP.write_text(fingerprint)
    say(f"Installed in {time.monotonic() - started:.0f}s")


def django_env() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.dev")
    return env


def demo(args: list[str]) -> None:
    install()
    size = args[args.index("--size") + 1] if "--size" in args else "small"
    address = os.environ.get("BRIDGEWORK_ADDRESS", "127.0.0.1:8000")
    env = django_env()
    say("Migrating the database")
    run(PYTHON, "manage.py", "migrate", "--no-input", "-v", "0", env=env)
    say("Seeding the demo")
    run(PYTHON, "manage.py", "seed_demo", "--size", size, "--address", address, env=env)
    say(f"Serving the demo on http://{address}/ (the back office is at /admin/; Ctrl+C stops)")
    os.execve(PYTHON, [str(PYTHON), "manage.py", "runserver", address], env)


def workers(args: list[str]) -> list[str]:
    """One pytest-xdist worker per core, unless the arguments choose (``-n 0``: one process). An
    idle worker takes tests still queued on the other (``worksteal``), so no worker ends alone
    with a tail of slow tests."""
    chosen = any(
        arg in {"-n", "--numprocesses", "no:xdist"}
        or arg.startswith("--numprocesses=")
        or (arg.startswith("-n") and arg[2:].lstrip("=").isalnum())
        for arg in args
    )
    return [] if chosen else ["--numprocesses=auto", "--dist=worksteal"]


def test(args: list[str]) -> None:
    install()
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest uses brand.settings.test (pyproject.toml)
    os.chdir(ROOT)
    os.execve(PYTHON, [str(PYTHON), "-m", "pytest", *workers(args), *args], env)


def main() -> None:
    command, *args = sys.argv[1:] or ["help"]
    if command == "demo":
        demo(args)
    elif command == "test":
        test(args)
    elif command == "install":
        install()
    else:
        print(__doc__)
        sys.exit(0 if command in {"help", "-h", "--help"} else 2)


if __name__ == "__main__":
    main()
