"""A learner's kernel survives a restart of the hub: the deployment's own settings
(cleanup_servers=False, the proxy run on its own) with the load test's local spawner, on
127.0.0.1 only. A learner's server is started, a kernel is started in it, the hub is stopped
and started again, and the same kernel (same id, same process) is still there, reached
through the proxy that kept running; and the kernel listens on no TCP port (its sockets are
Unix sockets, KernelManager.transport = "ipc").

Needs the hub extra and the proxy; skipped with the instructions otherwise:
    python -m pip install -e ".[hub]" && npm ci --prefix deploy/jupyterhub
"""

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import workshop_load  # noqa: E402

MISSING = workshop_load.missing_requirements()
pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(bool(MISSING), reason="the hub restart test needs: " + "; ".join(MISSING)),
]

RESTART_CONFIG = """
c = get_config()
load_subconfig({load_test!r})
# what the deployment itself sets, and the load test changes to leave nothing running
c.ConfigurableHTTPProxy.should_start = False
c.JupyterHub.cleanup_servers = False
"""


def call(url, token, method="GET", body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read().decode()
        return response.status, (json.loads(text) if text else None)


def wait_for(what, probe, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, urllib.error.URLError, ValueError, KeyError):
            result = probe()
            if result:
                return result
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def test_a_learners_kernel_survives_a_hub_restart(tmp_path):
    import psutil

    state = tmp_path / "state"
    state.mkdir()
    config = tmp_path / "restart_config.py"
    config.write_text(RESTART_CONFIG.format(load_test=str(ROOT / "deploy" / "jupyterhub" / "load_test_config.py")))
    public, hub_port, api = workshop_load._free_ports(3)
    token, proxy_token, mark = secrets.token_hex(32), secrets.token_hex(32), secrets.token_hex(8)
    env = os.environ | {
        "LSTMLEARN_HUB_STATE": str(state),
        "LSTMLEARN_LOAD_PORTS": f"{public},{hub_port},{api}",
        "LSTMLEARN_LOAD_TOKEN": token,
        "LSTMLEARN_LOAD_RUN": mark,
        "CONFIGPROXY_AUTH_TOKEN": proxy_token,
    }
    url = f"http://127.0.0.1:{public}"
    proxy_cmd = [workshop_load.find_proxy(), "--ip=127.0.0.1", f"--port={public}", "--api-ip=127.0.0.1"]
    proxy_cmd += [f"--api-port={api}", f"--default-target=http://127.0.0.1:{hub_port}"]
    log = open(tmp_path / "log.txt", "wb")
    started = []

    def start_hub():
        hub = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(hub)
        wait_for("the hub answering", lambda: call(f"{url}/hub/api/", token)[0] == 200)
        return hub

    try:
        started.append(subprocess.Popen(proxy_cmd, env=env, stdout=log, stderr=subprocess.STDOUT))
        hub = start_hub()
        call(f"{url}/hub/api/users/learner", token, "POST", {})
        call(f"{url}/hub/api/users/learner/server", token, "POST", {}, timeout=120)  # 202 after 10 s on a busy machine
        wait_for("the learner's server", lambda: call(f"{url}/hub/api/users/learner", token)[1]["servers"][""]["ready"])
        _, kernel = call(f"{url}/user/learner/api/kernels", token, "POST", {"name": "python3"}, timeout=120)

        def kernel_process():
            for p in workshop_load.processes_of_run(mark):
                with contextlib.suppress(psutil.Error):
                    if "ipykernel" in " ".join(p.cmdline()) and kernel["id"] in " ".join(p.cmdline()):
                        return p
            return None

        before = wait_for("the kernel's process", kernel_process)
        # the deployment's kernels talk to their server over Unix sockets (KernelManager.transport = "ipc"):
        # the kernel listens on no loopback port, so learner_firewall.py can leave a learner none but the hub's API
        assert "--KernelManager.transport=ipc" in " ".join(before.parent().cmdline())
        assert not [conn for conn in before.net_connections(kind="inet") if conn.status == psutil.CONN_LISTEN]

        hub.terminate()
        hub.wait(timeout=60)
        assert before.is_running(), "the kernel died with the hub"
        start_hub()
        assert before.is_running() and kernel_process().pid == before.pid
        status, again = wait_for(
            "the kernel through the proxy", lambda: call(f"{url}/user/learner/api/kernels/{kernel['id']}", token)
        )
        assert status == 200 and again["id"] == kernel["id"]
        assert call(f"{url}/hub/api/users/learner", token)[1]["servers"][""]["ready"]
    finally:
        for proc in started:
            with contextlib.suppress(Exception):
                proc.terminate()
                proc.wait(timeout=30)
        leftovers = workshop_load.processes_of_run(mark)
        for p in leftovers:
            with contextlib.suppress(psutil.Error):
                p.kill()
        psutil.wait_procs(leftovers, timeout=10)
        log.close()
