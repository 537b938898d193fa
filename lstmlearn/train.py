"""Training a model on a task, with a history to plot (notebooks 07 long lags and 08 char model).

One step:

    batch = task.sample(rng_step, batch_size, step)     rng_step = default_rng([seed, step])
    L, g = loss_and_grads(params, batch...)             lstmlearn.models
    g, ||g|| = clip_grad_norm(g, clip)                  ||g|| is recorded before clipping
    params, opt_state = optimizer.step(params, g, opt_state)

Every batch's randomness comes from (seed, step), so a run resumed from a checkpoint at
step k draws exactly the batches the uninterrupted run would have drawn, and its history
is the uninterrupted run's (only the wall-clock times differ).
Every `eval_every` steps (and after the last step) the model is scored on a fixed
evaluation set; training stops when the score reaches `target_score`, when `steps` are
done, or after `max_seconds`.

Nothing fails silently:
- a loss or gradient that is NaN or inf, or a loss that grows far past the run's early losses
  (divergence.py), raises TrainingDiverged naming the step and the loss, with advice for the run;
- Ctrl-C (KeyboardInterrupt, a notebook's interrupt button) raises TrainingInterrupted,
  a KeyboardInterrupt that carries what trained so far in its `.result`;
- a checkpoint written by a run with other settings is refused (CheckpointMismatch);
- a checkpoint that cannot be saved (a full disk ...) raises CheckpointSaveError, with `.result`.

train() reads as its parts, which share one Settings record (train_settings.py, with check_settings, which
refuses what train cannot use): _run_settings and _resume (checkpoints), _train_step (one step), _reached;
DivergenceWatch (blow-up) is divergence.py, the bar progress.py.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import NamedTuple, Optional

import numpy as np

from .checkpoint import RUN_PREFIX, CheckpointSaveError, check_same_run, load_checkpoint, save_checkpoint
from .divergence import DivergenceWatch, TrainingDiverged
from .history import History, Log
from .models import Model, State, check_model_params, initial_state, loss_and_grads
from .optim import clip_grad_norm, global_norm
from .progress import Progress, why_it_stopped
from .train_settings import Settings, check_settings


class TrainResult(NamedTuple):
    """What train returns (and what TrainingDiverged and TrainingInterrupted carry).

    params : the trained parameters (name -> array)
    opt_state : the optimiser's state, to continue with optimizer.step
    history : the History of the run (lstmlearn.history), from step 1 on
    state : the carried recurrent State (text tasks), else None
    stopped : why training stopped: "steps", "target" or "time"; "interrupted",
        "diverged" or "save failed" on the result an exception carries
    """

    params: dict
    opt_state: dict
    history: History
    state: Optional[State]
    stopped: str


class TrainingInterrupted(KeyboardInterrupt):
    """Training was interrupted (Ctrl-C, or a notebook's interrupt button). `.result` is the
    TrainResult of every step finished before it, so nothing that trained is lost."""

    def __init__(self, message: str, step: int = 0, result=None):
        super().__init__(message)
        self.step, self.result = step, result


class _Now(NamedTuple):
    """Where training stands after a finished step: everything a step changes."""

    step: int
    params: dict
    opt_state: dict
    state: Optional[State]


def train(
    model: Model,
    params: dict,
    task,
    optimizer,
    steps: int,
    *,
    batch_size: int = 64,
    seed: int = 0,
    clip: float | None = 1.0,
    truncate: int | None = None,
    eval_set=None,
    eval_every: int = 100,
    target_score: float | None = None,
    max_seconds: float | None = None,
    progress: bool = True,
    opt_state: dict | None = None,
    checkpoint_path=None,
    checkpoint_every: int | None = None,
    resume: bool = True,
) -> TrainResult:
    """Train `params` of `model` on `task` with `optimizer` (lstmlearn.optim) for `steps` steps.

    Parameters
    ----------
    model, params : a Model and its parameter dict (from init_model); params are not modified
    task : a lstmlearn.tasks.Task        optimizer : e.g. Adam(lr=3e-3)
    steps : total number of steps (counting steps already done in a resumed checkpoint)
    batch_size, seed : the batch of step k is drawn with default_rng([seed, k])
    clip : max global gradient norm (None: no clipping)
    truncate : truncated BPTT window within a batch (None: full BPTT)
    eval_set : a Batch scored every `eval_every` steps and after the last (task.score); None: none
    target_score : stop at the first evaluation that reaches it
    max_seconds : stop after this much wall time (it makes the number of steps depend on the machine)
    progress : show a tqdm progress bar (works in Jupyter and terminals); it says why training stopped
    opt_state : optimiser state to continue from (optimizer.init(params) if None)
    checkpoint_path, checkpoint_every : save (atomically) every so many steps, at the end, and
        when interrupted.
    resume : what to do when a checkpoint already exists at checkpoint_path.
        True (the default): continue that run. Its params, optimiser state, history, carried
        state and step count come from the file (the `params` and `opt_state` given here are
        not used), so a run stopped at any step, by Ctrl-C or by kill -9, continues exactly
        as if it had never stopped. The checkpoint must come from a run with the same settings
        (model, task and its data, optimiser, dtype, batch_size, seed, clip, truncate,
        eval_set, eval_every, initial params and opt_state); otherwise CheckpointMismatch names
        the settings that differ. `steps`, `target_score` and `max_seconds` may change: a run
        can be extended. A checkpoint at or past `steps` returns its run without training.
        False: start afresh from `params` and overwrite the checkpoint.

    Returns TrainResult(params, opt_state, history, state, stopped).
    Raises TrainingDiverged (naming the step and the loss) if the loss blows up or a loss or
    gradient is NaN or inf; TrainingInterrupted (a KeyboardInterrupt, with `.result`) on Ctrl-C;
    CheckpointMismatch or CheckpointError for a checkpoint that cannot be resumed.
    """
    settings = Settings(**{k: v for k, v in locals().items() if k in Settings._fields})
    check_settings(settings)
    params = check_model_params(params, model)
    run = None
    if checkpoint_path is not None:
        run = _run_settings(settings, params, opt_state)
    params = {k: np.array(v) for k, v in params.items()}
    now = _Now(0, params, optimizer.init(params) if opt_state is None else dict(opt_state), None)
    log = Log()
    if checkpoint_path is not None and resume and os.path.exists(checkpoint_path):
        now, log = _resume(checkpoint_path, run, eval_every, steps)

    def result(stopped):
        return TrainResult(
            now.params,
            now.opt_state,
            log.history(task.score_name, task.baseline),
            now.state if task.carry_state else None,
            stopped,
        )

    def save(stopped="save failed"):
        if checkpoint_path is not None:
            try:
                save_checkpoint(
                    checkpoint_path,
                    now.params,
                    now.opt_state,
                    log.history(task.score_name, task.baseline),
                    now.step,
                    now.state,
                    meta={RUN_PREFIX + k: v for k, v in run.items()},
                )
            except CheckpointSaveError as err:
                raise CheckpointSaveError(
                    f"{err} Training stopped after step {now.step}; nothing that trained is lost: this "
                    f"exception's .result holds it (params, opt_state, history). In a notebook: import sys; "
                    f"run = sys.last_value.result, then ll.save_checkpoint(another_path, run.params, run.opt_state, "
                    f"run.history, step={now.step}).",
                    err.path,
                    err.reason,
                    result(stopped),
                ) from err.__cause__

    def evaluate(step, params):  # score params on the evaluation set, recorded at step
        log.add_eval(step, task.score(params, model, eval_set)[1])

    bar = Progress(progress, task.name, steps, now.step)
    divergence = DivergenceWatch(optimizer, clip, checkpoint_path is not None)
    stopped, why = None, ""
    try:
        if eval_set is not None and log.last_eval_step is None:
            evaluate(0, now.params)
        if _reached(settings, log):
            stopped = "target"
        t_start, time0 = time.perf_counter(), log.last_time
        while stopped is None and now.step < steps:
            step = now.step + 1
            new, loss, norm = _train_step(settings, now, divergence, log)
            log.add_step(step, loss, norm, time0 + time.perf_counter() - t_start)
            if eval_set is not None and (step % eval_every == 0 or step == steps):
                evaluate(step, new.params)
            now = new  # the step is done: from here on Ctrl-C keeps it
            if checkpoint_every and step % checkpoint_every == 0:
                save()
            bar.step(log)
            if _reached(settings, log):
                stopped = "target"
            elif max_seconds is not None and time.perf_counter() - t_start > max_seconds:
                stopped = "time"
        stopped = stopped or "steps"
        if eval_set is not None and log.last_eval_step != now.step:
            evaluate(now.step, now.params)
        save()
        why = why_it_stopped(stopped, task, target_score, max_seconds, log, steps)
    except TrainingDiverged as err:
        log.keep_until(now.step)
        err.result, why = result("diverged"), f"diverged at step {err.step}"
        raise
    except KeyboardInterrupt:
        log.keep_until(now.step)
        save("interrupted")
        why = f"interrupted after step {now.step}"
        where = (
            f"; the checkpoint {os.fspath(checkpoint_path)} holds it too and train resumes from it"
            if checkpoint_path is not None
            else ""
        )
        raise TrainingInterrupted(
            f"Training was interrupted after step {now.step} of {steps}. What trained so far is kept in "
            f"this exception's .result (params, opt_state, history){where}. In a notebook: "
            f"import sys; run = sys.last_value.result",
            now.step,
            result("interrupted"),
        ) from None
    finally:
        bar.finish(stopped, why)
    return result(stopped)


# --- the pieces train() is made of ---------------------------------------------------------


def _digest(arrays) -> str:
    """A short fingerprint of named arrays: their names, dtypes, shapes and bytes."""
    h = hashlib.sha256()
    for k in sorted(arrays):
        a = np.ascontiguousarray(arrays[k])
        h.update(f"{k}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()[:12]


def _run_settings(settings: Settings, params, opt_state) -> dict:
    """What defines a run, as text: a checkpoint is resumed only by a run with the same settings."""
    model, task, optimizer, _, batch_size, seed, clip, truncate, eval_set, eval_every = settings[:10]
    try:
        first = task.sample(np.random.default_rng([seed, 0]), batch_size, 0)
        data = _digest({k: v for k, v in first._asdict().items() if isinstance(v, np.ndarray)})
    except Exception as err:  # a task that cannot draw this batch: the other settings say why
        data = f"no batch ({type(err).__name__})"
    fields = ("X", "Y", "mask", "lengths")
    return {
        "task": task.name,
        "task data": f"first batch {data}",
        "model": repr(model),
        "dtype": str(np.asarray(next(iter(params.values()))).dtype),
        "optimizer": repr(optimizer),
        "batch_size": str(batch_size),
        "seed": str(seed),
        "clip": str(clip),
        "truncate": str(truncate),
        "eval_every": str(eval_every),
        "eval_set": "none"
        if eval_set is None
        else "batch " + _digest({k: getattr(eval_set, k) for k in fields if getattr(eval_set, k, None) is not None}),
        "initial params": "params " + _digest(params),
        "initial opt_state": "optimizer.init(params)" if opt_state is None else "state " + _digest(opt_state),
    }


def _resume(path, run, eval_every, steps):
    """(now, log) from the checkpoint at `path`, after checking it belongs to this run."""
    ck = load_checkpoint(path)
    check_same_run(path, ck, run)
    log = Log(ck.history)
    log.keep_until(ck.step)
    if ck.step % eval_every != 0:  # the saved run's closing evaluation, off this run's schedule
        log.drop_eval_at(ck.step)
    return _Now(ck.step, ck.params, ck.opt_state, ck.state), log


def _train_step(settings: Settings, now, divergence, log):
    """One step from `now`: (the new _Now, the batch's loss, the gradient norm before clipping)."""
    model, task, optimizer, _, batch_size, seed, clip, truncate = settings[:8]
    step = now.step + 1
    batch = task.sample(np.random.default_rng([seed, now.step]), batch_size, now.step)
    state = now.state
    if task.carry_state and (state is None or (batch.info or {}).get("reset", False)):
        state = initial_state(model, batch_size, now.params["W_x"].dtype)
    try:
        loss, grads, new_state = loss_and_grads(
            now.params,
            batch.X,
            batch.Y,
            model,
            mask=batch.mask,
            lengths=batch.lengths,
            state=state if task.carry_state else None,
            truncate=truncate,
            return_state=True,
        )
    except FloatingPointError as err:
        raise divergence.error(step, float("nan"), str(err)) from None
    except (ValueError, TypeError) as err:
        raise type(err)(f"At step {step} of training on {task.name!r}, the batch was refused: {err}") from err
    if clip is not None:
        grads, norm = clip_grad_norm(grads, clip)  # norm: before clipping
    else:
        norm = global_norm(grads)
    divergence.check(step, loss, norm, log)
    params, opt_state = optimizer.step(now.params, grads, now.opt_state)
    for k, w in params.items():
        if not np.isfinite(w).all():
            raise divergence.error(step, loss, f"the update made params[{k!r}] {'NaN' if np.isnan(w).any() else 'inf'}")
    return _Now(step, params, opt_state, new_state if task.carry_state else None), loss, norm


def _reached(settings: Settings, log) -> bool:
    """Has the last evaluation reached the target score?"""
    task, target_score = settings.task, settings.target_score
    if target_score is None or not log.lists["score"]:
        return False
    score = log.lists["score"][-1]
    return score >= target_score if task.higher_is_better else score <= target_score
