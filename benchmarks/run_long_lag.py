"""LSTM against a vanilla RNN on a long-time-lag task, over seeds (notebook 07's central experiment).

    OPENBLAS_NUM_THREADS=1 python benchmarks/run_long_lag.py adding --T 50 --steps 10000             # adding_T50.json
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_long_lag.py adding --T 100 --steps 10000            # adding_T100.json
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_long_lag.py copy --T 20 --hidden 64 --steps 6000    # copy_T20.json

Both networks have the same size, readout, optimiser (Adam), batch size, gradient clipping
and step budget, and run on the same seeds (seed s: initial weights from default_rng(s),
batches from default_rng([1000 + s, step])). Each run is scored every --eval-every steps on
the fixed evaluation set in data/eval/ and stops at the first evaluation that reaches the
target, or when the step budget is spent; never at a wall-clock limit. The LSTM starts with
forget-gate bias --forget-bias (3 by default: f about 0.95, see notebook 09).

The record keeps, per configuration and seed, the steps to the target (None: not within the
budget), the final score and loss on the evaluation set, the score at every evaluation,
the training loss (thinned), and the wall and CPU time; and the comparisons of the two
configurations under the course's standard of evidence (lstmlearn.evidence).
--quick: one seed and a 200-step budget, for the smoke test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from lstmlearn.tasks import adding_task, copy_task, load_batch
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

TASKS = {"adding": (adding_task, 0.95), "copy": (copy_task, 0.99)}


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("task", choices=sorted(TASKS))
    ap.add_argument("--T", type=int, default=50, help="the lag: minimal length (adding) or gap (copy)")
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-2, help="Adam's learning rate")
    ap.add_argument("--clip", type=float, default=1.0, help="global gradient-norm clip")
    ap.add_argument("--steps", type=int, default=10000, help="step budget of every run")
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--target", type=float, default=None, help="stop at this score (default: 0.95 adding, 0.99 copy)")
    ap.add_argument("--forget-bias", type=float, default=3.0, help="initial forget-gate bias of the LSTM")
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--no-rnn", action="store_true", help="train only the LSTM")
    add_record_options(ap, "<task>_T<T>.json")
    return ap


def main(argv=None):
    args = build_parser().parse_args(argv)
    out = out_path(args, f"{args.task}_T{args.T}.json")

    make, default_target = TASKS[args.task]
    target = default_target if args.target is None else args.target
    steps = min(args.steps, 200) if args.quick else args.steps
    task = make(args.T)
    eval_path = f"data/eval/{args.task}_T{args.T}.npz"
    eval_set = load_batch(ROOT / eval_path)
    seeds = seeds_of(args)
    result = header(args, f"{args.task}_T{args.T}")
    result.update(
        {
            "task": task.name,
            "score_name": task.score_name,
            "eval_set": eval_path,
            "eval_sequences": int(eval_set.X.shape[1]),
            "baseline": task.baseline,
            "target_score": target,
            "budget_steps": steps,
            "seeds": seeds,
            "seed_rule": "initial weights: default_rng(seed); batch at step k: default_rng([1000 + seed, k])",
            "hyperparameters": {
                "hidden_size": args.hidden,
                "batch_size": args.batch,
                "optimizer": "Adam",
                "lr": args.lr,
                "clip": args.clip,
                "dtype": args.dtype,
                "eval_every": args.eval_every,
            },
            "configs": {},
        }
    )
    configs = [("lstm", args.forget_bias)] + ([] if args.no_rnn else [("rnn", None)])
    for core, forget_bias in configs:
        runs = []
        for seed in seeds:
            run = train_seed(
                task,
                core,
                eval_set,
                seed=seed,
                steps=steps,
                target=target,
                hidden=args.hidden,
                forget_bias=forget_bias or 0.0,
                lr=args.lr,
                batch=args.batch,
                clip=args.clip,
                eval_every=args.eval_every,
                dtype=args.dtype,
            )
            runs.append(public(run))
            print(
                f"{core} seed {seed}: {run['steps']} steps, target at {run['steps_to_target']}, "
                f"{task.score_name} {run['eval_score']:.3f}, {run['cpu_seconds']:.0f} s CPU",
                flush=True,
            )
        result["configs"][core] = {"core": core, "forget_bias": forget_bias, "runs": runs}
    if not args.no_rnn:
        lstm, rnn = result["configs"]["lstm"]["runs"], result["configs"]["rnn"]["runs"]
        result["comparisons"] = lstm_vs_rnn(lstm, rnn, target, task.score_name)
        for c in result["comparisons"]:
            print(f"{c['what']}: {c['verdict']}")
    write(result, out)


if __name__ == "__main__":
    main()
