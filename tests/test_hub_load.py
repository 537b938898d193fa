"""The workshop hub under load: a real JupyterHub, configurable-http-proxy and two simulated
learners who run notebook 03 and move its explorer (benchmarks/workshop_load.py); and nothing
the load test started is left running, after a normal run or after Ctrl-C.

Needs the hub extra and the proxy; skipped with the instructions otherwise:
    python -m pip install -e ".[hub]" && npm ci --prefix deploy/jupyterhub
"""

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "workshop_load.py"
sys.path.insert(0, str(SCRIPT.parent))
import workshop_load  # noqa: E402

MISSING = workshop_load.missing_requirements()
needs_hub = pytest.mark.skipif(bool(MISSING), reason="the hub load test needs: " + "; ".join(MISSING))


def run_mark(output: str) -> str:
    return re.search(r"LSTMLEARN_LOAD_RUN=([0-9a-f]+)", output).group(1)


def left_running(mark: str) -> list[str]:
    return [f"{p.pid} {p.name()}" for p in workshop_load.processes_of_run(mark)]


@pytest.mark.hub
@needs_hub
def test_two_learners_run_notebook_03_and_move_its_explorer(tmp_path):
    out = tmp_path / "load.json"
    done = subprocess.run([sys.executable, str(SCRIPT), "--users", "2", "--notebook", "03", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert left_running(run_mark(report)) == [], report

    result = json.loads(out.read_text())
    assert result["versions"]["jupyterhub"] and result["versions"]["configurable-http-proxy"], result["versions"]
    assert result["left_running"] == []
    assert [u["name"] for u in result["users"]] == ["learner01", "learner02"]
    for user in result["users"]:
        assert user["ok"], user
        assert user["notebook_path"].endswith(".ipynb") and "03_" in user["notebook_path"]
        assert user["spawn_s"] > 0 and user["notebook_s"] > 0
        assert user["explorer_moves"] == 50 and len(user["explorer_ms"]) == 50
        assert user["explorer_pictures"] == 50  # every move redrew the explorer's figure
        assert 0 < user["explorer_p50_ms"] <= user["explorer_p95_ms"]
        # the learner's server and kernel: real processes of some tens of MB at least
        assert 20 < user["kernel_peak_rss_mb"] < user["peak_rss_mb"]
    assert result["summary"]["ok"] and result["summary"]["failures"] == 0


@pytest.mark.hub
@needs_hub
def test_ctrl_c_stops_the_hub_and_everything_it_started():
    proc = subprocess.Popen([sys.executable, str(SCRIPT), "--users", "1", "--notebook", "03"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 600
        for line in proc.stdout:  # wait until a learner's server (and so the hub and proxy) runs
            lines.append(line)
            if "server ready" in line or time.monotonic() > deadline:
                break
        assert any("server ready" in line for line in lines), "".join(lines)
        mark = run_mark("".join(lines))
        assert left_running(mark), "the run's processes should be there before Ctrl-C"
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    report = "".join(lines) + rest
    assert proc.returncode == 130, report
    assert "interrupted" in report
    assert left_running(mark) == [], report


def test_the_percentile_is_the_usual_linear_one():
    xs = list(range(1, 101))
    assert workshop_load.percentile(xs, 50) == pytest.approx(50.5)
    assert workshop_load.percentile(xs, 95) == pytest.approx(95.05)
    assert workshop_load.percentile([7.0], 95) == 7.0
    assert workshop_load.percentile([], 95) is None


def test_a_binary_kernel_message_unpacks_to_its_json_part():
    msg = {"msg_type": "comm_msg", "content": {"data": {"method": "update"}}}
    body = json.dumps(msg).encode()
    png = b"\x89PNG fake"
    frame = struct_pack(body, png)
    assert workshop_load._unpack(frame) == (msg, True)
    assert workshop_load._unpack(json.dumps(msg)) == (msg, False)


def struct_pack(*parts: bytes) -> bytes:
    """The server's binary websocket framing: count, offsets, then the parts."""
    import struct

    offsets = [4 * (len(parts) + 1)]
    for part in parts[:-1]:
        offsets.append(offsets[-1] + len(part))
    return struct.pack("!" + "I" * (len(parts) + 1), len(parts), *offsets) + b"".join(parts)
