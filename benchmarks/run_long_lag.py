"""LSTM against a vanilla RNN on a long-time-lag task (notebook 07's central experiment).

    OPENBLAS_NUM_THREADS=1 python benchmarks/run_long_lag.py adding --T 50 --forget-bias 3 --rnn-full-budget
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_long_lag.py adding --T 100 --forget-bias 3 --max-seconds 540
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_long_lag.py copy --T 20

The LSTM trains until it reaches the target score on the fixed evaluation set in
data/eval/ (or runs out of steps or time); the RNN, of the same size and with the same
optimiser, seeds and clipping, then trains for the same number of steps. Both runs are
written to data/results/<task>_T<T>.json with their histories (subsampled for plotting).
"""

import argparse
import json
import re
import shlex
import sys
import time
from pathlib import Path

import numpy as np

import lstmlearn as ll
from lstmlearn.tasks import adding_task, copy_task, load_batch

ROOT = Path(__file__).resolve().parents[1]
TASKS = {"adding": (adding_task, 0.95), "copy": (copy_task, 0.99)}


def subsample(history: ll.History, n: int = 300) -> dict:
    """History as lists, the per-step arrays thinned to about n points."""
    k = max(1, len(history.step) // n)
    out = {name: [float(f"{v:.5g}") for v in np.asarray(getattr(history, name))[::k]]
           for name in ("loss", "grad_norm", "time")}
    out["step"] = np.asarray(history.step)[::k].tolist()
    out.update(eval_step=np.asarray(history.eval_step).tolist(), score=np.asarray(history.score).tolist(),
               score_name=history.score_name, baseline=history.baseline, subsampled_every=k)
    return out


def to_json(result: dict) -> str:
    """JSON with one key per line but every list of numbers on a single line."""
    text = json.dumps(result, indent=1)
    return re.sub(r"\[[-0-9.,\seE+naNInfity]*\]", lambda m: " ".join(m.group(0).split()), text)


def run(core, task, eval_set, args, steps, max_seconds, target):
    model = task.model(core, args.hidden)
    params = ll.init_model(model, np.random.default_rng(args.seed), forget_bias=args.forget_bias, dtype=np.dtype(args.dtype))
    t0 = time.perf_counter()
    res = ll.train(model, params, task, ll.Adam(lr=args.lr), steps, batch_size=args.batch, seed=args.seed + 1,
                   clip=args.clip, eval_set=eval_set, eval_every=args.eval_every, target_score=target,
                   max_seconds=max_seconds, progress=not args.quiet)
    wall = time.perf_counter() - t0
    loss, score = task.score(res.params, model, eval_set)
    h = res.history
    print(f"{core}: {len(h.step)} steps in {wall:.1f} s, eval loss {loss:.4f}, {h.score_name} {score:.3f} "
          f"(stopped: {res.stopped})", flush=True)
    return {"core": core, "steps": int(h.step[-1]), "wall_seconds": round(wall, 2), "stopped": res.stopped,
            "eval_loss": loss, "eval_score": score,
            "first_step_reaching_target": next((int(s) for s, v in zip(h.eval_step, h.score) if v >= target), None),
            "history": subsample(h)}, res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("task", choices=sorted(TASKS))
    ap.add_argument("--T", type=int, default=50)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--max-seconds", type=float, default=90.0)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--target", type=float, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--forget-bias", type=float, default=1.0)
    ap.add_argument("--no-rnn", action="store_true")
    ap.add_argument("--rnn-full-budget", action="store_true",
                    help="also train an RNN for the LSTM's whole step and time budget")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    make, default_target = TASKS[args.task]
    target = default_target if args.target is None else args.target
    task = make(args.T)
    eval_set = load_batch(ROOT / "data" / "eval" / f"{args.task}_T{args.T}.npz")
    result = {
        "command": "python " + " ".join(shlex.quote(a) for a in sys.argv),
        "task": task.name, "eval_set": f"data/eval/{args.task}_T{args.T}.npz",
        "eval_sequences": int(eval_set.X.shape[1]), "baseline": task.baseline, "target_score": target,
        "seeds": {"init": args.seed, "batches": args.seed + 1},
        "hyperparameters": {"hidden_size": args.hidden, "batch_size": args.batch, "optimizer": "Adam",
                            "lr": args.lr, "clip": args.clip, "forget_bias": args.forget_bias, "dtype": args.dtype,
                            "eval_every": args.eval_every, "max_steps": args.steps,
                            "max_seconds": args.max_seconds},
        "machine": {"cpus": 2, "OPENBLAS_NUM_THREADS": __import__("os").environ.get("OPENBLAS_NUM_THREADS")},
    }
    lstm, res = run("lstm", task, eval_set, args, args.steps, args.max_seconds, target)
    result["lstm"] = lstm
    if not args.no_rnn:
        # The RNN gets exactly as many steps as the LSTM used, and no target to stop at.
        result["rnn"], _ = run("rnn", task, eval_set, args, lstm["steps"], None, float("inf"))
        if args.rnn_full_budget:
            # ... and, separately, the whole time budget the LSTM was allowed.
            result["rnn_full_budget"], _ = run("rnn", task, eval_set, args, args.steps, args.max_seconds, target)
    out = Path(args.out) if args.out else ROOT / "data" / "results" / f"{args.task}_T{args.T}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_json(result))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
