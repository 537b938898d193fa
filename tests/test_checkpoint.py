"""Checkpoints: round trip, resuming gives the uninterrupted result, atomic writes."""

import dataclasses
import errno
import os
import shutil
import struct
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import lstmlearn as ll
import lstmlearn.atomic as atomic
import lstmlearn.checkpoint as checkpoint
from lstmlearn import tasks


def setup(task, H=6):
    model = task.model("lstm", H)
    return model, ll.init_model(model, np.random.default_rng(0))


def test_round_trip(tmp_path):
    task = tasks.adding_task(24)
    model, params = setup(task)
    res = ll.train(
        model,
        params,
        task,
        ll.Adam(),
        6,
        batch_size=8,
        progress=False,
        eval_set=task.sample(np.random.default_rng(0), 20),
        eval_every=3,
    )
    state = ll.State(np.ones((2, 6)), np.zeros((2, 6)))
    path = tmp_path / "run.npz"
    ll.save_checkpoint(path, res.params, res.opt_state, res.history, step=6, state=state, meta={"T": 24})
    ck = ll.load_checkpoint(path)
    for k in params:
        np.testing.assert_array_equal(ck.params[k], res.params[k])
    for k in res.opt_state:
        np.testing.assert_array_equal(ck.opt_state[k], res.opt_state[k])
    for name in ll.History.ARRAYS:
        np.testing.assert_array_equal(getattr(ck.history, name), getattr(res.history, name))
    assert ck.history.score_name == res.history.score_name and ck.history.baseline == res.history.baseline
    assert ck.step == 6 and int(ck.meta["T"]) == 24
    mask = os.umask(0o022)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600
    np.testing.assert_array_equal(ck.state.h, state.h)
    with np.load(path, allow_pickle=False) as f:  # nothing needs pickle
        assert all(f[k].dtype != object for k in f.files)


@pytest.mark.parametrize("which", ["adding", "text"])
def test_resumed_run_equals_uninterrupted_run(tmp_path, which):
    if which == "adding":
        task, bs = tasks.adding_task(24), 8
        eval_set = task.sample(np.random.default_rng(0), 20)
    else:
        text = "the cat sat on the mat. " * 60
        vocab = tasks.Vocab.from_text(text)
        ids = vocab.encode(text)
        task, bs = tasks.text_task(ids, vocab, batch_size=3, seq_len=7), 3
        eval_set = tasks.Batch(tasks.streams(ids[:200], 3), None)
    model, params = setup(task)
    kw = dict(batch_size=bs, seed=4, eval_set=eval_set, eval_every=5, progress=False)
    full = ll.train(model, params, task, ll.Adam(lr=0.01), 20, **kw)
    path = tmp_path / "run.npz"
    first = ll.train(model, params, task, ll.Adam(lr=0.01), 10, checkpoint_path=path, checkpoint_every=5, **kw)
    assert ll.load_checkpoint(path).step == 10
    resumed = ll.train(model, params, task, ll.Adam(lr=0.01), 20, checkpoint_path=path, **kw)
    for k in params:
        np.testing.assert_array_equal(resumed.params[k], full.params[k])
        assert not np.array_equal(first.params[k], full.params[k])
    np.testing.assert_array_equal(resumed.history.step, full.history.step)
    np.testing.assert_array_equal(resumed.history.loss, full.history.loss)
    np.testing.assert_array_equal(resumed.history.score, full.history.score)
    if which == "text":
        np.testing.assert_array_equal(resumed.state.h, full.state.h)


def test_failed_write_leaves_the_old_checkpoint_intact(tmp_path, monkeypatch):
    path = tmp_path / "run.npz"
    ll.save_checkpoint(path, {"w": np.arange(3.0)}, step=1)
    before = path.read_bytes()

    def broken_savez(f, **arrays):
        f.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(atomic.np, "savez", broken_savez)
    with pytest.raises(ll.CheckpointSaveError, match="disk full"):
        ll.save_checkpoint(path, {"w": np.arange(5.0)}, step=2)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["run.npz"]  # the temporary file is gone
    assert ll.load_checkpoint(path).step == 1


def test_save_and_load_a_model(tmp_path):
    model = ll.Model("rnn", 5, 4, 5, "all", "xent", True)
    params = ll.init_model(model, np.random.default_rng(1))
    ll.save_model(tmp_path / "m.npz", params, model, chars="abcde")
    p2, m2, meta = ll.load_model(tmp_path / "m.npz")
    assert m2 == model and str(meta["chars"]) == "abcde"
    for k in params:
        np.testing.assert_array_equal(p2[k], params[k])


# --- resume: histories equal to the uninterrupted run's, wherever the split ----------------


def adding_run(steps, path=None, task=None, **kw):
    task = task or tasks.adding_task(24)
    model, params = setup(task)
    eval_set = tasks.adding_task(24).sample(np.random.default_rng(0), 20)
    kw = {"batch_size": 8, "seed": 4, "eval_set": eval_set, "eval_every": 5, "progress": False, **kw}
    return ll.train(model, params, task, ll.Adam(lr=0.01), steps, checkpoint_path=path, **kw)


def assert_same_run(a, b):
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    for name in ("step", "loss", "grad_norm", "eval_step", "score"):
        np.testing.assert_array_equal(getattr(a.history, name), getattr(b.history, name), err_msg=name)
    assert a.stopped == b.stopped


@pytest.fixture(scope="module")
def uninterrupted():
    return adding_run(17)


@pytest.mark.parametrize("split", [1, 3, 4, 5, 7, 12, 16])
def test_resume_after_a_shorter_run_equals_the_uninterrupted_run(tmp_path, uninterrupted, split):
    path = tmp_path / "run.npz"
    adding_run(split, path)
    assert_same_run(adding_run(17, path), uninterrupted)


@pytest.mark.parametrize("split", [2, 5, 8, 13])
def test_resume_after_ctrl_c_equals_the_uninterrupted_run(tmp_path, uninterrupted, split):
    path = tmp_path / "run.npz"
    base = tasks.adding_task(24)

    def sample(rng, batch_size, step=0):
        if step == split:
            raise KeyboardInterrupt
        return base.sample(rng, batch_size, step)

    with pytest.raises(ll.TrainingInterrupted):
        adding_run(17, path, task=dataclasses.replace(base, sample=sample), checkpoint_every=3)
    assert ll.load_checkpoint(path).step == split
    assert_same_run(adding_run(17, path), uninterrupted)


def test_resume_after_a_time_limit_equals_the_uninterrupted_run(tmp_path, uninterrupted):
    path = tmp_path / "run.npz"
    first = adding_run(17, path, max_seconds=0.0)  # stops after one step, evaluates there
    assert first.stopped == "time" and first.history.eval_step.tolist() == [0, 1]
    assert_same_run(adding_run(17, path), uninterrupted)


# --- a checkpoint of another run is never reused silently ---------------------------------


def run_with(path, steps=4, task=None, H=6, dtype=np.float64, opt=None, params_seed=0, **kw):
    task = task or tasks.adding_task(24)
    model = task.model("lstm", H)
    params = ll.init_model(model, np.random.default_rng(params_seed), dtype=dtype)
    kw = {"batch_size": 8, "seed": 1, "progress": False, **kw}
    return ll.train(model, params, task, opt or ll.Adam(lr=0.01), steps, checkpoint_path=path, **kw)


@pytest.mark.parametrize(
    "change, named",
    [
        (dict(opt=ll.Adam(lr=0.1)), "optimizer"),
        (dict(opt=ll.SGD(lr=0.01)), "optimizer"),
        (dict(task=tasks.adding_task(30)), "task"),
        (dict(H=7), "model"),
        (dict(dtype=np.float32), "dtype"),
        (dict(batch_size=4), "batch_size"),
        (dict(seed=2), "seed"),
        (dict(clip=None), "clip"),
        (dict(params_seed=1), "initial params"),
    ],
)
def test_a_checkpoint_of_another_run_is_refused(tmp_path, change, named):
    path = tmp_path / "run.npz"
    run_with(path)
    with pytest.raises(ll.CheckpointMismatch) as caught:
        run_with(path, steps=8, **change)
    message = str(caught.value)
    assert named in message and str(path) in message
    assert "resume=False" in message and "checkpoint_path" in message
    assert "KeyError" not in message


def test_resume_false_starts_afresh_and_overwrites(tmp_path):
    path = tmp_path / "run.npz"
    run_with(path)
    fresh = run_with(path, opt=ll.SGD(lr=0.01), resume=False)
    assert ll.load_checkpoint(path).opt_state.keys() == fresh.opt_state.keys()
    assert run_with(path, steps=6, opt=ll.SGD(lr=0.01)).history.step[-1] == 6


def test_a_checkpoint_with_no_record_of_its_run_is_not_resumed(tmp_path):
    path = tmp_path / "run.npz"
    task = tasks.adding_task(24)
    model, params = setup(task)
    ll.save_checkpoint(path, params, ll.Adam().init(params), step=3)
    with pytest.raises(ll.CheckpointMismatch, match="no record of the run"):
        run_with(path)


# --- files that are not checkpoints --------------------------------------------------------


def half_a_checkpoint(path):
    ll.save_checkpoint(path, {"w": np.arange(100.0)}, step=1)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b""),
        half_a_checkpoint,
        lambda p: p.write_text("step,loss\n1,0.5\n"),
        lambda p: np.save(open(p, "wb"), np.arange(3.0)),
        lambda p: np.savez(p, weights=np.arange(3.0)),
        lambda p: np.savez(p, step=np.array([{"a": 1}], dtype=object)),
    ],
    ids=["empty", "truncated", "text", "npy", "foreign-npz", "pickled"],
)
def test_a_file_that_is_not_a_checkpoint_is_named_and_explained(tmp_path, make):
    path = tmp_path / "run.npz"
    make(path)
    with pytest.raises(ll.CheckpointError) as caught:
        ll.load_checkpoint(path)
    message = str(caught.value)
    assert str(path) in message and "save_checkpoint" in message and "checkpoint_path" in message
    assert "allow_pickle" not in message and caught.value.__cause__ is None
    with pytest.raises(ll.CheckpointError):
        run_with(path)


def test_a_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint at .*nothing.npz"):
        ll.load_checkpoint(tmp_path / "nothing.npz")


def test_a_checkpoint_without_a_model_is_not_a_model_file(tmp_path):
    path = tmp_path / "run.npz"
    ll.save_checkpoint(path, {"w": np.ones(2)}, step=1)
    with pytest.raises(ll.CheckpointError, match="save_model"):
        ll.load_model(path)


# --- orphaned temporary files --------------------------------------------------------------


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_orphans_of_a_killed_writer_are_removed_on_the_next_save_and_load(tmp_path):
    path = tmp_path / "run.npz"
    ll.save_checkpoint(path, {"w": np.ones(2)}, step=1)
    orphan = tmp_path / atomic.temporary_name(path, dead_pid(), "abc123")
    orphan.write_bytes(b"half")
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live_file = tmp_path / atomic.temporary_name(path, live.pid, "def456")
        live_file.write_bytes(b"being written")
        other = tmp_path / atomic.temporary_name(tmp_path / "other.npz", dead_pid(), "ghi789")
        other.write_bytes(b"another checkpoint's")
        ll.save_checkpoint(path, {"w": np.ones(2)}, step=2)
        assert not orphan.exists() and live_file.exists() and other.exists()
        orphan.write_bytes(b"half")
        ll.load_checkpoint(path)
        assert not orphan.exists() and live_file.exists()
    finally:
        live.kill()
        live.wait()


def test_the_kill_experiment_runs(tmp_path):
    """benchmarks/kill_checkpoint.py, two kills instead of twenty: the script cannot rot."""
    script = os.path.join(os.path.dirname(__file__), "..", "benchmarks", "kill_checkpoint.py")
    run = subprocess.run(
        [sys.executable, script, "--kills", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, OPENBLAS_NUM_THREADS="1"),
    )
    assert run.returncode == 0, run.stderr
    assert "checkpoints intact: 2/2" in run.stdout and "orphans left after the next save: 0" in run.stdout
    assert "resumed runs equal to the uninterrupted run: 2/2" in run.stdout


# --- a save that fails never loses the run ------------------------------------------------


def no_space(f, **arrays):
    f.write(b"part of a checkpoint")
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("every", [2, None])
def test_a_full_disk_at_a_save_keeps_the_run_in_the_error(tmp_path, monkeypatch, every):
    path = tmp_path / "run.npz"
    monkeypatch.setattr(atomic.np, "savez", no_space)
    with pytest.raises(ll.CheckpointSaveError) as caught:
        run_with(path, steps=4, checkpoint_every=every)
    err = caught.value
    message = str(err)
    assert str(path) in message and "disk is full" in message and "Free some space" in message
    assert ".tmp" not in message  # the user's path, never the temporary's
    assert err.path == path and err.result is not None
    assert err.result.history.step[-1] == (2 if every else 4) and err.result.stopped == "save failed"
    assert isinstance(err.__cause__, OSError) and err.__cause__.errno == errno.ENOSPC
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []  # no temporary left behind
    # what the error carries is the run: saving it elsewhere and resuming gives the uninterrupted run
    r = err.result
    ll.save_checkpoint(path, r.params, r.opt_state, r.history, int(r.history.step[-1]))
    assert ll.load_checkpoint(path).step == r.history.step[-1]


def test_a_folder_replaced_by_a_file_is_named(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    path = folder / "run.npz"
    ll.save_checkpoint(path, {"w": np.ones(2)}, step=1)
    shutil.rmtree(folder)
    folder.write_text("in the way")
    with pytest.raises(ll.CheckpointSaveError, match=r"runs is a file, not a folder") as caught:
        ll.save_checkpoint(path, {"w": np.ones(2)}, step=2)
    assert str(path) in str(caught.value) and ".tmp" not in str(caught.value)


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="permissions do not bind root")
def test_a_folder_without_write_permission_is_named(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ll.CheckpointSaveError, match="no permission to write in") as caught:
            ll.save_checkpoint(folder / "run.npz", {"w": np.ones(2)}, step=1)
        assert str(folder / "run.npz") in str(caught.value)
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_symlinked_checkpoint_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "store" / "run.npz"
    target.parent.mkdir()
    ll.save_checkpoint(target, {"w": np.ones(2)}, step=1)
    link = tmp_path / "run.npz"
    link.symlink_to(target)
    ll.save_checkpoint(link, {"w": np.ones(2)}, step=2)
    assert link.is_symlink() and ll.load_checkpoint(target).step == 2 and ll.load_checkpoint(link).step == 2
    assert sorted(os.listdir(target.parent)) == ["run.npz"]


# --- declared sizes are checked before anything is allocated -------------------------------


def test_an_archive_declaring_more_than_it_holds_is_refused(tmp_path):
    path = tmp_path / "big.npz"
    ll.save_checkpoint(path, {"w": np.ones(1000)}, step=1)
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02") + 24  # the first member's uncompressed size, central directory
    data[at : at + 4] = struct.pack("<I", 3 * 10**9)
    path.write_bytes(bytes(data))
    with pytest.raises(ll.CheckpointError, match=r"declares 3,000,000,000 bytes") as caught:
        ll.load_checkpoint(path)
    assert str(path) in str(caught.value)


def test_a_header_declaring_a_trillion_values_is_refused(tmp_path):
    path = tmp_path / "big.npz"
    ll.save_checkpoint(path, {"w": np.ones(4)}, step=1)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    npy = members["params/w.npy"]
    npy = npy.replace(b"(4,)", b"(1000000000000,)").replace(b" " * 12 + b"\n", b"\n", 1)  # same header length
    assert len(npy) == len(members["params/w.npy"])
    members["params/w.npy"] = npy
    with zipfile.ZipFile(path, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    with pytest.raises(ll.CheckpointError, match=r"declares 1,000,000,000,000 values of float64") as caught:
        ll.load_checkpoint(path)
    assert str(path) in str(caught.value)


def test_an_archive_declaring_more_than_this_machines_memory_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "run.npz"
    ll.save_checkpoint(path, {"w": np.ones(1000)}, step=1)
    monkeypatch.setattr(checkpoint, "_memory_bytes", lambda: 4000.0)
    with pytest.raises(ll.CheckpointError, match="more than this machine's memory"):
        ll.load_checkpoint(path)
    monkeypatch.undo()
    assert ll.load_checkpoint(path).step == 1
