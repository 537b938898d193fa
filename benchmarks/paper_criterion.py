"""Training counted the way Hochreiter & Schmidhuber (1997) counted it: training sequences
seen until the paper's success criterion holds (used by benchmarks/run_paper_scoreboard.py).

The 1997 paper trains online and judges success on the training stream itself:

    adding problem    the last 2,000 training sequences all have |error| < 0.04,
                      and their average error is below 0.01                  (section 5.4)
    temporal order    the last 2,000 training sequences are all classified correctly (every
                      output within 0.3 of its target), average error below 0.1  (section 5.6)
    embedded Reber    every next-symbol prediction right on all 256 training strings and all
                      256 test strings (the allowed symbols are the most active outputs)  (5.1)

So a run needs each training sequence's error as it was trained on, with the weights
*before* the update it causes. One step of `train_until`:

    batch = task.sample(default_rng([seed, step]), B)        the same stream as lstmlearn.train
    P = predictions of the current weights on the batch       (B, K): the errors the paper counts
    L, g = loss_and_grads(params, batch, model)               lstmlearn.models
    criterion.update(P, batch)  ->  holds?                    stop here if it does
    g = clip(g);  params = optimizer.step(params, g)          lstmlearn.optim

`sequences` counts every training sequence presented, including the batch that completed
the criterion. A run that reaches `max_sequences` without it is censored: its count is
np.inf ("more than the budget"), which is how lstmlearn.evidence ranks it.
"""

from __future__ import annotations

import numpy as np

from lstmlearn.losses import softmax
from lstmlearn.models import Model, forward, loss_and_grads
from lstmlearn.optim import clip_grad_norm, global_norm


class RunningWindow:
    """The paper's criterion on the last `window` training sequences.

    error_fn(P, batch) -> (errors (B,), correct (B,) bool) for one batch, P the predictions.
    Holds once `window` sequences have been seen, all of the last `window` are correct and
    their mean error is below `max_mean_error`.
    """

    def __init__(self, error_fn, window: int = 2000, max_mean_error: float = 0.01):
        self.error_fn, self.window, self.max_mean_error = error_fn, window, max_mean_error
        self.errors = np.zeros(window)
        self.correct = np.zeros(window, dtype=bool)
        self.seen = 0

    needs_predictions = True

    def update(self, P, batch, n, params=None, model=None) -> bool:
        errors, correct = self.error_fn(P, batch)
        idx = (self.seen + np.arange(len(errors))) % self.window  # a ring buffer of the last `window`
        self.errors[idx], self.correct[idx] = errors, correct
        self.seen += len(errors)
        return self.holds()

    def holds(self) -> bool:
        return bool(self.seen >= self.window and self.correct.all() and self.errors.mean() < self.max_mean_error)

    def status(self) -> dict:
        """Fraction correct and mean error over the (up to `window`) most recent sequences."""
        n = min(self.seen, self.window)
        if n == 0:
            return {"fraction_correct": float("nan"), "mean_error": float("nan")}
        idx = (self.seen - 1 - np.arange(n)) % self.window
        return {"fraction_correct": float(self.correct[idx].mean()), "mean_error": float(self.errors[idx].mean())}


class FixedSets:
    """The embedded-Reber criterion: every string of a fixed training set and test set right.

    check(params, model) -> (fraction of training strings right, fraction of test strings right);
    the criterion holds when both are 1. Checked every `every` training sequences (the count
    is then exact to within `every`).
    """

    def __init__(self, check, every: int):
        self.check, self.every = check, every
        self.seen, self.next_check, self.last = 0, every, (0.0, 0.0)

    needs_predictions = False

    def update(self, P, batch, n, params=None, model=None) -> bool:
        self.seen += n
        if self.seen < self.next_check:
            return False
        self.next_check = self.seen + self.every
        self.last = self.check(params, model)
        return self.holds()

    def holds(self) -> bool:
        return self.last == (1.0, 1.0)

    def status(self) -> dict:
        return {"train_strings_correct": float(self.last[0]), "test_strings_correct": float(self.last[1])}


def adding_errors(P, batch, tolerance=0.04):
    """Squared error and |error| < 0.04 per sequence of an adding-problem batch; P (B, 1)."""
    err = np.asarray(P, dtype=np.float64)[:, 0] - batch.Y[:, 0]
    return err * err, np.abs(err) < tolerance


def class_errors(P, batch, tolerance=0.3):
    """For a many-to-one classification batch with logits P (B, K): the squared error of the
    softmax outputs against the one-hot target summed over the K outputs, and whether every
    output is within `tolerance` of its target (the 1997 reading of "classified correctly")."""
    p = softmax(np.asarray(P, dtype=np.float64))
    target = np.eye(p.shape[-1])[batch.Y]
    diff = p - target
    return (diff * diff).sum(-1), (np.abs(diff) < tolerance).all(-1)


def _predictions(params, batch, model: Model, final_state):
    """Predictions of the current weights on the batch, before the update.

    For one many-to-one sequence (B = 1) the padded input is exactly the sequence, so the
    prediction is the readout of the final state that loss_and_grads returns: no second
    forward pass. Otherwise a forward pass.
    """
    if (
        model.readout == "last"
        and final_state is not None
        and final_state.h.shape[0] == 1
        and (batch.lengths is None or batch.lengths[0] == batch.X.shape[0])
    ):
        return final_state.h @ params["W_y"] + params["b_y"]  # (1, K)
    return forward(params, batch.X, model, lengths=batch.lengths).Y


def train_until(
    model: Model,
    params: dict,
    task,
    optimizer,
    criterion,
    *,
    batch_size: int,
    seed: int,
    clip: float | None,
    max_sequences: int,
    sample=None,
    record_every: int = 2000,
):
    """Train until `criterion` holds or `max_sequences` training sequences have been seen.

    sample : optional (rng, batch_size) -> Batch replacing task.sample (e.g. draws from a
        fixed training set)
    record_every : sequences between two points of the learning curve (criterion.status())

    Returns a dict: sequences (np.inf if the criterion never held), steps, sequences_seen,
    curve {"sequences": [...], <status fields>: [...]}, grad_norm_max, and the final params.
    """
    opt_state = optimizer.init(params)
    draw = sample or (lambda rng, B: task.sample(rng, B, 0))
    curve = {"sequences": []}
    seen, step, next_record, reached, max_norm = 0, 0, record_every, False, 0.0
    while seen < max_sequences:
        batch = draw(np.random.default_rng([seed, step]), batch_size)
        need_state = model.readout == "last" and batch_size == 1 and criterion.needs_predictions
        out = loss_and_grads(
            params, batch.X, batch.Y, model, mask=batch.mask, lengths=batch.lengths, return_state=need_state
        )
        loss, grads = out[:2]
        P = _predictions(params, batch, model, out[2] if need_state else None) if criterion.needs_predictions else None
        reached = criterion.update(P, batch, batch_size, params, model)
        step += 1
        seen += batch_size
        if seen >= next_record or reached:
            curve["sequences"].append(seen)
            for k, v in criterion.status().items():
                curve.setdefault(k, []).append(round(v, 6))
            next_record = seen + record_every
        if reached:
            break
        if clip is not None:
            grads, norm = clip_grad_norm(grads, clip)
        else:
            norm = global_norm(grads)
        if not np.isfinite(norm):
            raise FloatingPointError(f"the gradient norm became {norm} at step {step} (seed {seed})")
        max_norm = max(max_norm, norm)
        params, opt_state = optimizer.step(params, grads, opt_state)
    if not curve["sequences"] or curve["sequences"][-1] != seen:  # the curve ends where the run ended
        curve["sequences"].append(seen)
        for k, v in criterion.status().items():
            curve.setdefault(k, []).append(round(v, 6))
    return {
        "sequences": seen if reached else np.inf,
        "steps": step,
        "sequences_seen": seen,
        "curve": curve,
        "grad_norm_max": round(max_norm, 4),
        "params": params,
    }
