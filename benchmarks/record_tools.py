"""What every experiment record of notebook 07 shares: the command-line options records.py
relies on, one seeded training run, and the JSON layout (benchmarks/run_long_lag.py,
run_quick_tasks.py, run_paper_scoreboard.py).

Seeds. Run `seed` draws its initial weights with np.random.default_rng(seed) and its
training batches with default_rng([BATCH_SEED + seed, step]) (lstmlearn.train), so two
seeds differ in both the initialisation and the batch stream, and configurations compared
on the same seed share both.

Budgets. Every run stops at its target score or at its step budget, never at a clock;
wall time (time.perf_counter) and CPU time (time.process_time) are recorded as information.
CPU time is the figure to compare across machines: on a shared machine wall time grows
with the load, CPU time hardly does.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shlex
import sys
import time
from pathlib import Path

import numpy as np

import lstmlearn as ll

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "data" / "results"
BATCH_SEED = 1000  # batch stream of seed s: default_rng([BATCH_SEED + s, step])


def add_record_options(ap, default_out: str, seeds: int = 5):
    """The options records.py passes to every record script (--out, --quick) and --seeds.

    default_out names the file in data/results/ written without --out (it may contain
    {task} and {T}, filled in by out_path)."""
    ap.add_argument(
        "--out", type=Path, default=None, help=f"where to write the JSON record (default: data/results/{default_out})"
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="one seed and a small step budget, for the smoke test (never the shipped numbers)",
    )
    ap.add_argument("--seeds", type=int, default=seeds, help=f"seeds 0 .. N-1 per configuration (default {seeds})")
    return ap


def out_path(args, default_out: str) -> Path:
    return Path(args.out) if args.out is not None else RESULTS / default_out


def seeds_of(args) -> list:
    n = 1 if args.quick else args.seeds
    if n < 1:
        raise SystemExit(f"--seeds should be at least 1, but it is {n}.")
    return list(range(n))


def thin(values, n: int = 200) -> list:
    """About n evenly spaced values of a long per-step array, rounded to 5 significant digits."""
    values = np.asarray(values)
    k = max(1, len(values) // n)
    return [float(f"{v:.5g}") for v in values[::k]]


def train_seed(
    task,
    core: str,
    eval_set,
    *,
    seed: int,
    steps: int,
    target: float,
    hidden: int = 32,
    forget_bias: float = 1.0,
    lr: float = 1e-2,
    batch: int = 64,
    clip: float = 1.0,
    eval_every: int = 100,
    dtype: str = "float32",
) -> dict:
    """Train one seed with Adam until `target` on `eval_set` or `steps`; return its record.

    The record: seed, steps done, steps_to_target (the first evaluation at or past the
    target, None if never), final eval loss and score, wall and CPU seconds, the score curve
    (every evaluation) and the training-loss curve (thinned to about 200 points).
    """
    model = task.model(core, hidden)
    params = ll.init_model(model, np.random.default_rng(seed), forget_bias=forget_bias, dtype=np.dtype(dtype))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    res = ll.train(
        model,
        params,
        task,
        ll.Adam(lr=lr),
        steps,
        batch_size=batch,
        seed=BATCH_SEED + seed,
        clip=clip,
        eval_set=eval_set,
        eval_every=eval_every,
        target_score=target,
        progress=False,
    )
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    loss, score = task.score(res.params, model, eval_set)
    h = res.history
    better = (lambda v: v >= target) if task.higher_is_better else (lambda v: v <= target)
    reached = next((int(s) for s, v in zip(h.eval_step, h.score) if better(v)), None)
    done = int(h.step[-1]) if len(h.step) else 0
    return {
        "seed": seed,
        "steps": done,
        "steps_to_target": reached,
        "eval_loss": float(loss),
        "eval_score": float(score),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "curve": {
            "eval_step": [int(s) for s in h.eval_step],
            "score": [round(float(v), 5) for v in h.score],
            "step": [int(s) for s in thin(h.step)],
            "loss": thin(h.loss),
        },
        "_params": res.params,
        "_model": model,
    }


def public(run: dict) -> dict:
    """A run's record without the entries that do not go into JSON (names starting with _)."""
    return {k: v for k, v in run.items() if not k.startswith("_")}


def steps_or_inf(runs) -> list:
    """Per-seed steps to target with np.inf for runs that never reached it (lstmlearn.evidence)."""
    return [np.inf if r["steps_to_target"] is None else r["steps_to_target"] for r in runs]


def comparison(a, b, names, higher_is_better, what: str, fmt="{:.3g}") -> dict:
    """lstmlearn.evidence.compare as a JSON entry."""
    c = ll.evidence.compare(a, b, names, higher_is_better=higher_is_better, fmt=fmt)
    return {
        "what": what,
        "names": list(names),
        "p": None if np.isnan(c.p) else round(c.p, 4),
        "real": c.real,
        "better": c.better,
        "verdict": c.verdict,
    }


def lstm_vs_rnn(lstm: list, rnn: list, target: float, score_name: str) -> list:
    """The two comparisons of an LSTM-against-RNN record: steps to the target (a run that never
    reached it counts as inf) and the final score, each under the course's standard."""
    return [
        comparison(
            steps_or_inf(lstm),
            steps_or_inf(rnn),
            ("LSTM", "RNN"),
            False,
            f"steps to {target:.0%} on the evaluation set (never: inf)",
            fmt="{:.0f}",
        ),
        comparison(
            [r["eval_score"] for r in lstm],
            [r["eval_score"] for r in rnn],
            ("LSTM", "RNN"),
            True,
            f"final {score_name}",
        ),
    ]


def header(args, record: str) -> dict:
    """The first entries of every record: name, command, machine, and the clocks started."""
    script = Path(sys.argv[0]).resolve()
    shown = [script.relative_to(ROOT).as_posix() if script.is_relative_to(ROOT) else sys.argv[0], *sys.argv[1:]]
    if "--out" in shown:  # the command as the record's reader types it
        i = shown.index("--out")
        del shown[i : i + 2]
    return {
        "record": record,
        "quick": bool(args.quick),
        "command": "OPENBLAS_NUM_THREADS=1 python " + shlex.join(shown),
        "machine": {
            "cpus": os.cpu_count(),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "numpy": np.__version__,
        },
        "_clocks": (time.perf_counter(), time.process_time()),
    }


def to_json(result: dict) -> str:
    """JSON with one key per line but every list of numbers on a single line."""
    text = json.dumps(result, indent=1, allow_nan=True)
    return re.sub(r"\[[-0-9.,\seE+naNInfity]*\]", lambda m: " ".join(m.group(0).split()), text)


def write(result: dict, out: Path) -> None:
    """Record the total clocks, drop private entries and write the JSON (atomically)."""
    wall0, cpu0 = result.pop("_clocks")
    result["wall_seconds"] = round(time.perf_counter() - wall0, 1)
    result["cpu_seconds"] = round(time.process_time() - cpu0, 1)
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(to_json(result) + "\n")
    os.replace(tmp, out)
    print(f"wrote {out} ({result['wall_seconds']:.0f} s wall, {result['cpu_seconds']:.0f} s CPU)", flush=True)
