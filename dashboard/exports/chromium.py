"""Headless Chromium: found once, started with no display, no network services and a time limit.

The binary is `$CAREGAP_CHROMIUM` if set, else `chromium` (or `chromium-browser`) on the PATH.
Both the map image (through kaleido) and the PDF handout use it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

ENV_BINARY = "CAREGAP_CHROMIUM"
NAMES = ("chromium", "chromium-browser")
PRINT_TIMEOUT_S = 90.0
INSTALL_HINT = (f"Install Chromium (Debian/Ubuntu: `apt-get install chromium`, or `make browser`) "
                f"or set {ENV_BINARY} to the browser binary.")


class ChromiumError(RuntimeError):
    """Chromium is missing, failed or took too long."""


def chromium_path() -> str:
    """Full path of the browser binary; ChromiumError with what to do if there is none."""
    configured = os.environ.get(ENV_BINARY)
    if configured:
        found = shutil.which(configured)
        if not found:
            raise ChromiumError(f"{ENV_BINARY}={configured!r} is not an executable file. {INSTALL_HINT}")
        return found
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumError(f"Chromium was not found on the PATH. {INSTALL_HINT}")


def print_to_pdf(html_file: Path, timeout: float = PRINT_TIMEOUT_S) -> bytes:
    """Print a local HTML file to PDF with the page size and margins of its own @page rules."""
    binary = chromium_path()
    with tempfile.TemporaryDirectory(prefix="caregap-chromium-") as tmp:
        out = Path(tmp) / "out.pdf"
        command = [
            binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            "--disable-dev-shm-usage", "--no-pdf-header-footer", f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={out}", Path(html_file).resolve().as_uri(),
        ]
        # own session: on a timeout the browser and every helper process it started end together
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ChromiumError(f"Chromium did not finish printing the PDF within {timeout:.0f} s") from None
        if not out.exists() or out.stat().st_size == 0:
            tail = "\n".join(stderr.decode("utf-8", "replace").strip().splitlines()[-5:])
            raise ChromiumError(f"Chromium printed no PDF (exit code {process.returncode}): {tail}")
        return out.read_bytes()
