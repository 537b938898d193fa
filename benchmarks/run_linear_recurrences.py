"""Gated linear recurrences where the difference shows, over seeds (notebook 10's experiments).

    OPENBLAS_NUM_THREADS=1 python benchmarks/run_linear_recurrences.py parity --steps 2000 --hidden 64 --lr 0.1 --lstm-control-lr 0.003 --jobs 2 --seeds 10
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_linear_recurrences.py selective   # linrec_selective_copy.json

Both are registered in benchmarks/records.py (linrec_parity, linrec_selective_copy) and read by
notebook 10.

parity: train on lengths 3-20, score on fixed sets of lengths 3-20 and 40-128 (length
extrapolation). LSTM (lstmlearn's engine, forget bias 1), minLSTM, minGRU, and minGRU with the
signed decay a = 1 - 2 i in (-1, 1) (Grazzi et al. 2024: positive decays cannot do parity).
Parity has a plateau: at initialisation no single bit says anything about the parity, the loss
sits at log 2, and an LSTM at Adam 0.003 (H = 32, 3000 steps) stayed there even on the training
lengths. With H = 64 and Adam 0.1 it leaves the plateau, so every model of the record trains at
those settings; --lstm-control-lr adds the LSTM at a second rate (same H, budget and seeds) as the
control that shows the plateau.
selective: selective copying (L = --length, 4 tokens of 8): minGRU whose decay and input gate
depend on x, against the same minGRU with W_i held at 0, a constant decay (a time-invariant
filter, as S4; Mamba's Table 1 is S4 18.3 %, S6 97.0 % at L = 4096).

Every configuration has the same hidden size, optimiser (Adam), learning rate, batch size,
clipping and step budget, on the same seeds (seed s: weights from default_rng(s), batches from
default_rng([1000 + s, step])). The record keeps per seed the final scores and the training-loss
curve (thinned), and the comparisons under lstmlearn.evidence's standard.
--quick: one seed and a 100-step budget, for the smoke test. --jobs N: the parity runs side by
side in N processes; every run is a pure function of its configuration and seed, so the numbers
are the same for any N.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lstmlearn as ll  # noqa: E402
from lstmlearn.minrnn_model import init_min_rnn_model, min_rnn_model_loss  # noqa: E402
from lstmlearn.tasks.parity import parity_problem, parity_task  # noqa: E402
from lstmlearn.tasks.selective_copy import copies_correct, selective_copy_problem  # noqa: E402
from record_tools import BATCH_SEED, add_record_options, comparison, header, out_path, seeds_of, thin, write  # noqa: E402

CONFIGS = {  # name -> (kind, signed)
    "minLSTM": ("lstm", False),
    "minGRU": ("gru", False),
    "minGRU signed": ("gru", True),
}


def train_min_rnn(
    kind, signed, sample, score_sets, score_fn, *, D, K, seed, steps, hidden, lr, batch, readout, fixed_i=False
):
    """Adam on one seed; returns final scores on every fixed set and the loss curve. fixed_i keeps W_i at 0."""
    rng = np.random.default_rng(seed)
    params = init_min_rnn_model(kind, D, hidden, K, rng)
    if fixed_i:
        params["W"][:, :hidden] = 0.0
    opt = ll.Adam(lr=lr)
    state = opt.init(params)
    losses = []
    cpu0 = time.process_time()
    for step in range(steps):
        data = sample(np.random.default_rng([BATCH_SEED + seed, step]), batch)
        loss, grads, _ = min_rnn_model_loss(params, data, kind, signed, readout)
        if fixed_i:
            grads["W"][:, :hidden] = 0.0
        grads, _ = ll.clip_grad_norm(grads, 1.0)
        params, state = opt.step(params, grads, state)
        losses.append(loss)
    scores = {
        name: float(score_fn(min_rnn_model_loss(params, data, kind, signed, readout)[2], data))
        for name, data in score_sets.items()
    }
    return {"seed": seed, "scores": scores, "cpu_seconds": round(time.process_time() - cpu0, 2), "loss": thin(losses)}


def train_lstm(task, score_sets, *, seed, steps, hidden, lr, batch):
    """The LSTM on the same seeds, batches, optimiser and clipping, through lstmlearn.train."""
    model = task.model("lstm", hidden)
    params = ll.init_model(model, np.random.default_rng(seed), forget_bias=1.0)
    cpu0 = time.process_time()
    res = ll.train(model, params, task, ll.Adam(lr=lr), steps, batch_size=batch, seed=BATCH_SEED + seed, progress=False)
    scores = {name: float(task.score(res.params, model, data)[1]) for name, data in score_sets.items()}
    return {
        "seed": seed,
        "scores": scores,
        "cpu_seconds": round(time.process_time() - cpu0, 2),
        "loss": thin(res.history.loss),
    }


def _parity_sets():
    return {
        "lengths 3-20": parity_problem(np.random.default_rng(7), 1000, 3, 20),
        "lengths 40-128": parity_problem(np.random.default_rng(8), 1000, 40, 128),
    }


def _parity_sample(rng, batch):
    return parity_problem(rng, batch, 3, 20)


def _parity_run(name, seed, common):
    """One (configuration, seed) of the parity record: a pure function of its arguments."""
    if name.startswith("LSTM"):
        return train_lstm(parity_task(3, 20), _parity_sets(), seed=seed, **common)
    kind, signed = CONFIGS[name]
    return train_min_rnn(
        kind, signed, _parity_sample, _parity_sets(), ll.tasks.accuracy, D=2, K=2, seed=seed, readout="last", **common
    )


def parity(args, seeds):
    settings = {"LSTM": args.common}
    if args.lstm_control_lr is not None:
        settings[f"LSTM (Adam {args.lstm_control_lr:g})"] = dict(args.common, lr=args.lstm_control_lr)
    settings.update({name: args.common for name in CONFIGS})
    jobs = [(name, s, common) for name, common in settings.items() for s in seeds]
    with ProcessPoolExecutor(args.jobs, mp_context=get_context("fork")) as pool:  # one run per process at a time
        done = list(pool.map(_parity_run, *zip(*jobs)))
    runs = {name: [] for name in settings}
    for (name, _, _), run in zip(jobs, done):
        runs[name].append(run)
    for name, rs in runs.items():
        print(name, [r["scores"] for r in rs], flush=True)
    scores = lambda name: [r["scores"]["lengths 40-128"] for r in runs[name]]  # noqa: E731
    comparisons = [
        comparison(scores("minGRU signed"), scores(other), ("minGRU signed", other), True, "accuracy, lengths 40-128")
        for other in ("minGRU", "minLSTM", "LSTM")
    ]
    child_cpu = sum(r["cpu_seconds"] for r in done)  # the runs' own clocks: they ran in other processes
    return {"runs": runs, "comparisons": comparisons, "chance": 0.5, "_child_cpu": child_cpu}


def selective(args, seeds):
    L = args.length
    sample = lambda r, b: selective_copy_problem(r, b, L, 4, 8)  # noqa: E731
    score_sets = {f"L = {L}": sample(np.random.default_rng(9), 1000)}
    runs = {}
    for name, fixed in (("minGRU (data-dependent decay)", False), ("minGRU (constant decay)", True)):
        runs[name] = [
            train_min_rnn(
                "gru", False, sample, score_sets, copies_correct,
                D=10, K=9, seed=s, readout="all", fixed_i=fixed, **args.common,
            )
            for s in seeds
        ]  # fmt: skip
        print(name, [r["scores"] for r in runs[name]], flush=True)
    a, b = ([r["scores"][f"L = {L}"] for r in runs[n]] for n in runs)
    return {"runs": runs, "comparisons": [comparison(a, b, tuple(runs), True, "tokens copied")], "chance": 1 / 8}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("experiment", choices=["parity", "selective"])
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--length", type=int, default=64, help="selective copying: L, the steps the tokens are among")
    ap.add_argument(
        "--jobs", type=int, default=1, help="parity: runs side by side in this many processes (same numbers)"
    )
    ap.add_argument(
        "--lstm-control-lr",
        type=float,
        default=None,
        help="parity: also train the LSTM at this Adam rate (the plateau's control)",
    )
    default = {"parity": "linrec_parity.json", "selective": "linrec_selective_copy.json"}
    add_record_options(ap, "linrec_{experiment}.json")
    args = ap.parse_args(argv)
    seeds = seeds_of(args)
    steps = 100 if args.quick else args.steps
    args.common = dict(steps=steps, hidden=args.hidden, lr=args.lr, batch=args.batch)
    result = header(args, f"linrec_{args.experiment}")
    result["settings"] = dict(args.common, seeds=seeds, length=args.length, lstm_control_lr=args.lstm_control_lr)
    result.update(parity(args, seeds) if args.experiment == "parity" else selective(args, seeds))
    wall0, cpu0 = result["_clocks"]
    result["_clocks"] = (wall0, cpu0 - result.pop("_child_cpu", 0.0))  # write() then counts the runs' CPU too
    write(result, out_path(args, default[args.experiment]))


if __name__ == "__main__":
    main()
