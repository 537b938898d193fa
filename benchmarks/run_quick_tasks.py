"""Three more long-lag tasks of notebook 07, LSTM against a vanilla RNN, over seeds.

    OPENBLAS_NUM_THREADS=1 python benchmarks/run_quick_tasks.py          # -> data/results/quick_tasks.json

    remember_lag50   remember the first of 4 symbols across 50 random distractors
                     (accuracy; chance 1/4)
    reber            the embedded Reber grammar (Hochreiter & Schmidhuber 1997, experiment 1):
                     next-symbol prediction; score = fraction of strings with every step right
    temporal_order   task 6a of the 1997 paper: classify the order of two X/Y symbols 30 to 50
                     steps apart in a sequence of 100 to 110 (accuracy; chance 1/4)

Every network has H = 32 units and trains with Adam (lr 1e-2), batches of 64 fresh
sequences and gradient clipping at norm 1; the LSTM starts with forget-gate bias 3. Seed s
draws the initial weights from default_rng(s) and the batches from default_rng([1000 + s,
step]); both networks run the same seeds and the same step budget, and stop at the first
evaluation (every `eval_every` steps, on the fixed sets in data/eval/) that reaches the
target. Per seed the record keeps the steps to the target (None: not within the budget),
the final score, the score curve (its first point is the untrained network) and, for the
Reber grammar, the accuracy on the second-to-last symbol alone (the long-range part).
--quick: one seed and a 100-step budget per run, for the smoke test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import lstmlearn as ll
from lstmlearn import tasks
from record_tools import (
    ROOT,
    add_record_options,
    header,
    lstm_vs_rnn,
    out_path,
    public,
    seeds_of,
    train_seed,
    write,
)

HYPER = {
    "hidden_size": 32,
    "batch_size": 64,
    "optimizer": "Adam",
    "lr": 1e-2,
    "clip": 1.0,
    "dtype": "float32",
    "forget_bias": 3.0,
}
TASKS = {  # name: (task, evaluation set, target score, step budget, eval_every)
    "remember_lag50": (tasks.remember_task(50), "remember_lag50", 0.99, 20000, 50),
    "reber": (tasks.reber_task(), "reber", 0.99, 5000, 50),
    "temporal_order": (tasks.temporal_order_task(), "temporal_order", 0.95, 10000, 100),
}


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--only-task",
        action="append",
        choices=sorted(TASKS),
        default=None,
        help="run only this task (for trying things; the record holds all three)",
    )
    add_record_options(ap, "quick_tasks.json")
    return ap


def main(argv=None):
    args = build_parser().parse_args(argv)
    out = out_path(args, "quick_tasks.json")
    seeds = seeds_of(args)
    result = header(args, "quick_tasks")
    result.update(
        {
            "seeds": seeds,
            "seed_rule": "initial weights: default_rng(seed); batch at step k: default_rng([1000 + seed, k])",
            "hyperparameters": HYPER,
            "tasks": {},
        }
    )
    for name in args.only_task or TASKS:
        task, eval_name, target, budget, eval_every = TASKS[name]
        eval_set = tasks.load_batch(ROOT / "data" / "eval" / f"{eval_name}.npz")
        steps = min(budget, 100) if args.quick else budget
        entry = {
            "task": task.name,
            "score_name": task.score_name,
            "eval_set": f"data/eval/{eval_name}.npz",
            "baseline": task.baseline,
            "target_score": target,
            "budget_steps": steps,
            "eval_every": eval_every,
            "configs": {},
        }
        for core in ("lstm", "rnn"):
            forget_bias = HYPER["forget_bias"] if core == "lstm" else None
            runs = []
            for seed in seeds:
                run = train_seed(
                    task,
                    core,
                    eval_set,
                    seed=seed,
                    steps=steps,
                    target=target,
                    hidden=HYPER["hidden_size"],
                    forget_bias=forget_bias or 0.0,
                    lr=HYPER["lr"],
                    batch=HYPER["batch_size"],
                    clip=HYPER["clip"],
                    eval_every=eval_every,
                )
                if name == "reber":
                    Y = ll.predict(run["_params"], eval_set.X, run["_model"])
                    run["final_symbol_accuracy"] = tasks.reber_final_accuracy(Y, eval_set)
                runs.append(public(run))
                print(
                    f"{name} {core} seed {seed}: {run['steps']} steps, target at {run['steps_to_target']}, "
                    f"{task.score_name} {run['eval_score']:.3f}, {run['cpu_seconds']:.0f} s CPU",
                    flush=True,
                )
            entry["configs"][core] = {"core": core, "forget_bias": forget_bias, "runs": runs}
        lstm, rnn = entry["configs"]["lstm"]["runs"], entry["configs"]["rnn"]["runs"]
        entry["comparisons"] = lstm_vs_rnn(lstm, rnn, target, task.score_name)
        for c in entry["comparisons"]:
            print(f"{name}, {c['what']}: {c['verdict']}", flush=True)
        result["tasks"][name] = entry
    write(result, out)


if __name__ == "__main__":
    main()
