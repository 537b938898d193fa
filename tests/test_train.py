"""train(): it learns, it records its history, it stops when told, it reports divergence."""

import dataclasses

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn import tasks


def quick(task, core="lstm", H=8, steps=60, seed=0, batch_size=32, **kw):
    model = task.model(core, H)
    params = ll.init_model(model, np.random.default_rng(seed))
    return model, ll.train(model, params, task, ll.Adam(lr=0.03), steps, batch_size=batch_size, seed=seed,
                           progress=False, **kw)


def test_a_short_run_learns_an_easy_task():
    task = tasks.remember_task(lag=3, n_symbols=4)
    eval_set = task.sample(np.random.default_rng(99), 200)
    model, res = quick(task, steps=80, eval_set=eval_set, eval_every=20)
    h = res.history
    assert h.loss[:5].mean() > 1.2 and h.loss[-5:].mean() < 0.5 * h.loss[:5].mean()
    assert h.score[0] < 0.5 and h.score[-1] == 1.0


def test_history_has_exactly_the_agreed_fields():
    names = [f.name for f in dataclasses.fields(ll.History)]
    assert names == ["step", "loss", "grad_norm", "time", "eval_step", "score", "score_name", "baseline"]
    task = tasks.adding_task(24)
    model, res = quick(task, steps=12, eval_set=task.sample(np.random.default_rng(1), 50), eval_every=5)
    h = res.history
    np.testing.assert_array_equal(h.step, np.arange(1, 13))
    assert h.loss.shape == h.grad_norm.shape == h.time.shape == (12,)
    assert np.all(np.diff(h.time) >= 0) and h.time[0] >= 0
    np.testing.assert_array_equal(h.eval_step, [0, 5, 10, 12])
    assert h.score.shape == (4,) and h.score_name.startswith("fraction correct")
    assert h.baseline == tasks.adding_baseline(24)
    assert res.stopped == "steps"


def test_grad_norm_is_recorded_before_clipping():
    task = tasks.remember_task(lag=2)
    _, clipped = quick(task, steps=5, clip=1e-3)
    _, unclipped = quick(task, steps=1, clip=None)
    assert clipped.history.grad_norm[0] == pytest.approx(unclipped.history.grad_norm[0], rel=1e-12)
    assert clipped.history.grad_norm[0] > 1e-3


def test_stops_early_at_the_target_score():
    task = tasks.remember_task(lag=2, n_symbols=2)
    _, res = quick(task, steps=500, eval_set=task.sample(np.random.default_rng(5), 100), eval_every=10,
                   target_score=0.99)
    assert res.stopped == "target" and res.history.score[-1] >= 0.99 and res.history.step[-1] < 500
    assert res.history.eval_step[-1] == res.history.step[-1]


def test_nan_loss_raises_naming_the_step():
    base = tasks.adding_task(24)

    def sample(rng, batch_size, step=0):
        b = base.sample(rng, batch_size)
        return b._replace(Y=b.Y * np.nan) if step == 6 else b  # the 7th step's batch

    bad = dataclasses.replace(base, sample=sample)
    with pytest.raises(ll.TrainingDiverged, match=r"step 7: the loss is nan.*lower learning rate"):
        quick(bad, steps=20)


def test_the_model_must_fit_the_task():
    task = tasks.adding_task(24)
    model = ll.Model("lstm", 3, 4, 1)
    with pytest.raises(ValueError, match="model does not fit task"):
        ll.train(model, ll.init_model(model, np.random.default_rng(0)), task, ll.Adam(), 5, progress=False)


def test_text_task_carries_state_and_learns():
    text = "abcabcabd" * 200
    vocab = tasks.Vocab.from_text(text)
    ids = vocab.encode(text)
    task = tasks.text_task(ids, vocab, batch_size=4, seq_len=12)
    eval_set = tasks.Batch(tasks.streams(ids[:400], 4), None)
    model, res = quick(task, H=12, steps=120, batch_size=4, eval_set=eval_set, eval_every=60)
    assert res.state is not None and res.state.h.shape == (4, 12)
    assert res.history.score[-1] < 0.5 * res.history.score[0]  # bits per character fall
    assert task.higher_is_better is False
    with pytest.raises(ValueError, match="built for batch_size=4"):
        task.sample(None, 8, 0)
