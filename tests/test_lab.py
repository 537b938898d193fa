"""lstmlearn lab: JupyterLab on the course with the course's defaults, so that JupyterLab's
question about Jupyter news does not cover the explorers; the learner's own settings still win."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lstmlearn import lab

PLUGIN = "@jupyterlab/apputils-extension:notification"
SCHEMA = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab" / "apputils-extension"


def _isolated(tmp_path) -> dict:
    """An environment with no Jupyter configuration of this machine's user."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    for name in ("config", "data", "runtime"):
        env[f"JUPYTER_{name.upper()}_DIR"] = str(tmp_path / name)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path / "user-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path / "workspaces")
    return env


def test_the_course_config_comes_first_on_the_config_path_and_keeps_the_rest():
    env = lab.environment({"JUPYTER_CONFIG_PATH": os.pathsep.join(["/a", str(lab.CONFIG), "/b"])})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(lab.CONFIG), "/a", "/b"]
    assert lab.environment({})["JUPYTER_CONFIG_PATH"] == str(lab.CONFIG)
    assert lab.command("c", ["--no-browser"]) == [sys.executable, "-m", "jupyterlab", "c", "--no-browser"]


def test_the_defaults_are_valid_values_of_jupyterlabs_own_setting():
    defaults = json.loads((lab.CONFIG / "labconfig" / "default_setting_overrides.json").read_text())
    schema = json.loads((SCHEMA / "notification.json").read_text())["properties"]
    assert set(defaults) == {PLUGIN}
    assert defaults[PLUGIN]["fetchNews"] in {c["const"] for c in schema["fetchNews"]["oneOf"]} - {"none"}
    assert defaults[PLUGIN]["checkForUpdates"] is False and schema["checkForUpdates"]["type"] == "boolean"


def test_jupyterlab_reads_the_defaults_only_through_lstmlearn_lab(tmp_path):
    probe = "import json; from jupyterlab_server.settings_utils import _get_overrides; print(json.dumps(_get_overrides('.')[0]))"

    def overrides(env):
        done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout).get(PLUGIN, {})

    assert overrides(lab.environment(_isolated(tmp_path))) == {"fetchNews": "false", "checkForUpdates": False}
    assert overrides(_isolated(tmp_path)) == {}  # the control: plain JupyterLab has no such default


def test_a_folder_that_is_not_there_is_one_line_with_status_2(tmp_path, capsys):
    assert lab.main([str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lstmlearn lab: error: ") and "nowhere is not a folder" in err and "\n" == err[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _news_default(command, env, cwd) -> str:
    """Start a JupyterLab server with `command` (plus its port and token) and read the default it
    serves for fetchNews; with no user setting (as here) the page uses that default."""
    port, token = _free_port(), secrets.token_hex(8)
    args = ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--ServerApp.token={token}"]
    args += ["--ServerApp.port_retries=0", "--ServerApp.allow_root=True"]
    process = subprocess.Popen(
        command + args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}/lab/api/settings/{PLUGIN}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    return json.loads(response.read())["schema"]["properties"]["fetchNews"]["default"]
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "JupyterLab did not start"
                time.sleep(0.5)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="process groups")
def test_a_server_started_by_lstmlearn_lab_does_not_ask_about_news(tmp_path):
    (tmp_path / "course").mkdir()
    env = _isolated(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(lab.__file__).parents[1])] + [env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    ours = _news_default([sys.executable, "-m", "lstmlearn", "lab", "course"], env, tmp_path)
    plain = _news_default([sys.executable, "-m", "jupyterlab", "course"], env, tmp_path)
    assert (ours, plain) == ("false", "none")  # "none" is the setting under which JupyterLab asks


@pytest.mark.skipif(os.name == "nt", reason="a bash script, as Binder runs it")
def test_binder_starts_jupyterlab_with_the_same_defaults(tmp_path):
    start = Path(lab.__file__).parents[1] / "binder" / "start"
    assert os.access(start, os.X_OK)
    env = {"PATH": os.environ["PATH"], "JUPYTER_CONFIG_PATH": "/elsewhere"}
    done = subprocess.run([str(start), "env"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    path = dict(ln.split("=", 1) for ln in done.stdout.splitlines() if "=" in ln)["JUPYTER_CONFIG_PATH"]
    assert path.split(os.pathsep) == [str(lab.CONFIG), "/elsewhere"]
