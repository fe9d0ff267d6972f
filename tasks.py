#!/usr/bin/env python3
"""Set up and run incident-toolkit with nothing but Python 3.11+ and the package registries.

    python3 tasks.py demo     # venv + install, then run the main job on data/sample -> reports/
    python3 tasks.py test     # venv + install with test extras, then the whole test suite
    python3 tasks.py bench    # the importer benchmarks (big generated exports; minutes)
    python3 tasks.py check    # ruff + mypy
    python3 tasks.py screenshot  # demo, then a headless-chromium PNG of a post-mortem for the README

Extra arguments after the task go to the tool (e.g. ``python3 tasks.py test -k slack``).
The venv lives in ``.venv``; it is (re)installed only when ``pyproject.toml`` changes or a
task needs extras the install does not have (``demo`` after ``test`` installs nothing).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("INCIDENT_TOOLKIT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
SCREENSHOT = ROOT / "data" / "screenshots" / "postmortem.png"
SCREENSHOT_OF = "INC-2025-01-15-payment"


def _run(*cmd: str | Path) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT)


def _extras_of(stamp: Path) -> set[str]:
    """The extras an install stamp records (``.installed-<hash>-dev+pdf`` -> {"dev", "pdf"})."""
    _, _, rest = stamp.name.removeprefix(".installed-").partition("-")
    return {e for e in rest.split("+") if e}


def _implied(extras: str) -> set[str]:
    """Extras and what they include (``dev`` includes ``test``) per pyproject's own definitions."""
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get(
        "optional-dependencies", {}
    )
    out: set[str] = set()
    todo = [e for e in extras.split(",") if e]
    while todo:
        extra = todo.pop()
        if extra in out:
            continue
        out.add(extra)
        for dep in declared.get(extra, []):
            if dep.startswith("incident-toolkit[") and "]" in dep:
                todo.extend(dep[dep.index("[") + 1 : dep.index("]")].split(","))
    return out


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project (editable) with ``extras``, unless already current.

    An install is current when ``pyproject.toml`` is unchanged since it was made and it
    has at least the extras asked for (``test`` after ``dev`` installs nothing).
    """
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py runs under any python3
        sys.exit(f"incident-toolkit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    wanted = _implied(extras)
    for stamp in VENV.glob(f".installed-{digest}-*"):
        if wanted <= _extras_of(stamp):
            return
    spec = f".[{extras}]" if extras else "."
    if _run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip") != 0:
        sys.exit("pip upgrade failed")
    if _run(PY, "-m", "pip", "install", "--quiet", "-e", spec) != 0:
        sys.exit(f"installing {spec} failed")
    for old in VENV.glob(".installed-*"):
        old.unlink()
    (VENV / f".installed-{digest}-{'+'.join(sorted(wanted)) or 'core'}").touch()


def main(argv: list[str]) -> int:
    task, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if task == "demo":
        ensure_venv("")
        return _run(BIN / "incident-toolkit", "demo", *rest)
    if task == "test":
        ensure_venv("dev")
        return _run(PY, "-m", "pytest", *rest)
    if task == "bench":
        ensure_venv("dev")
        code = 0
        for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
            code |= _run(PY, script, *rest)
        return code
    if task == "screenshot":
        ensure_venv("dev")
        report = ROOT / "reports" / f"postmortem-{SCREENSHOT_OF}.html"
        if _run(BIN / "incident-toolkit", "demo", "--format", "html") != 0:
            return 1
        shot = "from pathlib import Path; from toolkit.reports.pdf import html_to_png; html_to_png(Path({!r}), Path({!r}))"
        return _run(PY, "-c", shot.format(str(report), str(SCREENSHOT)))
    if task == "check":
        ensure_venv("dev")
        return (
            _run(PY, "-m", "ruff", "check", ".")
            or _run(PY, "-m", "ruff", "format", "--check", ".")
            or _run(PY, "-m", "mypy")
        )
    print(__doc__)
    return 0 if task in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
