"""A real JupyterLab server and a headless Chromium for the browser tests.

The server runs on a temporary copy of notebooks/ (saving never touches the repository),
with its own config, data, runtime, settings and workspace folders, and a PYTHONPATH that
puts this checkout's lstmlearn first, for the server and for every kernel it starts. It has
the course's JupyterLab defaults as `lstmlearn lab` gives them a learner (lstmlearn/lab.py:
no question about Jupyter news), so the tests see the page a learner sees.
The browser is the system's Chromium, driven by the playwright package; playwright's own
browser downloads are never used.

Without Chromium or playwright every test marked `browser` is skipped, with the commands
that enable it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the tests skip, saying how to install it
    sync_playwright = None

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from lstmlearn import lab as lab_defaults  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("LSTMLEARN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
SERVER_START_TIMEOUT = 60  # seconds until /api/status answers


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    missing = []
    if sync_playwright is None:
        missing.append("the playwright package (pip install playwright; no browser download is needed)")
    if not Path(CHROMIUM).is_file():
        missing.append(
            f"Chromium at {CHROMIUM} (apt-get install chromium, or set LSTMLEARN_CHROMIUM to a Chromium executable)"
        )
    if not missing:
        return None
    return "browser tests need " + " and ".join(missing)


def pytest_collection_modifyitems(config, items):
    reason = missing_browser()
    if reason is None:
        return
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_settings(settings: Path):
    """JupyterLab user settings: render every cell (no windowing). Fetching no news is the
    course's default (lstmlearn.lab), not set here, so a test can see that it holds."""

    def put(plugin, values):
        package, name = plugin.split(":")
        folder = settings / package
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.jupyterlab-settings").write_text(json.dumps(values))

    put("@jupyterlab/notebook-extension:tracker", {"windowingMode": "none"})


class Lab:
    """A running JupyterLab: .url, .token, .root (the served copy of notebooks/)."""

    def __init__(self, url, token, root, process, log):
        self.url, self.token, self.root, self.process, self.log = url, token, root, process, log

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, n=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1, a free port and a random token, serving a copy of notebooks/."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _write_settings(base / "settings")
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # kernels use the inline backend, as for a learner
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    for name in ("config", "data", "runtime"):
        env[f"JUPYTER_{name.upper()}_DIR"] = str(base / name)  # labextensions still come from sys.prefix
    env = lab_defaults.environment(env)  # JUPYTER_CONFIG_PATH led by the course's JupyterLab defaults
    port, token = _free_port(), secrets.token_hex(16)
    log = base / "server.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.allow_root=True",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run commands, read the model
        f"--LabApp.user_settings_dir={base / 'settings'}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--LabApp.news_url=",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with open(log, "w") as out:
        process = subprocess.Popen(
            command,
            cwd=base,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Lab(f"http://127.0.0.1:{port}", token, root, process, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode}:\n{server.log_tail()}")
            try:
                server.api("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not answer /api/status within {SERVER_START_TIMEOUT} s:\n{server.log_tail()}"
                    )
                time.sleep(0.25)
        yield server
    finally:
        _stop(server)


def _stop(server: Lab):
    """Ask the server to shut down (it stops its kernels), then end its process group."""
    process = server.process
    if process.poll() is None:
        try:
            server.api("/api/shutdown", method="POST")
            process.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go: test-artifacts/browser/ (not tracked by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser_context():
    """Headless system Chromium with a fresh, empty profile."""
    with tempfile.TemporaryDirectory(prefix="lstmlearn-chromium-") as profile:
        playwright = sync_playwright().start()
        try:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport=VIEWPORT
            )
            try:
                yield context
            finally:
                context.close()
        finally:
            playwright.stop()
