"""train(): it learns, it records its history, it stops when told, it reports divergence."""

import dataclasses
import importlib

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


def test_a_batch_with_nan_targets_is_refused_naming_the_step_and_the_target():
    base = tasks.adding_task(24)

    def sample(rng, batch_size, step=0):
        b = base.sample(rng, batch_size)
        return b._replace(Y=b.Y * np.nan) if step == 6 else b  # the 7th step's batch

    bad = dataclasses.replace(base, sample=sample)
    with pytest.raises(ValueError, match=r"step 7.*target contains nan"):
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


# --- divergence, Ctrl-C, the progress bar, the module's place ------------------------------

def test_divergence_is_caught_before_the_loss_is_nan():
    task = tasks.adding_task(24)
    model = task.model("lstm", 8)
    params = ll.init_model(model, np.random.default_rng(0))
    with pytest.raises(ll.TrainingDiverged) as caught:
        ll.train(model, params, task, ll.SGD(lr=10.0), 200, batch_size=16, clip=None, progress=False)
    err = caught.value
    assert np.isfinite(err.loss) and err.step < 200
    message = str(err)
    assert f"step {err.step}" in message and "loss" in message
    assert "clip=1.0" in message and "lr=3.33" in message  # advice that fits this run
    done = err.result.history.step
    assert done[-1] == err.step - 1 and all(np.isfinite(v).all() for v in err.result.params.values())


def test_divergence_advice_does_not_suggest_the_clip_already_in_use():
    task = tasks.adding_task(24)
    model = task.model("lstm", 8)
    params = ll.init_model(model, np.random.default_rng(0))
    with pytest.raises(ll.TrainingDiverged) as caught:
        ll.train(model, params, task, ll.SGD(lr=1e3, momentum=0.9), 200, batch_size=16, clip=1.0, progress=False)
    message = str(caught.value)
    assert "gradient clipping" not in message and "smaller clip" not in message
    assert "already clipped (clip=1.0)" in message and "lr=333" in message


def interrupt_at(task, step_index):
    """The task, but drawing the batch of step `step_index` (0-based) raises KeyboardInterrupt."""
    def sample(rng, batch_size, step=0):
        if step == step_index:
            raise KeyboardInterrupt
        return task.sample(rng, batch_size, step)

    return dataclasses.replace(task, sample=sample)


def test_ctrl_c_keeps_what_trained():
    task = tasks.adding_task(24)
    eval_set = task.sample(np.random.default_rng(1), 30)
    with pytest.raises(KeyboardInterrupt) as caught:
        quick(interrupt_at(task, 6), steps=20, eval_set=eval_set, eval_every=4)
    assert isinstance(caught.value, ll.TrainingInterrupted) and "step 6" in str(caught.value)
    res = caught.value.result
    assert res.stopped == "interrupted"
    np.testing.assert_array_equal(res.history.step, np.arange(1, 7))
    np.testing.assert_array_equal(res.history.eval_step, [0, 4])
    _, six = quick(task, steps=6, eval_set=eval_set, eval_every=4)
    for k in six.params:
        np.testing.assert_array_equal(res.params[k], six.params[k])


def test_an_interrupted_log_keeps_only_whole_records():
    log = ll.history.Log()
    log.add_step(1, 0.5, 1.0, 0.1)
    log.add_eval(1, 0.2)
    log.lists["step"].append(2)  # Ctrl-C came after the step number, before its loss
    log.lists["eval_step"].append(2)
    log.keep_until(1)
    h = log.history()
    assert h.step.tolist() == [1] and h.loss.tolist() == [0.5] and h.eval_step.tolist() == [1]
    assert h.score.tolist() == [0.2]


class RecordingBar:
    """tqdm.notebook.tqdm, remembering every bar it makes (the notebook's widget bar, headless)."""

    made = []

    def __new__(cls, *args, **kwargs):
        from tqdm.notebook import tqdm as notebook_tqdm

        bar = notebook_tqdm(*args, **kwargs)
        cls.made.append(bar)
        return bar


def bar_of(monkeypatch, run):
    RecordingBar.made.clear()
    monkeypatch.setattr(importlib.import_module("lstmlearn.progress"), "tqdm", RecordingBar)
    try:
        run()
    except BaseException:
        pass
    (bar,) = RecordingBar.made
    _, widget, text = bar.container.children
    shown = text.value.replace("\u2007", " ")  # tqdm's notebook bar writes figure spaces
    return widget.bar_style, shown + f" [{widget.value:g}/{widget.max:g}]"


def test_an_early_stop_at_the_target_shows_as_success(monkeypatch, capsys):
    task = tasks.remember_task(lag=2, n_symbols=2)
    eval_set = task.sample(np.random.default_rng(5), 100)
    style, text = bar_of(monkeypatch, lambda: ll.train(
        task.model("lstm", 8), ll.init_model(task.model("lstm", 8), np.random.default_rng(0)), task,
        ll.Adam(lr=0.03), 500, batch_size=32, eval_set=eval_set, eval_every=10, target_score=0.99))
    assert style == "success" and "target reached" in text and "500 steps allowed" in text
    assert text.endswith("[10/10]")  # a full bar: the run is complete


def test_an_interrupted_run_shows_as_interrupted(monkeypatch, capsys):
    task = tasks.adding_task(24)
    style, text = bar_of(monkeypatch, lambda: ll.train(
        task.model("lstm", 8), ll.init_model(task.model("lstm", 8), np.random.default_rng(0)),
        interrupt_at(task, 3), ll.Adam(), 50, batch_size=8))
    assert style == "danger" and "interrupted" in text


def test_history_has_its_own_module_below_train_and_checkpoint():
    import ast
    import pathlib

    src = pathlib.Path(ll.__file__).parent

    def imports(name):
        tree = ast.parse((src / f"{name}.py").read_text())
        found = {(node.module or "").lstrip(".") for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        nested = [node for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                  for node in ast.walk(f) if isinstance(node, (ast.Import, ast.ImportFrom))]
        return found, nested

    assert not {"train", "checkpoint"} & imports("history")[0]
    assert "train" not in imports("checkpoint")[0]
    assert imports("train")[1] == [] and imports("checkpoint")[1] == []
    assert ll.History is ll.history.History


@pytest.mark.parametrize("kw, named", [
    (dict(target_score=0.9), "target_score needs an eval_set"),
    (dict(checkpoint_every=5), "checkpoint_every needs a checkpoint_path"),
    (dict(seed=-1), "seed must be"), (dict(clip=0.0), "clip must be"), (dict(clip=np.nan), "clip must be"),
    (dict(max_seconds=-1), "max_seconds must be"), (dict(truncate=0), "truncate must be"),
])
def test_settings_that_would_be_ignored_or_fail_later_are_refused(kw, named):
    task = tasks.adding_task(24)
    model = task.model("lstm", 4)
    with pytest.raises(ValueError, match=named):
        ll.train(model, ll.init_model(model, np.random.default_rng(0)), task, ll.Adam(), 3, progress=False, **kw)
