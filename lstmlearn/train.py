"""Training a model on a task, with a history to plot (notebooks 07 long lags and 08 char model).

One step:

    batch = task.sample(rng_step, batch_size, step)     rng_step = default_rng([seed, step])
    L, g = loss_and_grads(params, batch...)             lstmlearn.models
    g, ||g|| = clip_grad_norm(g, clip)                  ||g|| is recorded before clipping
    params, opt_state = optimizer.step(params, g, opt_state)

Every batch's randomness comes from (seed, step), so a run resumed from a checkpoint at
step k draws exactly the batches the uninterrupted run would have drawn.
Every `eval_every` steps the model is scored on a fixed evaluation set; training stops
when the score reaches `target_score`, when `steps` are done, or after `max_seconds`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

import numpy as np
from tqdm.auto import tqdm

from ._checks import check_positive_int
from .models import Model, State, initial_state, loss_and_grads
from .optim import clip_grad_norm


@dataclass
class History:
    """What happened during training, one entry per step (step, loss, grad_norm, time) and
    one per evaluation (eval_step, score).

    step : training step numbers (1, 2, ...)    loss : training loss of that step's batch
    grad_norm : global gradient norm before clipping    time : wall seconds since the start
    eval_step : steps at which the model was scored     score : the score there
    score_name : what the score measures    baseline : chance values, e.g. {"loss": 1/24, "score": 0.154}
    """

    step: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    loss: np.ndarray = field(default_factory=lambda: np.zeros(0))
    grad_norm: np.ndarray = field(default_factory=lambda: np.zeros(0))
    time: np.ndarray = field(default_factory=lambda: np.zeros(0))
    eval_step: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    score: np.ndarray = field(default_factory=lambda: np.zeros(0))
    score_name: str = ""
    baseline: dict = field(default_factory=dict)

    ARRAYS = ("step", "loss", "grad_norm", "time", "eval_step", "score")


class TrainResult(NamedTuple):
    params: dict
    opt_state: dict
    history: History
    state: Optional[State]  # the carried recurrent state (text tasks), else None
    stopped: str  # why training stopped: "steps", "target", "time"


class TrainingDiverged(FloatingPointError):
    """The loss or a gradient became NaN or inf."""


def train(model: Model, params: dict, task, optimizer, steps: int, *, batch_size: int = 64,
          seed: int = 0, clip: float | None = 1.0, truncate: int | None = None, eval_set=None,
          eval_every: int = 100, target_score: float | None = None, max_seconds: float | None = None,
          progress: bool = True, opt_state: dict | None = None, checkpoint_path=None,
          checkpoint_every: int | None = None, resume: bool = True) -> TrainResult:
    """Train `params` of `model` on `task` with `optimizer` (lstmlearn.optim) for `steps` steps.

    Parameters
    ----------
    model, params : a Model and its parameter dict (from init_model); params are not modified
    task : a lstmlearn.tasks.Task        optimizer : e.g. Adam(lr=3e-3)
    steps : total number of steps (counting steps already done in a resumed checkpoint)
    batch_size, seed : the batch of step k is drawn with default_rng([seed, k])
    clip : max global gradient norm (None: no clipping)
    truncate : truncated BPTT window within a batch (None: full BPTT)
    eval_set : a Batch scored every `eval_every` steps (task.score); None: no evaluation
    target_score : stop at the first evaluation that reaches it
    max_seconds : stop after this much wall time
    progress : show a tqdm progress bar (works in Jupyter and terminals)
    opt_state : optimiser state to continue from (optimizer.init(params) if None)
    checkpoint_path, checkpoint_every : save (atomically) every so many steps and at the end;
        with resume=True an existing checkpoint is loaded and training continues from it.

    Returns TrainResult(params, opt_state, history, state, stopped).
    Raises TrainingDiverged (naming the step) if the loss or a gradient is NaN or inf.
    """
    from .checkpoint import load_checkpoint, save_checkpoint  # checkpoint imports History

    check_positive_int("steps", steps)
    check_positive_int("batch_size", batch_size)
    check_positive_int("eval_every", eval_every)
    check_positive_int("checkpoint_every", checkpoint_every, allow_none=True)
    if model.input_size != task.input_size or model.output_size != task.output_size or \
            model.readout != task.readout or model.loss != task.loss:
        raise ValueError(f"model does not fit task {task.name!r}: it needs input_size="
                         f"{task.input_size}, output_size={task.output_size}, readout={task.readout!r}, "
                         f"loss={task.loss!r}. Make the model with task.model(core, hidden_size).")

    start, state, time0 = 0, None, 0.0
    log = {name: [] for name in History.ARRAYS}
    if checkpoint_path is not None and resume and os.path.exists(checkpoint_path):
        ck = load_checkpoint(checkpoint_path)
        params, opt_state, start, state = ck.params, ck.opt_state, ck.step, ck.state
        log = {name: list(getattr(ck.history, name)) for name in History.ARRAYS}
        time0 = float(log["time"][-1]) if log["time"] else 0.0
    params = {k: np.array(v) for k, v in params.items()}
    if opt_state is None:
        opt_state = optimizer.init(params)

    def history():
        return History(**{k: np.array(v) for k, v in log.items()}, score_name=task.score_name,
                       baseline=dict(task.baseline))

    def evaluate(step):
        _, score = task.score(params, model, eval_set)
        log["eval_step"].append(step)
        log["score"].append(score)
        reached = target_score is not None and (
            score >= target_score if task.higher_is_better else score <= target_score)
        return score, reached

    def save(step):
        save_checkpoint(checkpoint_path, params, opt_state, history(), step, state)

    stopped, score = "steps", None
    if eval_set is not None and not log["eval_step"]:
        score, reached = evaluate(0)
        if reached:
            return TrainResult(params, opt_state, history(), state, "target")
    t_start = time.perf_counter()
    bar = tqdm(total=steps, initial=start, disable=not progress, desc=task.name, leave=True)
    step = start
    try:
        while step < steps:
            rng = np.random.default_rng([seed, step])
            batch = task.sample(rng, batch_size, step)
            if task.carry_state and (state is None or (batch.info or {}).get("reset", False)):
                state = initial_state(model, batch_size, params["W_x"].dtype)
            try:
                loss, grads, new_state = loss_and_grads(
                    params, batch.X, batch.Y, model, mask=batch.mask, lengths=batch.lengths,
                    state=state if task.carry_state else None, truncate=truncate, return_state=True)
            except FloatingPointError as err:
                raise _diverged(step + 1, str(err)) from None
            if clip is not None:
                grads, norm = clip_grad_norm(grads, clip)
            else:
                norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
            if not np.isfinite(norm):
                raise _diverged(step + 1, f"the gradient norm is {norm}")
            params, opt_state = optimizer.step(params, grads, opt_state)
            if task.carry_state:
                state = new_state
            step += 1
            log["step"].append(step)
            log["loss"].append(loss)
            log["grad_norm"].append(norm)
            log["time"].append(time0 + time.perf_counter() - t_start)
            bar.update(1)
            reached = False
            if eval_set is not None and (step % eval_every == 0 or step == steps):
                score, reached = evaluate(step)
            if progress and (step % 10 == 0 or reached):
                bar.set_postfix(loss=f"{loss:.4f}", score="-" if score is None else f"{score:.3f}")
            if checkpoint_path is not None and checkpoint_every and step % checkpoint_every == 0:
                save(step)
            if reached:
                stopped = "target"
                break
            if max_seconds is not None and time.perf_counter() - t_start > max_seconds:
                stopped = "time"
                break
    finally:
        bar.close()
    if eval_set is not None and log["eval_step"][-1] != step:
        evaluate(step)
    if checkpoint_path is not None:
        save(step)
    return TrainResult(params, opt_state, history(), state if task.carry_state else None, stopped)


def _diverged(step, what):
    return TrainingDiverged(
        f"Training diverged at step {step}: {what}. Try a lower learning rate "
        f"(for example a third of it), gradient clipping (clip=1.0) or a smaller clip value.")
