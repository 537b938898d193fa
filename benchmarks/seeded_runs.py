"""What the experiment scripts of notebooks 08 and 09 share: one training run as a JSON-ready
dict, a clock that reads wall and CPU time, and compact JSON.

    run = train_run(model, params, task, lr=1e-2, steps=1000, seed=0, eval_set=..., target=0.95)
    run["first_step_reaching_target"], run["final_score"], run["eval_step"], run["score"]

A run stops at its step budget (or, with stop_at_target=True, at the first evaluation that
reaches the target), never at a wall-clock limit, so a rerun takes the same steps and, with the
same BLAS thread count, gives the same numbers. Wall and CPU seconds are kept as information.
"""

from __future__ import annotations

import json
import os
import re
import time

import numpy as np

import lstmlearn as ll


class Clock:
    """Wall time (time.perf_counter) and this process's CPU time (time.process_time) since creation.

    On a shared machine the wall time depends on the load; the CPU time much less."""

    def __init__(self):
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()

    def read(self) -> dict:
        return {
            "wall_seconds": round(time.perf_counter() - self.wall0, 2),
            "cpu_seconds": round(time.process_time() - self.cpu0, 2),
        }


def steps_to_target(eval_step, score, target, higher_is_better=True):
    """The first evaluated step whose score reaches `target`, or None if none does."""
    for s, v in zip(eval_step, score):
        if (v >= target) if higher_is_better else (v <= target):
            return int(s)
    return None


def train_run(
    model,
    params,
    task,
    *,
    lr,
    steps,
    seed,
    eval_set,
    eval_every=50,
    target=None,
    batch_size=64,
    clip=1.0,
    stop_at_target=False,
    batch_seed=None,
) -> dict:
    """Train with Adam(lr) for `steps` steps; batches from seed `batch_seed` (default 1000 + seed).

    Returns the run as a dict: lr, steps, seed, final_score, best_score, first_step_reaching_target
    (None if never), eval_step and score (the learning curve), diverged, baseline, score_name,
    wall_seconds, cpu_seconds.

    A run that diverges (ll.train raises TrainingDiverged: a NaN or inf, or a loss over 100 times
    the median of the first 10) stops there. Its record says where (diverged: the step; None for a
    run that did not), keeps its curve up to the divergence, and ends with one more evaluation:
    the parameters after the last good step, scored at that step. final_score is that score (a
    measured number, not a convention), and the run counts as reaching the target only if an
    evaluation before the divergence did.
    """
    clock = Clock()
    batch_seed = 1000 + seed if batch_seed is None else batch_seed
    diverged = None
    try:
        res = ll.train(
            model,
            params,
            task,
            ll.Adam(lr=lr),
            steps,
            batch_size=batch_size,
            seed=batch_seed,
            clip=clip,
            eval_set=eval_set,
            eval_every=eval_every,
            progress=False,
            target_score=target if stop_at_target else None,
        )
    except ll.TrainingDiverged as err:
        diverged, res = err.step, err.result
    h = res.history
    eval_step, score = np.asarray(h.eval_step).tolist(), [round(float(v), 4) for v in h.score]
    if diverged is not None:
        last_good = int(h.step[-1]) if len(h.step) else 0
        if not eval_step or eval_step[-1] != last_good:
            eval_step.append(last_good)
            score.append(round(float(task.score(res.params, model, eval_set)[1]), 4))
    higher = task.higher_is_better
    return {
        "lr": lr,
        "steps": steps,
        "seed": seed,
        "batch_seed": batch_seed,
        "final_score": score[-1],
        "best_score": max(score) if higher else min(score),
        "first_step_reaching_target": None if target is None else steps_to_target(eval_step, score, target, higher),
        "diverged": diverged,
        "eval_step": eval_step,
        "score": score,
        "baseline": dict(task.baseline),
        "score_name": task.score_name,
        **clock.read(),
    }


def machine() -> dict:
    return {"cpus": os.cpu_count(), "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")}


def to_json(result: dict) -> str:
    """JSON with one key per line but every list of numbers on a single line."""
    text = json.dumps(result, indent=1)
    return re.sub(r"\[[-0-9.,\seE+naNInfity]*\]", lambda m: " ".join(m.group(0).split()), text)


def write(path, result: dict) -> None:
    """Write the record (creating its folder) and say where."""
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(result) + "\n")
    print(f"wrote {path}", flush=True)
