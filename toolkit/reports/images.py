"""Static PNG images of plotly figures, through kaleido and Debian's chromium.

One kaleido server per process (``kaleido.start_sync_server``) makes every image after
the first take about a tenth of a second. Nothing is ever downloaded: when chromium or
kaleido is missing, :func:`unavailable` says which, and the Markdown report leaves the
figure out with that note.
"""

from __future__ import annotations

import os
import shutil
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["chromium_path", "png", "unavailable"]

_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
_lock = threading.Lock()
_started = False


def chromium_path() -> Path | None:
    """The chromium to use: ``$BROWSER_PATH``, Debian's ``/usr/bin/chromium``, or one on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).is_file():
        return Path(env)
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


@lru_cache(maxsize=1)
def unavailable() -> str | None:
    """Why static images cannot be made here (one line), or ``None`` when they can."""
    if chromium_path() is None:
        return "no chromium found (install Debian's: apt-get install chromium)"
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "kaleido is not installed (pip install 'incident-toolkit[pdf]')"
    return None


def _stop() -> None:
    global _started
    import kaleido

    with _lock:
        if _started:
            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


def _start() -> None:
    global _started
    with _lock:
        if _started:
            return
        import kaleido

        # kaleido finds /usr/bin/chromium by itself; setting BROWSER_PATH here makes
        # choreographer leak temporary folders (ResourceWarning), so it is left alone.
        kaleido.start_sync_server(silence_warnings=True)
        _started = True


@lru_cache(maxsize=1)
def _stop_at_exit() -> None:
    """Stop the server at exit, before the GC cleans up its browser's profile folder.

    Registered after the first image: the profile's ``weakref.finalize`` registers its
    own exit hook then, and exit hooks run last-registered first.
    """
    import atexit
    from multiprocessing import util

    atexit.register(_stop)
    util.Finalize(None, _stop, exitpriority=10)  # pool workers leave without atexit


def png(spec: dict[str, Any], *, width: int = 900, attempts: int = 3) -> bytes:
    """The figure ``spec`` (plotly JSON) as PNG bytes; check :func:`unavailable` first.

    The first image of a fresh kaleido server can fail while its page is still loading
    plotly.js (a ``ReferenceError`` on a busy machine): it is tried again, on a new
    server, up to ``attempts`` times.
    """
    import time

    import kaleido

    height = int(spec.get("layout", {}).get("height") or 450)
    for attempt in range(1, attempts + 1):
        _start()
        try:
            data: bytes = kaleido.calc_fig_sync(
                spec, opts={"format": "png", "width": width, "height": height}
            )
        except Exception:
            if attempt == attempts:
                raise
            _stop()
            time.sleep(0.5 * attempt)
            continue
        _stop_at_exit()
        return data
    raise AssertionError("unreachable")  # pragma: no cover
