"""Checkpoints: round trip, resuming gives the uninterrupted result, atomic writes."""

import os

import numpy as np
import pytest

import lstmlearn as ll
import lstmlearn.checkpoint as ckpt
from lstmlearn import tasks


def setup(task, H=6):
    model = task.model("lstm", H)
    return model, ll.init_model(model, np.random.default_rng(0))


def test_round_trip(tmp_path):
    task = tasks.adding_task(24)
    model, params = setup(task)
    res = ll.train(model, params, task, ll.Adam(), 6, batch_size=8, progress=False,
                   eval_set=task.sample(np.random.default_rng(0), 20), eval_every=3)
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

    monkeypatch.setattr(ckpt.np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
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
