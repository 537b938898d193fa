"""A workshop on a real JupyterHub, with simulated learners: how big a machine does a class need?

Starts JupyterHub (deploy/jupyterhub/jupyterhub_config.py, through load_test_config.py) on
127.0.0.1 with configurable-http-proxy, a random token and a temporary state folder; creates
N learners and starts their servers through the hub's REST API; then, for every learner at
once, opens a kernel through the proxy, runs all the code cells of a notebook and moves that
notebook's explorer 50 times, as a learner drags a slider: each move sets a control's value
in the kernel and waits until the explorer's readout and picture have changed. Everything it
started is stopped at the end, also on Ctrl-C or on failure.

Measured per learner: spawn time (the course laid out and the server ready), time to run the
notebook, explorer update latency (p50, p95; from the move to the last changed widget reaching
the learner), peak memory (RSS high-water mark) of the learner's server and kernel.

    python benchmarks/workshop_load.py --users 3 --notebook 03
    python benchmarks/workshop_load.py --users 4 --notebook 03 --trainers 2    # 2 more learners re-run 07's training
    python benchmarks/workshop_load.py --sweep --notebook 07 --out sweep_07.json   # N = 1, 2, 4, 8, 16
    python benchmarks/workshop_load.py --notebook all --out memory.json        # kernel peak RSS of 00-09
    python benchmarks/workshop_load.py --report deploy/measurements/*.json     # the guide's tables

Needs the hub extra (pip install -e ".[hub]") and the proxy (npm ci --prefix deploy/jupyterhub).
Talks only to 127.0.0.1. Exits 1 if any learner failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HUB_DIR = ROOT / "deploy" / "jupyterhub"
CONFIG = HUB_DIR / "load_test_config.py"
LOCAL_PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
SWEEP = (1, 2, 4, 8, 16)
sys.path.insert(0, str(ROOT / "tools"))
from manifest import load as _load_manifest  # noqa: E402

NOTEBOOKS = tuple(nb.number for nb in _load_manifest())  # notebooks/course.toml
RUN_ID = uuid.uuid4().hex  # carried in the environment of every process a run starts
INSTALL_HINT = (
    'install the hub extra and the proxy: python -m pip install -e ".[hub]" && '
    "npm ci --prefix deploy/jupyterhub  (node and npm are needed for the proxy)"
)


class LoadTestError(RuntimeError):
    """Something a learner would have seen go wrong (a failed spawn, a cell's error, a stuck explorer)."""


# ----------------------------------------------------------------------------------------
# What is installed


def find_proxy() -> str | None:
    """configurable-http-proxy: the project-local npm install, else one on PATH."""
    if LOCAL_PROXY.exists():
        return str(LOCAL_PROXY)
    return shutil.which("configurable-http-proxy")


def missing_requirements() -> list[str]:
    """What the load test needs and does not find, each with its fix (empty: ready)."""
    missing = []
    for module in ("jupyterhub", "jupyterhub_idle_culler", "psutil", "tornado", "jupyter_server"):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"Python package {module!r} is not installed: {INSTALL_HINT}")
    if shutil.which("node") is None:
        missing.append(
            "node is not installed (the proxy runs on it): on Debian or Ubuntu, "
            "apt-get install nodejs npm; then npm ci --prefix deploy/jupyterhub"
        )
    elif find_proxy() is None:
        missing.append("configurable-http-proxy is not installed: npm ci --prefix deploy/jupyterhub")
    return missing


def versions() -> dict:
    out = {"python": platform.python_version()}
    for dist in (
        "jupyterhub",
        "jupyterhub-idle-culler",
        "jupyter_server",
        "jupyterlab",
        "ipykernel",
        "ipywidgets",
        "numpy",
        "lstmlearn",
    ):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    proxy = find_proxy()
    out["configurable-http-proxy"] = _output([proxy, "--version"]) if proxy else None
    out["node"] = _output(["node", "--version"]) if shutil.which("node") else None
    return out


def _output(cmd) -> str | None:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def machine() -> dict:
    import psutil

    return {
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "system": f"{platform.system()} {platform.machine()}",
    }


# ----------------------------------------------------------------------------------------
# The hub: started, watched, and always stopped with everything it started


def _free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _die_with_parent():
    """In the hub's process: get SIGTERM if the load test itself dies (Linux), so that even a
    killed load test leaves nothing running: the hub then stops the servers it started."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def processes_of_run(run_id: str) -> list:
    """Every live process whose environment carries this run's mark (hub, proxy, culler,
    learners' servers, kernels)."""
    import psutil

    found = []
    for p in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if p.environ().get("LSTMLEARN_LOAD_RUN") == run_id:
                found.append(p)
    return found


class Hub:
    """A JupyterHub on 127.0.0.1 for the length of a `with` block. Leaving the block (normally,
    on an error or on Ctrl-C) stops the hub, which stops the learners' servers and their
    kernels, the proxy and the culler; anything still running after that is killed."""

    def __init__(self, blas_threads: str | None = None, keep_state: bool = False, log=print):
        self.run_id = RUN_ID
        self.token = secrets.token_hex(32)
        self.blas_threads = blas_threads
        self.keep_state = keep_state
        self.log = log
        self.proc = None
        self.state = None
        self._known = {}  # pid -> (create_time, name): everything the hub started, seen so far

    def __enter__(self) -> "Hub":
        problems = missing_requirements()
        if problems:
            raise LoadTestError("cannot start the hub:\n  " + "\n  ".join(problems))
        self.state = Path(tempfile.mkdtemp(prefix="lstmlearn-hub-"))
        self.public_port, hub_port, api_port = _free_ports(3)
        self.url = f"http://127.0.0.1:{self.public_port}"
        env = os.environ | {
            "LSTMLEARN_HUB_STATE": str(self.state),
            "LSTMLEARN_LOAD_PORTS": f"{self.public_port},{hub_port},{api_port}",
            "LSTMLEARN_LOAD_TOKEN": self.token,
            "LSTMLEARN_LOAD_RUN": self.run_id,
        }
        env.pop("LSTMLEARN_LOAD_BLAS_THREADS", None)
        if self.blas_threads is not None:
            env["LSTMLEARN_LOAD_BLAS_THREADS"] = "" if self.blas_threads == "unset" else self.blas_threads
        self.log_path = self.state / "hub.log"
        self._log_file = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
                cwd=self.state,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the load test, which then stops the hub in order
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
            self._wait_until_up(timeout=120)
            self.log(f"  JupyterHub is up at {self.url} (state in {self.state})")
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def _wait_until_up(self, timeout: float):
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        request = urllib.request.Request(f"{self.url}/hub/api/", headers={"Authorization": f"token {self.token}"})
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LoadTestError(f"the hub exited with code {self.proc.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError, urllib.error.URLError):
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            time.sleep(0.25)
        raise LoadTestError(f"the hub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def remember_processes(self):
        """Note every process the hub has started so far (called while learners work)."""
        import psutil

        with contextlib.suppress(psutil.Error):
            for p in psutil.Process(self.proc.pid).children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    self._known.setdefault(p.pid, (p.create_time(), p.name()))

    def __exit__(self, *exc):
        import psutil

        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        try:
            if self.proc is not None:
                self.remember_processes()
                if self.proc.poll() is None:
                    self.log("  stopping the hub, the learners' servers and their kernels")
                    self.proc.terminate()  # JupyterHub stops every server (cleanup_servers), the culler and the proxy
                    try:
                        self.proc.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        self.log(f"the hub did not stop within 60 s; killing it\n{self.log_tail()}")
                        self.proc.kill()
                        self.proc.wait()
            leftovers = []
            for pid, (created, name) in self._known.items():
                with contextlib.suppress(psutil.Error):
                    p = psutil.Process(pid)
                    if p.create_time() == created:
                        leftovers.append(p)
            leftovers += [p for p in processes_of_run(self.run_id) if p.pid not in {q.pid for q in leftovers}]
            if leftovers:
                self.log(
                    "still running after the hub stopped, now stopped: "
                    + ", ".join(f"{p.pid} {p.name()}" for p in leftovers)
                )
                for p in leftovers:
                    with contextlib.suppress(psutil.Error):
                        p.terminate()
                _, alive = psutil.wait_procs(leftovers, timeout=10)
                for p in alive:
                    with contextlib.suppress(psutil.Error):
                        p.kill()
                psutil.wait_procs(alive, timeout=10)
            self.leftovers = [f"{p.pid} {p.name()}" for p in leftovers]
        finally:
            if hasattr(self, "_log_file"):
                self._log_file.close()
            if self.state is not None and not self.keep_state:
                shutil.rmtree(self.state, ignore_errors=True)
            signal.signal(signal.SIGINT, previous)
        return False


# ----------------------------------------------------------------------------------------
# Talking to the hub, a learner's server and a kernel, as JupyterLab does


class Api:
    """JSON over HTTP to the hub and the learners' servers, through the proxy, with the token."""

    def __init__(self, hub: Hub):
        from tornado.httpclient import AsyncHTTPClient

        AsyncHTTPClient.configure(None, max_clients=256)
        self.http = AsyncHTTPClient()
        self.url, self.token = hub.url, hub.token

    async def __call__(self, method: str, path: str, body=None, ok=(200, 201, 202, 204), timeout=120):
        from tornado.httpclient import HTTPClientError

        try:
            response = await self.http.fetch(
                self.url + path,
                method=method,
                headers={"Authorization": f"token {self.token}"},
                body=None if body is None and method not in ("POST", "PUT", "PATCH") else json.dumps(body or {}),
                request_timeout=timeout,
                raise_error=False,
            )
        except (OSError, HTTPClientError) as e:
            raise LoadTestError(f"{method} {path}: {e}") from None
        if response.code not in ok:
            detail = response.body.decode(errors="replace")[:500] if response.body else response.reason
            raise LoadTestError(f"{method} {path}: HTTP {response.code} {detail}")
        return json.loads(response.body) if response.body else None


def _unpack(frame) -> tuple[dict, bool]:
    """A kernel message from the server's websocket: JSON text, or binary (the JSON part,
    then buffers such as a PNG). Returns the message and whether it carried buffers."""
    if isinstance(frame, str):
        return json.loads(frame), False
    nbufs = struct.unpack("!I", frame[:4])[0]
    offsets = struct.unpack("!" + "I" * nbufs, frame[4 : 4 * (nbufs + 1)])
    end = offsets[1] if nbufs > 1 else len(frame)
    return json.loads(frame[offsets[0] : end]), nbufs > 1


class Kernel:
    """A kernel's websocket (through the proxy), used as JupyterLab uses it."""

    def __init__(self, ws, learner: str):
        self.ws, self.learner, self.session = ws, learner, uuid.uuid4().hex

    @classmethod
    async def connect(cls, hub: Hub, learner: str, kernel_id: str) -> "Kernel":
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{hub.public_port}/user/{learner}/api/kernels/{kernel_id}/channels"
        ws = await websocket_connect(
            HTTPRequest(url, headers={"Authorization": f"token {hub.token}"}, request_timeout=120),
            max_message_size=256 * 2**20,
        )
        kernel = cls(ws, learner)
        await kernel.request("kernel_info_request", {}, timeout=120)
        return kernel

    def _send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self.session,
            "username": self.learner,
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "version": "5.3",
        }
        self.ws.write_message(
            json.dumps(
                {
                    "header": header,
                    "parent_header": {},
                    "metadata": {},
                    "content": content,
                    "channel": channel,
                    "buffers": [],
                }
            )
        )
        return msg_id

    async def request(self, msg_type: str, content: dict, timeout: float = 600, on_message=None) -> dict:
        """Send a request; collect everything its execution produces until the kernel is idle
        again and the reply has come. on_message(msg, has_buffers, t) sees every message."""
        msg_id = self._send(msg_type, content)
        reply, idle = None, msg_type != "execute_request"
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LoadTestError(f"{msg_type}: no answer within {timeout:.0f} s")
            try:
                frame = await asyncio.wait_for(self.ws.read_message(), remaining)
            except asyncio.TimeoutError:
                continue
            if frame is None:
                raise LoadTestError(f"{msg_type}: the kernel's connection closed (the kernel died?)")
            t = time.perf_counter()
            msg, has_buffers = _unpack(frame)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if on_message is not None:
                on_message(msg, has_buffers, t)
            if msg["msg_type"] == msg_type.replace("_request", "_reply"):
                reply = msg["content"]
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return reply

    async def execute(self, code: str, timeout: float = 900, on_message=None) -> tuple[dict, str]:
        """Run code; returns (reply content, what it printed). A cell's error is a LoadTestError."""
        printed = []

        def collect(msg, has_buffers, t):
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])
            if on_message is not None:
                on_message(msg, has_buffers, t)

        reply = await self.request(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            timeout,
            collect,
        )
        if reply.get("status") != "ok":
            raise LoadTestError(f"{reply.get('ename')}: {reply.get('evalue')}")
        return reply, "".join(printed)

    def close(self):
        self.ws.close()


# Runs in the learner's kernel after the notebook: finds the notebook's explorer (an object
# with .controls, a dict of ipywidgets controls, and .widget, as lstmlearn.widgets documents
# it), picks its first slider, and prepares 50 positions along it, there and back.
FIND_EXPLORER = r"""
import json as _json
def _load_test_setup(moves):
    import os
    def values_of(control):
        if hasattr(control, "options"):
            return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in control.options]
        lo, hi = getattr(control, "min", None), getattr(control, "max", None)
        if not isinstance(control.value, (int, float)) or lo is None or hi is None or hi <= lo:
            return []
        step = getattr(control, "step", None) or (hi - lo) / 100
        n = min(26, int(round((hi - lo) / step)) + 1)
        if n < 2:
            return []
        grid = [lo + round((hi - lo) / (n - 1) * k / step) * step for k in range(n)]
        return sorted({type(control.value)(min(max(v, lo), hi)) for v in grid})
    seen, explorers = set(), []
    for obj in list(globals().values()):
        try:
            controls = getattr(obj, "controls", None)
            if isinstance(controls, dict) and controls and hasattr(obj, "widget") and id(obj) not in seen:
                seen.add(id(obj))
                explorers.append(obj)
        except Exception:
            pass
    for explorer in explorers:
        for name, control in explorer.controls.items():
            grid = values_of(control)
            if len(grid) >= 2:
                path = grid + grid[-2:0:-1]  # there and back, like a hand on a slider
                start = path.index(control.value) + 1 if control.value in path else 0
                plan = [path[(start + k) % len(path)] for k in range(moves)]
                globals()["_load_test_move"] = lambda k, c=control, p=plan: setattr(c, "value", p[k])
                return {"control": name, "model_id": control.model_id, "explorer": type(explorer).__name__,
                        "kernel_pid": os.getpid(), "server_pid": os.getppid(), "first": plan[0], "last": plan[-1]}
    return {"control": None, "kernel_pid": os.getpid(), "server_pid": os.getppid()}
"""


def peak_rss_mb(pid: int | None) -> float | None:
    """A process's resident-set high-water mark (VmHWM, Linux); elsewhere its current RSS."""
    if not pid:
        return None
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    import psutil

    with contextlib.suppress(psutil.Error):
        return round(psutil.Process(pid).memory_info().rss / 2**20, 1)
    return None


def say(line: str):
    print(f"  {line}", flush=True)


def percentile(values, q: float) -> float | None:
    """The q-th percentile (0-100), linear between closest ranks; None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# ----------------------------------------------------------------------------------------
# One simulated learner


async def spawn(api: Api, name: str, timeout: float = 600) -> float:
    t0 = time.perf_counter()
    await api("POST", f"/hub/api/users/{name}/server")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = (await api("GET", f"/hub/api/users/{name}")).get("servers", {}).get("", {})
        if server.get("ready"):
            return time.perf_counter() - t0
        if not server.get("pending") and not server.get("ready") and time.perf_counter() - t0 > 5:
            raise LoadTestError(f"{name}'s server stopped while it was starting (see the hub's log)")
        await asyncio.sleep(0.2)
    raise LoadTestError(f"{name}'s server was not ready within {timeout:.0f} s")


async def find_notebook(api: Api, name: str, number: str) -> str:
    """The path (from the learner's home) of their copy of notebook NN, as the course laid it out."""
    folders, found = [""], []
    for _ in range(4):
        deeper = []
        for folder in folders:
            listing = await api("GET", f"/user/{name}/api/contents/{folder}?content=1")
            for item in listing.get("content") or []:
                if item["name"].startswith("."):
                    continue
                if item["type"] == "notebook" and item["name"].startswith(f"{number}_"):
                    found.append(item["path"])
                elif item["type"] == "directory":
                    deeper.append(item["path"])
        if found:
            return sorted(found)[0]
        folders = deeper
    raise LoadTestError(f"no notebook {number}_*.ipynb in {name}'s home: was the course laid out?")


class Run:
    """What the learners of one run share: the hub's API, the phases, the clock."""

    def __init__(self, hub: Hub, api: Api, moves: int, explorers_n: int):
        self.hub, self.api, self.moves = hub, api, moves
        self.notebooks_done = Countdown(explorers_n)  # every explorer learner has run the notebook
        self.trainers_ready = Countdown(0)  # every trainer has run the notebook once
        self.explorers_done = asyncio.Event()


async def open_notebook(run: Run, name: str, number: str, result: dict) -> tuple[Kernel, str, list]:
    path = await find_notebook(run.api, name, number)
    result["notebook_path"] = path
    nb = (await run.api("GET", f"/user/{name}/api/contents/{path}?content=1"))["content"]
    cells = [
        c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]
    t0 = time.perf_counter()
    session = await run.api(
        "POST",
        f"/user/{name}/api/sessions",
        {"path": path, "type": "notebook", "name": Path(path).name, "kernel": {"name": "python3"}},
    )
    kernel = await Kernel.connect(run.hub, name, session["kernel"]["id"])
    result["kernel_start_s"] = round(time.perf_counter() - t0, 2)
    _, printed = await kernel.execute("import os as _os; print('PIDS', _os.getpid(), _os.getppid())")
    result["kernel_pid"], result["server_pid"] = (int(x) for x in printed.split("PIDS", 1)[1].split())
    return kernel, session["id"], cells


def cpu_s(*pids) -> float:
    """CPU time (user + system, s) the processes have used so far: unlike wall time, it does not
    depend on what else the machine runs."""
    import psutil

    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
    return total


async def run_cells(kernel: Kernel, cells: list[str], result: dict, stop: asyncio.Event | None = None) -> list:
    """Every code cell in order, as Run All does; returns each cell's kernel CPU time in s."""
    times = []
    for i, source in enumerate(cells):
        if stop is not None and stop.is_set():
            break
        c = cpu_s(result["kernel_pid"])
        try:
            await kernel.execute(source)
        except LoadTestError as e:
            raise LoadTestError(f"code cell {i + 1} of {len(cells)}: {e}") from None
        times.append(cpu_s(result["kernel_pid"]) - c)
    return times


async def move_explorer(run: Run, kernel: Kernel, result: dict):
    _, printed = await kernel.execute(FIND_EXPLORER + f'print("LOAD-TEST", _json.dumps(_load_test_setup({run.moves})))')
    setup = json.loads(printed.split("LOAD-TEST", 1)[1])
    result["kernel_pid"], result["server_pid"] = setup["kernel_pid"], setup["server_pid"]
    result["explorer_control"] = setup["control"]
    if setup["control"] is None:
        return []
    latencies, pictures = [], 0
    for k in range(run.moves):
        changed, picture = [], [False]

        def watch(msg, has_buffers, t):
            content = msg["content"]
            if msg["msg_type"] in ("display_data", "update_display_data") or (
                msg["msg_type"] == "comm_msg"
                and content.get("comm_id") != setup["model_id"]
                and content.get("data", {}).get("method") == "update"
            ):
                changed.append(t)
                picture[0] |= has_buffers or "image/png" in content.get("data", {})

        t0 = time.perf_counter()
        await kernel.execute(f"_load_test_move({k})", timeout=120, on_message=watch)
        if not changed:
            raise LoadTestError(f"move {k + 1}: {setup['control']} = {k}th value changed nothing the learner sees")
        latencies.append((max(changed) - t0) * 1000)
        pictures += picture[0]
    result["explorer_moves"], result["explorer_pictures"] = len(latencies), pictures
    return latencies


async def explorer_learner(run: Run, name: str, number: str) -> dict:
    result = {"name": name, "role": "explorer", "notebook": number, "ok": False}
    kernel = None
    arrived = False
    try:
        result["spawn_s"] = round(await spawn(run.api, name), 2)
        say(f"{name}: server ready in {result['spawn_s']} s")
        kernel, session, cells = await open_notebook(run, name, number, result)
        pids = result["kernel_pid"], result["server_pid"]
        t, c0 = time.perf_counter(), cpu_s(*pids)
        await run_cells(kernel, cells, result)
        result["notebook_s"] = round(time.perf_counter() - t, 2)
        c1 = cpu_s(*pids)
        result["notebook_cpu_s"] = round(c1 - c0, 2)
        say(f"{name}: {result['notebook_path']} ran in {result['notebook_s']} s")
        arrived = run.notebooks_done.arrive()
        await run.notebooks_done.wait()  # everyone's notebook has run: now the sliders
        await run.trainers_ready.wait()  # and the trainers are at their training cells
        c1 = cpu_s(*pids)
        latencies = await move_explorer(run, kernel, result)
        if latencies:
            result["explorer_cpu_ms_per_move"] = round((cpu_s(*pids) - c1) * 1000 / len(latencies), 1)
        result["explorer_ms"] = [round(x, 1) for x in latencies]
        result["explorer_p50_ms"] = round(percentile(latencies, 50), 1) if latencies else None
        result["explorer_p95_ms"] = round(percentile(latencies, 95), 1) if latencies else None
        result["kernel_peak_rss_mb"] = peak_rss_mb(result["kernel_pid"])
        result["server_peak_rss_mb"] = peak_rss_mb(result["server_pid"])
        result["peak_rss_mb"] = round(result["kernel_peak_rss_mb"] + result["server_peak_rss_mb"], 1)
        say(
            f"{name}: {len(latencies)} explorer moves ({result['explorer_control']}), "
            f"p95 {result['explorer_p95_ms']} ms"
        )
        await run.api("DELETE", f"/user/{name}/api/sessions/{session}")
        result["ok"] = True
    except (LoadTestError, OSError) as e:
        result["error"] = str(e)
        say(f"{name}: FAILED: {e}")
    finally:
        if not arrived:
            run.notebooks_done.arrive()  # never leave the others waiting for a learner who failed
        if kernel is not None:
            kernel.close()
    return result


async def trainer_learner(run: Run, name: str, number: str, passes: int) -> dict:
    """A learner who runs the notebook, then re-runs its slow cells (its training) until the
    explorer learners are done: the CPU load a room puts on a hub in notebook 07."""
    result = {"name": name, "role": "trainer", "notebook": number, "ok": False}
    kernel = None
    arrived = False
    try:
        result["spawn_s"] = round(await spawn(run.api, name), 2)
        say(f"{name}: server ready in {result['spawn_s']} s")
        kernel, session, cells = await open_notebook(run, name, number, result)
        pids = result["kernel_pid"], result["server_pid"]
        t, c0 = time.perf_counter(), cpu_s(*pids)
        times = await run_cells(kernel, cells, result)
        result["notebook_s"] = round(time.perf_counter() - t, 2)
        result["notebook_cpu_s"] = round(cpu_s(*pids) - c0, 2)
        say(f"{name}: {result['notebook_path']} ran in {result['notebook_s']} s; now re-running its training")
        # its training: the cells that used a second of CPU or more (CPU time, so that a
        # busy machine does not make an import look like training)
        slow = [i for i, s in enumerate(times) if s >= 1.0] or [max(range(len(times)), key=times.__getitem__)]
        result["training_cells"] = [i + 1 for i in slow]
        result["training_cpu_s_first_pass"] = round(sum(times[i] for i in slow), 2)
        arrived = run.trainers_ready.arrive()
        await run.trainers_ready.wait()
        rerun, rerun_cpu = [], []
        for _ in range(passes):
            t, c = time.perf_counter(), cpu_s(result["kernel_pid"])
            await run_cells(kernel, [cells[i] for i in slow], result, stop=run.explorers_done)
            if run.explorers_done.is_set():
                break
            rerun.append(time.perf_counter() - t)
            rerun_cpu.append(cpu_s(result["kernel_pid"]) - c)
        result["training_s_under_load"] = [round(x, 2) for x in rerun]
        result["training_cpu_s"] = [round(x, 2) for x in rerun_cpu]
        result["kernel_peak_rss_mb"] = peak_rss_mb(result["kernel_pid"])
        result["server_peak_rss_mb"] = peak_rss_mb(result["server_pid"])
        result["peak_rss_mb"] = round(result["kernel_peak_rss_mb"] + result["server_peak_rss_mb"], 1)
        await run.api("DELETE", f"/user/{name}/api/sessions/{session}")
        result["ok"] = True
    except (LoadTestError, OSError) as e:
        result["error"] = str(e)
        say(f"{name}: FAILED: {e}")
    finally:
        if kernel is not None:
            kernel.close()
        if not arrived:
            run.trainers_ready.arrive()  # never leave the explorer learners waiting for a failed trainer
    return result


class Countdown(asyncio.Event):
    """Set once `count` learners have arrived (at once if count is 0)."""

    def __init__(self, count: int):
        super().__init__()
        self.count = count
        if count <= 0:
            self.set()

    def arrive(self) -> bool:
        self.count -= 1
        if self.count <= 0:
            self.set()
        return True


async def watch_machine(hub: Hub, stats: dict, stop: asyncio.Event, min_free_mb: float, oom: asyncio.Event):
    """Every half second: load average, free memory; the hub's processes noted for clean-up."""
    import psutil

    while not stop.is_set():
        mem = psutil.virtual_memory()
        stats["min_available_mb"] = min(stats.get("min_available_mb", 1e12), mem.available / 2**20)
        stats.setdefault("load_1min", []).append(os.getloadavg()[0])
        if mem.available / 2**20 < min_free_mb:
            oom.set()
        hub.remember_processes()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def learners(
    hub: Hub,
    users: int,
    notebook: str,
    moves: int,
    trainers: int,
    trainer_notebook: str,
    passes: int,
    min_free_mb: float,
) -> dict:
    api = Api(hub)
    names = [f"learner{i + 1:02d}" for i in range(users)] + [f"trainer{i + 1:02d}" for i in range(trainers)]
    await api("POST", "/hub/api/users", {"usernames": names})
    run = Run(hub, api, moves, users)
    run.trainers_ready = Countdown(trainers)
    stats, stop, oom = {}, asyncio.Event(), asyncio.Event()
    watcher = asyncio.ensure_future(watch_machine(hub, stats, stop, min_free_mb, oom))
    t0 = time.perf_counter()

    async def explorers():
        try:
            return await asyncio.gather(*(explorer_learner(run, n, notebook) for n in names[:users]))
        finally:
            run.explorers_done.set()

    work = asyncio.ensure_future(
        asyncio.gather(explorers(), *(trainer_learner(run, n, trainer_notebook, passes) for n in names[users:]))
    )
    oom_wait = asyncio.ensure_future(oom.wait())
    try:
        await asyncio.wait([work, oom_wait], return_when=asyncio.FIRST_COMPLETED)
        if oom.is_set() and not work.done():
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await work
            results = [{"name": n, "ok": False, "error": "stopped: the machine ran out of memory"} for n in names]
        else:
            explorer_results, *trainer_results = work.result()
            results = list(explorer_results) + list(trainer_results)
        await asyncio.gather(
            *(api("DELETE", f"/hub/api/users/{n}/server", ok=(202, 204, 400)) for n in names), return_exceptions=True
        )
    finally:
        stop.set()
        oom_wait.cancel()
        await watcher
    load = stats.get("load_1min", [0.0])
    return {
        "users_n": users,
        "notebook": notebook,
        "moves": moves,
        "trainers_n": trainers,
        "trainer_notebook": trainer_notebook if trainers else None,
        "blas_threads": hub.blas_threads or "as configured",
        "wall_s": round(time.perf_counter() - t0, 1),
        "out_of_memory": oom.is_set(),
        "machine_min_available_mb": round(stats.get("min_available_mb", 0)),
        "load_avg_1min": {
            "start": round(load[0], 2),
            "mean": round(statistics.fmean(load), 2),
            "max": round(max(load), 2),
        },
        "users": [r for r in results if r.get("role", "explorer") == "explorer"],
        "trainers": [r for r in results if r.get("role") == "trainer"],
    }


def _median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summarise(run: dict) -> dict:
    everyone = run["users"] + run["trainers"]
    moves = [x for r in run["users"] for x in r.get("explorer_ms", [])]
    notebook = [r["notebook_s"] for r in run["users"] if "notebook_s" in r]
    training = [x for r in run["trainers"] for x in r.get("training_s_under_load", [])]
    alone = [r["training_cpu_s_first_pass"] for r in run["trainers"] if "training_cpu_s_first_pass" in r]

    def rnd(x, d=1):
        return None if x is None else round(x, d)

    return {
        "ok": all(r["ok"] for r in everyone) and not run["out_of_memory"],
        "failures": sum(not r["ok"] for r in everyone),
        "spawn_s_max": rnd(max((r["spawn_s"] for r in everyone if "spawn_s" in r), default=None), 2),
        "notebook_s_median": rnd(statistics.median(notebook) if notebook else None, 2),
        "notebook_s_max": rnd(max(notebook, default=None), 2),
        "explorer_p50_ms": rnd(percentile(moves, 50)),
        "explorer_p95_ms": rnd(percentile(moves, 95)),
        "explorer_cpu_ms_per_move_median": rnd(_median([r.get("explorer_cpu_ms_per_move") for r in run["users"]])),
        "notebook_cpu_s_median": rnd(_median([r.get("notebook_cpu_s") for r in run["users"]]), 2),
        "peak_rss_mb_max": rnd(max((r["peak_rss_mb"] for r in everyone if "peak_rss_mb" in r), default=None)),
        "kernel_peak_rss_mb_max": rnd(
            max((r["kernel_peak_rss_mb"] for r in everyone if "kernel_peak_rss_mb" in r), default=None)
        ),
        "training_cpu_s_median": rnd(statistics.median(alone) if alone else None, 2),
        "training_s_under_load_median": rnd(statistics.median(training) if training else None, 2),
    }


def one_run(
    users: int,
    notebook: str,
    moves: int,
    trainers: int,
    trainer_notebook: str,
    passes: int,
    blas_threads: str | None,
    min_free_mb: float,
    keep_state: bool = False,
) -> dict:
    with Hub(blas_threads=blas_threads, keep_state=keep_state) as hub:
        try:
            run = asyncio.run(learners(hub, users, notebook, moves, trainers, trainer_notebook, passes, min_free_mb))
        except LoadTestError as e:
            raise LoadTestError(f"{e}\nthe hub's log ends with:\n{hub.log_tail()}") from None
        if not all(r["ok"] for r in run["users"] + run["trainers"]):
            run["hub_log_tail"] = hub.log_tail(60)
    run["left_running"] = hub.leftovers
    run["summary"] = summarise(run)
    return run


def memory_by_notebook(numbers, moves: int, blas_threads, min_free_mb: float) -> list[dict]:
    """One learner; each notebook in a fresh kernel of the same server: its kernel's peak RSS."""
    rows = []
    with Hub(blas_threads=blas_threads) as hub:

        async def go():
            api = Api(hub)
            await api("POST", "/hub/api/users", {"usernames": ["learner01"]})
            spawn_s = await spawn(api, "learner01")
            run = Run(hub, api, moves, 0)
            stop, oom, stats = asyncio.Event(), asyncio.Event(), {}
            watcher = asyncio.ensure_future(watch_machine(hub, stats, stop, min_free_mb, oom))
            try:
                for number in numbers:
                    result = {"name": "learner01", "notebook": number, "ok": False, "spawn_s": round(spawn_s, 2)}
                    kernel = None
                    try:
                        kernel, session, cells = await open_notebook(run, "learner01", number, result)
                        t, c0 = time.perf_counter(), cpu_s(result["kernel_pid"])
                        await run_cells(kernel, cells, result)
                        result["notebook_s"] = round(time.perf_counter() - t, 2)
                        result["notebook_cpu_s"] = round(cpu_s(result["kernel_pid"]) - c0, 2)
                        latencies = await move_explorer(run, kernel, result)
                        result["explorer_p50_ms"] = round(percentile(latencies, 50), 1) if latencies else None
                        result["explorer_p95_ms"] = round(percentile(latencies, 95), 1) if latencies else None
                        result["kernel_peak_rss_mb"] = peak_rss_mb(result["kernel_pid"])
                        result["server_peak_rss_mb"] = peak_rss_mb(result["server_pid"])
                        result["peak_rss_mb"] = round(result["kernel_peak_rss_mb"] + result["server_peak_rss_mb"], 1)
                        await api("DELETE", f"/user/learner01/api/sessions/{session}")
                        result["ok"] = True
                    except LoadTestError as e:
                        result["error"] = str(e)
                    finally:
                        if kernel is not None:
                            kernel.close()
                    result["load_avg_1min"] = round(os.getloadavg()[0], 2)
                    rows.append(result)
                    print(
                        f"  {number}: kernel peak {result.get('kernel_peak_rss_mb')} MB, "
                        f"notebook {result.get('notebook_s')} s, ok={result['ok']}",
                        flush=True,
                    )
            finally:
                stop.set()
                await watcher

        asyncio.run(go())
    return rows


# ----------------------------------------------------------------------------------------
# Tables


def _f(x, d=1):
    return "-" if x is None else f"{x:.{d}f}"


def print_run(run: dict):
    print(
        f"\nN = {run['users_n']} learners on notebook {run['notebook']}"
        + (f", {run['trainers_n']} re-running {run['trainer_notebook']}'s training" if run["trainers_n"] else "")
        + f"; OPENBLAS_NUM_THREADS {run['blas_threads']}; load average {run['load_avg_1min']['start']:.2f} at the "
        f"start, {run['load_avg_1min']['mean']:.2f} mean; {run['wall_s']} s"
    )
    print(
        f"{'learner':<10} {'ok':<3} {'spawn s':>8} {'notebook s':>11} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'kernel MB':>10} {'server+kernel MB':>17}"
    )
    for r in run["users"] + run["trainers"]:
        print(
            f"{r['name']:<10} {'yes' if r['ok'] else 'NO':<3} {_f(r.get('spawn_s'), 2):>8} "
            f"{_f(r.get('notebook_s'), 2):>11} {_f(r.get('explorer_p50_ms')):>8} {_f(r.get('explorer_p95_ms')):>8} "
            f"{_f(r.get('kernel_peak_rss_mb'), 0):>10} {_f(r.get('peak_rss_mb'), 0):>17}"
        )
        if not r["ok"]:
            print(f"           error: {r.get('error')}")
    s = run["summary"]
    print(
        f"all moves: p50 {_f(s['explorer_p50_ms'])} ms, p95 {_f(s['explorer_p95_ms'])} ms, "
        f"{_f(s.get('explorer_cpu_ms_per_move_median'))} ms CPU per move; "
        f"largest server+kernel {_f(s['peak_rss_mb_max'], 0)} MB; failures {s['failures']}"
        + (
            f"; the training cells use {s['training_cpu_s_median']} s CPU; a re-run took "
            f"{s['training_s_under_load_median']} s (medians)"
            if run["trainers_n"]
            else ""
        )
    )
    if run["out_of_memory"]:
        print("stopped: the machine ran out of memory")
    if run.get("left_running"):
        print("left running after the hub stopped (then killed):", ", ".join(run["left_running"]))


def sweep_table(runs: list[dict]) -> str:
    lines = [
        "| N | explorer p50 ms | explorer p95 ms | CPU ms per move | notebook s (median, max) "
        "| notebook CPU s | spawn s (max) | peak MB per learner (max) | failures | load average (start, mean) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        s = run["summary"]
        lines.append(
            f"| {run['users_n']} | {_f(s['explorer_p50_ms'], 0)} | {_f(s['explorer_p95_ms'], 0)} | "
            f"{_f(s.get('explorer_cpu_ms_per_move_median'), 0)} | "
            f"{_f(s['notebook_s_median'])}, {_f(s['notebook_s_max'])} | "
            f"{_f(s.get('notebook_cpu_s_median'))} | {_f(s['spawn_s_max'])} | "
            f"{_f(s['peak_rss_mb_max'], 0)} | {s['failures']}{' (out of memory)' if run['out_of_memory'] else ''} | "
            f"{run['load_avg_1min']['start']:.1f}, {run['load_avg_1min']['mean']:.1f} |"
        )
    return "\n".join(lines)


def memory_table(rows: list[dict]) -> str:
    lines = [
        "| notebook | kernel peak MB | server + kernel MB | run all: wall s | run all: kernel CPU s "
        "| explorer p95 ms | load average |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['notebook']} | {_f(r.get('kernel_peak_rss_mb'), 0)} | {_f(r.get('peak_rss_mb'), 0)} | "
            f"{_f(r.get('notebook_s'))} | {_f(r.get('notebook_cpu_s'))} | "
            f"{_f(r.get('explorer_p95_ms'), 0)} | {_f(r.get('load_avg_1min'))} |"
        )
    return "\n".join(lines)


def report(paths: list[str]):
    """The markdown tables of saved results (the guide's tables come from these)."""
    for path in paths:
        data = json.loads(Path(path).read_text())
        print(f"\n{path}  ({data.get('command', '')})")
        if "notebooks" in data:
            print(memory_table(data["notebooks"]))
        else:
            print(sweep_table(data["runs"] if "runs" in data else [data]))


# ----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    parser.add_argument("--users", type=int, default=3, help="learners moving the explorer (default 3)")
    parser.add_argument(
        "--notebook",
        default="03",
        help="NN of the notebook they run (default 03), or 'all': "
        "the kernel's peak memory for each of 00-09, one learner",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help=f"N = {', '.join(map(str, SWEEP))}; stops at "
        "the first N where a learner fails or the machine runs out of memory",
    )
    parser.add_argument("--moves", type=int, default=50, help="explorer moves per learner (default 50)")
    parser.add_argument(
        "--trainers",
        type=int,
        default=0,
        help="more learners who, while the others move "
        "their explorers, re-run the training cells of --trainer-notebook (default 0)",
    )
    parser.add_argument("--trainer-notebook", default="07")
    parser.add_argument("--trainer-passes", type=int, default=3, help="at most this many re-runs (default 3)")
    parser.add_argument(
        "--blas-threads",
        choices=["1", "2", "unset"],
        default=None,
        help="OPENBLAS_NUM_THREADS for every learner (default: as jupyterhub_config.py sets it)",
    )
    parser.add_argument(
        "--min-free-mb",
        type=float,
        default=1024,
        help="stop when the machine's available memory falls below this (default 1024)",
    )
    parser.add_argument("--keep-state", action="store_true", help="keep the hub's temporary folder (logs, homes)")
    parser.add_argument("--out", help="write the results as JSON to this file")
    parser.add_argument("--report", nargs="+", metavar="JSON", help="print the tables of saved results and exit")
    args = parser.parse_args(argv)
    if args.report:
        report(args.report)
        return 0
    if args.notebook != "all" and args.notebook not in NOTEBOOKS:
        parser.error(f"--notebook: expected one of {', '.join(NOTEBOOKS)} or 'all', got {args.notebook!r}")
    if args.users < 1 or args.trainers < 0 or args.moves < 1:
        parser.error("--users and --moves must be at least 1, --trainers at least 0")
    problems = missing_requirements()
    if problems:
        print("cannot run the load test:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C: everything is cleaned up
    out = {
        "command": " ".join(["python", "benchmarks/workshop_load.py"] + list(sys.argv[1:] if argv is None else argv)),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "versions": versions(),
        "run_id": RUN_ID,
    }
    print(
        f"JupyterHub {out['versions']['jupyterhub']}, configurable-http-proxy "
        f"{out['versions']['configurable-http-proxy']}, {out['machine']['cores']} cores, "
        f"{out['machine']['memory_gb']} GB; load average {os.getloadavg()[0]:.2f}; "
        f"processes of this run carry LSTMLEARN_LOAD_RUN={RUN_ID}",
        flush=True,
    )
    ok = True
    try:
        if args.notebook == "all":
            rows = memory_by_notebook(NOTEBOOKS, args.moves, args.blas_threads, args.min_free_mb)
            out["notebooks"] = rows
            print(memory_table(rows))
            ok = all(r["ok"] for r in rows)
        else:
            runs = []
            for n in SWEEP if args.sweep else (args.users,):
                run = one_run(
                    n,
                    args.notebook,
                    args.moves,
                    args.trainers,
                    args.trainer_notebook,
                    args.trainer_passes,
                    args.blas_threads,
                    args.min_free_mb,
                    args.keep_state,
                )
                runs.append(run)
                print_run(run)
                if not run["summary"]["ok"]:
                    ok = False
                    if args.sweep:
                        print(f"sweep stopped at N = {n}")
                    break
            if args.sweep:
                out["runs"] = runs
                print("\n" + sweep_table(runs))
            else:
                out.update(runs[0])
    except LoadTestError as e:
        print(f"load test failed: {e}", file=sys.stderr)
        ok = False
        out["error"] = str(e)
    except KeyboardInterrupt:
        print("interrupted; the hub and everything it started have been stopped", file=sys.stderr)
        return 130
    finally:
        if args.out:
            Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print("every simulated learner ok" if ok else "NOT every simulated learner ok")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
