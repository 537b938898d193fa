"""The experiment records (benchmarks/records.py) cannot rot: every registered script exists
and takes --quick and --out, one cheap record runs end to end in quick mode, and the
training loop that counts sequences the 1997 way agrees with lstmlearn's own pieces."""

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn import tasks

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

import records  # noqa: E402
from paper_criterion import RunningWindow, _predictions, adding_errors, class_errors, train_until  # noqa: E402


def load_script(name):
    spec = importlib.util.spec_from_file_location(f"record_script_{Path(name).stem}", BENCH / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_records_have_unique_names_and_outputs():
    names = [r.name for r in records.RECORDS]
    outputs = [r.output for r in records.RECORDS]
    assert records.RECORDS and len(set(names)) == len(names) and len(set(outputs)) == len(outputs)
    for r in records.RECORDS:
        assert r.minutes > 0 and r.about and r.notebook


@pytest.mark.parametrize("record", records.RECORDS, ids=lambda r: r.name)
def test_every_script_exists_and_takes_quick_and_out(record, tmp_path):
    script = BENCH / record.script
    assert script.is_file(), f"{record.name}: benchmarks/{record.script} does not exist"
    proc = subprocess.run(
        [sys.executable, str(script), *record.args, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "--quick" in proc.stdout and "--out" in proc.stdout
    module = load_script(record.script)
    if hasattr(module, "build_parser"):  # the registered arguments themselves parse
        args = module.build_parser().parse_args([*record.args, "--quick", "--out", str(tmp_path / "x.json")])
        assert args.quick and Path(args.out) == tmp_path / "x.json"


def test_list_names_every_record_and_its_command():
    proc = subprocess.run(
        [sys.executable, str(BENCH / "records.py"), "--list"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    for r in records.RECORDS:
        assert r.name in proc.stdout and r.shown() in proc.stdout


def test_unknown_record_is_a_clear_error():
    with pytest.raises(SystemExit, match="unknown record nope"):
        records.by_name(["nope"])


def test_makespan_puts_the_longest_record_first():
    R = records.Record
    rs = [
        R("a", "s", (), "a.json", 1, "07", ""),
        R("b", "s", (), "b.json", 5, "07", ""),
        R("c", "s", (), "c.json", 4, "07", ""),
    ]
    assert [r.name for r in records.schedule(rs, 2)] == ["b", "c", "a"]
    assert records.makespan(rs, 2) == 5 and records.makespan(rs, 1) == 10


def test_quick_mode_of_the_adding_record_end_to_end(tmp_path):
    shipped = ROOT / "data" / "results" / "adding_T50.json"
    before = shipped.read_bytes() if shipped.exists() else None
    proc = subprocess.run(
        [sys.executable, str(BENCH / "records.py"), "--quick", "--only", "adding_T50", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    r = json.loads((tmp_path / "adding_T50.json").read_text())
    assert r["quick"] is True and r["seeds"] == [0] and r["budget_steps"] == 200
    assert r["command"].startswith("OPENBLAS_NUM_THREADS=1 python benchmarks/run_long_lag.py adding --T 50")
    for core in ("lstm", "rnn"):
        (run,) = r["configs"][core]["runs"]
        curve = run["curve"]
        assert run["steps"] <= 200 and curve["eval_step"][0] == 0 and curve["eval_step"][-1] == run["steps"]
        assert len(curve["score"]) == len(curve["eval_step"]) and 0 <= run["eval_score"] <= 1
        assert run["cpu_seconds"] > 0 and run["wall_seconds"] > 0
    assert all("Too few seeds" in c["verdict"] for c in r["comparisons"])
    assert (shipped.read_bytes() if shipped.exists() else None) == before, "quick mode wrote to data/results/"


# --- the shipped records and the notebooks that read them ---

RESULTS = ROOT / "data" / "results"
NAMED = re.compile(r"[A-Za-z0-9_{}]+\.json")  # a results file as a notebook names it, {name} a wildcard


def results_named_by(source: str) -> set:
    """The data/results/ files a notebook source names; a name with {...} in it is a pattern
    (`variants_{name}.json`) and stands for every shipped file it matches."""
    names = set()
    for m in NAMED.findall(source):
        if "{" in m:
            parts = re.split(r"\{[^}]*\}", m)  # the fixed pieces around each {...}
            pattern = re.compile(".+".join(map(re.escape, parts)) + "$")
            names |= {f.name for f in RESULTS.glob("*.json") if pattern.match(f.name)}
        else:
            names.add(m)
    return names


def test_results_named_by_finds_plain_names_and_patterns():
    found = results_named_by('load("adding_T50.json"); RESULTS / f"adding_T{T}.json"; x.npz')
    assert "adding_T50.json" in found and "adding_T100.json" in found and not any(n.endswith(".npz") for n in found)


sys.path.insert(0, str(ROOT / "tools"))
from manifest import load  # noqa: E402

NUMBER = {nb.stem: nb.number for nb in load()}  # notebooks/course.toml
READERS = [p for p in (ROOT / "notebooks" / "src" / f"{s}.py" for s in NUMBER) if results_named_by(p.read_text())]


def test_the_notebooks_that_read_records_are_found():
    assert "07_long_time_lags" in [p.stem for p in READERS]


@pytest.mark.parametrize("source", READERS, ids=lambda p: p.stem)
def test_every_results_file_a_notebook_reads_is_a_registered_record(source):
    named = results_named_by(source.read_text())
    outputs = {r.output: r for r in records.RECORDS}
    notebook = NUMBER[source.stem]
    if not any(r.notebook == notebook for r in records.RECORDS):
        pytest.skip(
            f"notebook {notebook} reads {sorted(named)}, but no record of notebook {notebook} is registered "
            f"in benchmarks/records.py yet"
        )
    missing = sorted(named - set(outputs))
    assert not missing, (
        f"{source.name} reads data/results/{missing} but benchmarks/records.py registers no "
        f"Record with that output: add one, so that the number it shows can be regenerated"
    )
    for name in named:
        assert outputs[name].notebook == notebook, (
            f"{name} is read by notebook {notebook}, registered for {outputs[name].notebook}"
        )


def test_every_file_in_results_is_a_registered_record():
    registered = {r.output for r in records.RECORDS}
    shipped = {p.name for p in RESULTS.glob("*.json")}
    assert shipped <= registered, (
        f"data/results holds files that no command regenerates: {sorted(shipped - registered)}; "
        f"register them in benchmarks/records.py or remove them"
    )


@pytest.mark.parametrize("record", records.RECORDS, ids=lambda r: r.name)
def test_each_shipped_record_was_made_by_its_registered_command(record):
    path = RESULTS / record.output
    assert path.is_file(), (
        f"{record.name}: data/results/{record.output} is missing; run python benchmarks/records.py --only {record.name}"
    )
    r = json.loads(path.read_text())
    assert r["quick"] is False, f"{record.output} holds a --quick run, not the record"
    assert r["command"] == record.shown(), f"{record.output} was made by {r['command']!r}, not by {record.shown()!r}"
    assert r["cpu_seconds"] > 0 and r["wall_seconds"] > 0
    for key in ("seeds", "sweep_seeds", "compare_seeds"):  # the seeds of each configuration
        seeds = r.get(key)
        if isinstance(seeds, dict):  # {"init": [...], "batches": ..., ...}
            seeds = seeds["init"]
        if seeds is not None:
            assert len(seeds) >= ll.evidence.MIN_SEEDS, f"{record.output}: {key} = {seeds}"


# --- the 1997 way of counting (benchmarks/paper_criterion.py) ---


def test_running_window_needs_the_whole_window_correct_and_a_low_mean():
    def errors(P, batch):
        e = np.asarray(P, float)
        return e, e < 0.5

    w = RunningWindow(errors, window=4, max_mean_error=0.2)
    assert not w.update([0.1, 0.1, 0.1], None, 3)  # only 3 of 4 seen
    assert w.update([0.1], None, 1)
    assert not w.update([0.9], None, 1)  # one wrong in the last 4
    assert not w.update([0.1, 0.1, 0.1], None, 3)  # the wrong one is still in the window
    assert w.update([0.1], None, 1)  # ... and now it has left
    assert not w.update([0.45, 0.45, 0.45, 0.45], None, 4)  # all correct, mean 0.45 too high
    assert w.status() == {"fraction_correct": 1.0, "mean_error": pytest.approx(0.45)}


def test_the_final_state_trick_gives_the_forward_predictions():
    task = tasks.adding_task(30)
    model = task.model("lstm-no_forget", 4)
    params = ll.init_model(model, np.random.default_rng(0))
    batch = task.sample(np.random.default_rng(1), 1)
    _, _, state = ll.loss_and_grads(params, batch.X, batch.Y, model, lengths=batch.lengths, return_state=True)
    np.testing.assert_allclose(
        _predictions(params, batch, model, state),
        ll.forward(params, batch.X, model, lengths=batch.lengths).Y,
        rtol=1e-12,
    )


def test_error_functions_follow_the_paper():
    b = tasks.Batch(np.zeros((3, 2, 2)), np.array([[0.5], [0.7]]))
    err, ok = adding_errors(np.array([[0.53], [0.75]]), b)
    np.testing.assert_allclose(err, [0.03**2, 0.05**2])
    assert ok.tolist() == [True, False]
    logits = np.log(np.array([[0.8, 0.1, 0.05, 0.05], [0.6, 0.35, 0.03, 0.02]]))
    err, ok = class_errors(logits, tasks.Batch(None, np.array([0, 0])))
    np.testing.assert_allclose(err, [0.2**2 + 0.1**2 + 2 * 0.05**2, 0.4**2 + 0.35**2 + 0.03**2 + 0.02**2])
    assert ok.tolist() == [True, False]  # |0.6 - 1| = 0.4 > 0.3


def test_train_until_stops_when_the_criterion_holds_and_censors_otherwise():
    task = tasks.adding_task(30)
    model = task.model("lstm", 8)
    params = ll.init_model(model, np.random.default_rng(0), forget_bias=3.0)
    never = RunningWindow(adding_errors, window=50, max_mean_error=0.0)  # mean error below 0: impossible
    res = train_until(
        model, params, task, ll.Adam(lr=1e-2), never, batch_size=8, seed=0, clip=1.0, max_sequences=80, record_every=40
    )
    assert res["sequences"] == np.inf and res["sequences_seen"] == 80 and res["steps"] == 10
    assert res["curve"]["sequences"] == [40, 80]
    always = RunningWindow(lambda P, b: (np.zeros(len(P)), np.ones(len(P), bool)), window=16, max_mean_error=1)
    res = train_until(model, params, task, ll.Adam(lr=1e-2), always, batch_size=8, seed=0, clip=1.0, max_sequences=80)
    assert res["sequences"] == 16 and res["steps"] == 2


# --- stop means stop: Ctrl-C and SIGTERM end the whole run ------------------------------------

FAKE_RECORD = """
import argparse, os, sys, time
from pathlib import Path
ap = argparse.ArgumentParser()
ap.add_argument("--out"); ap.add_argument("--quick", action="store_true"); ap.add_argument("--seconds", type=float)
args = ap.parse_args()
out = Path(args.out)
(out.parent / (out.stem + ".started")).write_text(str(os.getpid()))
time.sleep(args.seconds)
tmp = out.with_suffix(".tmp")
tmp.write_text("{}")
os.replace(tmp, out)
"""

DRIVER = """
import sys
sys.path.insert(0, {bench!r})
import records
fake = {fake!r}
records.RECORDS[:] = [
    records.Record(name, fake, ("--seconds", str(s)), name + ".json", m, "07", "a fake record")
    for name, s, m in (("long_a", 60, 3.0), ("long_b", 60, 2.0), ("queued", 0.1, 1.0))
]
sys.exit(records.main(["--jobs", "2", "--out", {out!r}]))
"""


def _alive(pid: int) -> bool:
    """Is `pid` running (an ended process not yet reaped, a zombie, counts as ended)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals and process groups")
@pytest.mark.parametrize("how", ["ctrl-c-to-the-group", "sigint-to-the-parent", "sigterm-to-the-parent"])
def test_a_signal_stops_every_record_and_says_what_was_not_written(tmp_path, how):
    fake = tmp_path / "fake_record.py"
    fake.write_text(FAKE_RECORD)
    out = tmp_path / "out"
    driver = DRIVER.format(bench=str(BENCH), fake=str(fake), out=str(out))
    parent = subprocess.Popen(
        [sys.executable, "-c", driver],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        started = [out / "long_a.started", out / "long_b.started"]
        deadline = time.monotonic() + 60
        while not all(p.exists() and p.read_text() for p in started):
            assert time.monotonic() < deadline and parent.poll() is None, "the fake records did not start"
            time.sleep(0.05)
        children = [int(p.read_text()) for p in started]
        if how == "ctrl-c-to-the-group":  # what a terminal does: the signal goes to the foreground group
            os.killpg(parent.pid, signal.SIGINT)
        else:
            parent.send_signal(signal.SIGINT if how == "sigint-to-the-parent" else signal.SIGTERM)
        t0 = time.monotonic()
        stdout, stderr = parent.communicate(timeout=30)
        assert time.monotonic() - t0 < 15  # at once, not after the records' 60 s
    finally:  # never leave a stuck run behind
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
            parent.wait()
    sig = signal.SIGTERM if how == "sigterm-to-the-parent" else signal.SIGINT
    assert parent.returncode == 128 + sig, (stdout, stderr)
    assert f"stopped by {sig.name}" in stderr and "Written: none" in stderr
    assert "Not written" in stderr and all(
        name in stderr.split("Not written")[1] for name in ("long_a", "long_b", "queued")
    )
    assert not any(_alive(pid) for pid in children)  # the children were stopped, not orphaned
    time.sleep(0.5)
    assert not (out / "queued.started").exists()  # the queued record never started
    assert sorted(p.name for p in out.iterdir()) == ["long_a.started", "long_b.started"]  # nothing written


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_parent_takes_its_records_with_it(tmp_path):
    fake = tmp_path / "fake_record.py"
    fake.write_text(FAKE_RECORD)
    out = tmp_path / "out"
    parent = subprocess.Popen(
        [sys.executable, "-c", DRIVER.format(bench=str(BENCH), fake=str(fake), out=str(out))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        started = [out / "long_a.started", out / "long_b.started"]
        deadline = time.monotonic() + 60
        while not all(p.exists() and p.read_text() for p in started):
            assert time.monotonic() < deadline and parent.poll() is None, "the fake records did not start"
            time.sleep(0.05)
        children = [int(p.read_text()) for p in started]
        parent.kill()  # kill -9: no handler runs
        parent.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
