"""Greff et al. (2017) in miniature, and the forget-bias experiment (notebook 09).

    OPENBLAS_NUM_THREADS=1 python benchmarks/run_variants.py variants --task adding_T50       # -> data/results/variants_adding_T50.json
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_variants.py variants --task remember_lag50   # -> data/results/variants_remember_lag50.json
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_variants.py forget-bias                      # -> data/results/forget_bias.json

(the two variants commands can run at the same time, one per core)

variants: every core (the vanilla LSTM, the four LSTM variants, the GRU and, as the
floor, the vanilla RNN) trains on the same two tasks with the same seeds, sizes, optimiser
and step budget; the score on a fixed evaluation set is recorded every `eval_every` steps.
Every gated core starts with memory bias 3 on the gate that keeps the old state (b_f; -b_i
for the coupled variant, where f = 1 - i; the update gate of the GRU); the coupled variant
and the GRU also run with memory bias 0, PyTorch's default, where that gate starts at 0.5.
    adding problem, T = 50 (1997), 95 % target, score: fraction with |error| < 0.04 (1000 steps)
    remember the first of 4 symbols after 50 random distractors, score: accuracy, 99 % target (600 steps)
forget-bias: the vanilla LSTM on the adding problem, T = 50, for several forget-gate biases.

Each run is one (core, task, seed); the JSON keeps every run's final score, the step at
which it first reached the target (None if never) and its score curve.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path

import numpy as np

import lstmlearn as ll
from lstmlearn.tasks import adding_task, load_batch, remember_task

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = [  # (label, core, memory bias)
    ("lstm", "lstm", 3.0), ("lstm-peephole", "lstm-peephole", 3.0), ("lstm-coupled", "lstm-coupled", 3.0),
    ("lstm-no_output_activation", "lstm-no_output_activation", 3.0), ("lstm-no_forget", "lstm-no_forget", 3.0),
    ("gru", "gru", 3.0), ("lstm-coupled, bias 0", "lstm-coupled", 0.0), ("gru, bias 0", "gru", 0.0),
    ("rnn", "rnn", 0.0),
]
TASKS = {
    "adding_T50": (lambda: adding_task(50), "data/eval/adding_T50.npz", 0.95),
    "remember_lag50": (lambda: remember_task(50), "data/eval/remember_lag50.npz", 0.99),
}
SETTINGS = dict(hidden_size=32, batch_size=64, lr=1e-2, clip=1.0, dtype="float32", eval_every=100)


def run_one(core, task_name, seed, steps, forget_bias, label=None):
    make, eval_path, target = TASKS[task_name]
    task = make()
    eval_set = load_batch(ROOT / eval_path)  # the fixed 1000 sequences
    model = task.model(core, SETTINGS["hidden_size"])
    params = ll.init_model(model, np.random.default_rng(seed), forget_bias=forget_bias,
                           dtype=np.dtype(SETTINGS["dtype"]))
    t0 = time.perf_counter()
    res = ll.train(model, params, task, ll.Adam(lr=SETTINGS["lr"]), steps, batch_size=SETTINGS["batch_size"],
                   seed=1000 + seed, clip=SETTINGS["clip"], eval_set=eval_set, eval_every=SETTINGS["eval_every"],
                   progress=False)
    h = res.history
    first = next((int(s) for s, v in zip(h.eval_step, h.score) if v >= target), None)
    out = {"label": label or core, "core": core, "task": task_name, "seed": seed, "forget_bias": forget_bias, "steps": steps,
           "wall_seconds": round(time.perf_counter() - t0, 2), "final_score": float(h.score[-1]),
           "best_score": float(np.max(h.score)), "first_step_reaching_target": first,
           "eval_step": np.asarray(h.eval_step).tolist(), "score": [round(float(v), 4) for v in h.score],
           "baseline": task.baseline, "score_name": h.score_name}
    print(f"{task_name:>15} {out['label']:>26} seed {seed} b_f {forget_bias:>4}: final {out['final_score']:.3f}, "
          f"best {out['best_score']:.3f}, target at {first}, {out['wall_seconds']} s", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("experiment", choices=["variants", "forget-bias"])
    ap.add_argument("--task", choices=sorted(TASKS), help="variants: only this task (default: both)")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=None, help="steps per run (default 1000)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    runs = []
    if args.experiment == "variants":
        for task_name in [args.task] if args.task else list(TASKS):
            steps = args.steps or (1000 if task_name == "adding_T50" else 600)
            for label, core, bias in CONFIGS:
                for seed in range(args.seeds):
                    runs.append(run_one(core, task_name, seed, steps, bias, label))
    else:
        for b_f in [-1.0, 0.0, 1.0, 2.0, 3.0, 5.0]:
            for seed in range(args.seeds):
                runs.append(run_one("lstm", "adding_T50", seed, args.steps or 1000, b_f))
    result = {"command": "OPENBLAS_NUM_THREADS=1 python " + " ".join(shlex.quote(a) for a in sys.argv),
              "experiment": args.experiment, "settings": SETTINGS,
              "targets": {k: v[2] for k, v in TASKS.items()}, "eval_sets": {k: v[1] for k, v in TASKS.items()},
              "machine": {"cpus": os.cpu_count(), "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")},
              "total_seconds": round(time.perf_counter() - t0, 1), "runs": runs}
    name = "forget_bias.json" if args.experiment == "forget-bias" else (
        f"variants_{args.task}.json" if args.task else "variants.json")
    out = ROOT / "data" / "results" / name
    out.write_text(json.dumps(result, indent=1))
    print(f"wrote {out} ({result['total_seconds']} s)")


if __name__ == "__main__":
    main()
