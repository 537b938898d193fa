"""kill -9 during training: does every checkpoint survive, and do orphaned temporaries go away?

Each trial starts a child process that trains an LSTM on the adding problem with a
checkpoint after every step (so a good share of the kills land in the middle of a save),
kills it with SIGKILL at a random moment, and then, in this process:

1. loads the checkpoint (intact: it loads, and its history ends at its step count);
2. counts the temporary files the killed writer left beside it (orphans);
3. resumes the run for a few more steps with train(..., resume=True), which saves again;
4. counts the orphans after that save (there must be none), and compares the resumed
   parameters and history with an uninterrupted run of as many steps (they must be equal).

    OPENBLAS_NUM_THREADS=1 python benchmarks/kill_checkpoint.py            # 20 kills
    OPENBLAS_NUM_THREADS=1 python benchmarks/kill_checkpoint.py --kills 5 --seed 1

POSIX only (SIGKILL). Prints one line per kill and a summary; exits 1 unless every
checkpoint was intact, every resumed run equal, and no orphan survived the next save.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import lstmlearn as ll
from lstmlearn import tasks

TASK_T, HIDDEN, BATCH, SEED = 24, 96, 8, 3
MORE_STEPS = 3  # steps trained after resuming


def setup():
    task = tasks.adding_task(TASK_T)
    model = task.model("lstm", HIDDEN)
    params = ll.init_model(model, np.random.default_rng(0))
    return task, model, params


def run(path, steps, **kw):
    task, model, params = setup()
    return ll.train(model, params, task, ll.Adam(lr=3e-3), steps, batch_size=BATCH, seed=SEED,
                    checkpoint_path=path, checkpoint_every=1 if path else None, progress=False, **kw)


def child(path):
    """Train with a checkpoint every step until killed."""
    print("ready", flush=True)
    run(path, 100_000)


def orphans(path: Path) -> list:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith("." + path.name) and p.name.endswith(".tmp"))


def trial(k, rng, folder: Path):
    path = folder / f"run{k}.npz"
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    while not path.exists():  # the first checkpoint is written
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 2.0))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()  # reaped: its pid no longer runs
    left = orphans(path)
    try:
        ck = ll.load_checkpoint(path)
        intact = ck.history is not None and int(ck.history.step[-1]) == ck.step
    except Exception as err:  # a checkpoint that does not load is what this experiment looks for
        print(f"kill {k + 1}: checkpoint broken: {type(err).__name__}: {err}")
        return False, len(left), None, False
    resumed = run(path, ck.step + MORE_STEPS)
    after = orphans(path)
    fresh = run(None, ck.step + MORE_STEPS)
    equal = all(np.array_equal(resumed.params[n], fresh.params[n]) for n in fresh.params) and all(
        np.array_equal(getattr(resumed.history, a), getattr(fresh.history, a))
        for a in ("step", "loss", "grad_norm", "eval_step", "score"))
    print(f"kill {k + 1:2d}: after step {ck.step:4d}; checkpoint {'intact' if intact else 'BROKEN'}; "
          f"orphans left by the kill {len(left)}, after the next save {len(after)}; "
          f"resumed run {'equals' if equal else 'DIFFERS FROM'} the uninterrupted one", flush=True)
    return intact, len(left), len(after), equal


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0, help="seed of the kill times")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        results = [trial(k, rng, Path(folder)) for k in range(args.kills)]
    intact = sum(r[0] for r in results)
    left = sum(r[1] for r in results)
    killed_mid_save = sum(r[1] > 0 for r in results)
    after = sum(r[2] or 0 for r in results)
    equal = sum(r[3] for r in results)
    print(f"\n{args.kills} kills (-9) during training with a checkpoint every step (LSTM H={HIDDEN}, adding T={TASK_T}):")
    print(f"  checkpoints intact: {intact}/{args.kills}")
    print(f"  kills that landed during a save (orphaned temporaries): {killed_mid_save} ({left} files)")
    print(f"  orphans left after the next save: {after}")
    print(f"  resumed runs equal to the uninterrupted run: {equal}/{args.kills}")
    ok = intact == equal == args.kills and after == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
