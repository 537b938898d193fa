"""Regenerate the fixed evaluation sets in data/eval/ (seeded; the same files every time).

    python benchmarks/make_eval_sets.py

Each file is one lstmlearn.tasks.Batch saved with lstmlearn.tasks.save_batch; load it with
lstmlearn.tasks.load_batch("data/eval/adding_T50.npz").
"""

from pathlib import Path

import numpy as np

from lstmlearn.tasks import (
    adding_problem,
    copy_problem,
    reber_problem,
    remember_problem,
    save_batch,
    temporal_order_problem,
)

OUT = Path(__file__).resolve().parents[1] / "data" / "eval"
N = 1000  # sequences per set


def adding_float32(rng, T):
    """The adding problem with inputs rounded to float32 (half the file size) and the
    targets recomputed from the rounded values, so they stay exact."""
    b = adding_problem(rng, N, T)
    X = b.X.astype(np.float32)
    B = np.arange(N)
    Y = 0.5 + (X[b.info["p1"], B, 0].astype(np.float64) + X[b.info["p2"], B, 0]) / 4.0
    return b._replace(X=X, Y=Y[:, None])


SETS = {
    # name: (seed, generator of one Batch, metadata)
    "adding_T50": (1050, lambda rng: adding_float32(rng, 50), {"task": "adding", "T": 50}),
    "adding_T100": (1100, lambda rng: adding_float32(rng, 100), {"task": "adding", "T": 100}),
    "copy_T20": (2020, lambda rng: copy_problem(rng, N, 20), {"task": "copy", "T": 20}),
    "copy_T50": (2050, lambda rng: copy_problem(rng, N, 50), {"task": "copy", "T": 50}),
    "temporal_order": (3000, lambda rng: temporal_order_problem(rng, N), {"task": "temporal_order"}),
    "reber": (4000, lambda rng: reber_problem(rng, N), {"task": "reber"}),
    "remember_lag50": (5050, lambda rng: remember_problem(rng, N, 50), {"task": "remember", "lag": 50}),
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (seed, make, meta) in SETS.items():
        batch = make(np.random.default_rng(seed))
        save_batch(OUT / f"{name}.npz", batch, seed=seed, **meta)
        print(f"{name}: X {batch.X.shape}, {(OUT / f'{name}.npz').stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
