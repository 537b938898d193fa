"""Greff et al. (2017) in miniature, and the forget-bias experiment (notebook 09).

    OPENBLAS_NUM_THREADS=1 python benchmarks/run_variants.py variants --task adding_T50       # -> data/results/variants_adding_T50.json
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_variants.py variants --task remember_lag50   # -> data/results/variants_remember_lag50.json
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_variants.py forget-bias                      # -> data/results/forget_bias.json
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_variants.py quiet-start                      # -> data/results/quiet_start.json
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_variants.py forget-bias-rates                # -> data/results/forget_bias_rates.json

Every command accepts --out PATH (where to write the JSON) and --quick (one seed, a few steps:
a smoke test whose numbers mean nothing). `python benchmarks/records.py --list` gives the times.

variants. Every core (the vanilla LSTM, the four LSTM variants, the GRU and, as the floor, the
vanilla RNN) trains on one task with H = 32, Adam, batch 64, clip 1.0 and a step budget; the
score on the task's fixed evaluation set (1000 sequences in data/eval/) is recorded every 50
steps. Every gated core starts with memory bias 3 on the gate that keeps the old state (b_f;
-b_i for the coupled variant, where f = 1 - i; the update gate of the GRU). That also shuts the
write gate of the coupled variant and of the GRU at the start (1 - sigma(3) = 0.05), while the
vanilla LSTM's input gate starts at 0.5: the configuration "lstm, b_i = -3" (vanilla LSTM with
3 subtracted from the input-gate bias) tests that confound. The coupled variant and the GRU also
run with memory bias 0, PyTorch's default, where that gate starts at 0.5.

A fair ablation gives every variant its own learning rate (Greff et al. found the learning rate
the most important hyperparameter). So the experiment has two stages:
    1. sweep:   every configuration at each rate in RATES, seeds 0-4;
    2. compare: every configuration at its best rate, on new seeds 5-9.
The best rate has the fewest median steps to the target (a seed that never reaches it counts as
infinitely many), then the highest median final score. Choosing on seeds 0-4 and comparing on
seeds 5-9 keeps the choice from flattering whichever variant it picked (choosing the best of
three rates on the same seeds that are then compared would favour the luckiest draw).

    adding problem, T = 50 (1997): 1000 steps, score: fraction with |error| < 0.04, target 95 %
    remember the first of 4 symbols after 50 random distractors: 600 steps, accuracy, target 99 %

forget-bias. The vanilla LSTM on the adding problem (T = 50, Adam 1e-2) from six forget-gate
biases, seeds 0-4, 1000 steps each; then b_f = 1 again with the same seeds for up to 10 000
steps (stopping at the target), to see whether it only starts late or not at all.

forget-bias-rates. The forget-bias runs use one rate, Adam 1e-2, which the variants sweep chose
for b_f = 3 on the same seeds. Here every forget bias trains again at the other two rates of
RATES (3e-3 and 3e-2), seeds 0-4, 1000 steps, stopped at the target, so each bias can be read
at its own best rate.

quiet-start. The control "lstm, b_i = -3" chose Adam 0.03 in the variants sweep and the course's
LSTM 0.01, so a comparison at the chosen rates mixes the quiet start with the rate. Here the
course's LSTM, the control, the coupled variant and the GRU all train at both rates in
QUIET_START_RATES, on the comparison seeds 5-9 of both tasks, scored every 10 steps (not 50, which
makes ties) and stopped at the target: steps to target is the measure.

Each run is one (configuration, rate, seed): the JSON keeps its final score, the step at which it
first reached the target (None if never), whether it diverged, and its whole learning curve.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np

import lstmlearn as ll
from lstmlearn.tasks import adding_task, load_batch, remember_task

sys.path.insert(0, str(Path(__file__).parent))
from seeded_runs import Clock, machine, train_run, write

ROOT = Path(__file__).resolve().parents[1]


class Config(NamedTuple):
    label: str  # the name in tables and figures
    core: str  # a core of lstmlearn.cores
    memory_bias: float  # init_model's forget_bias: b_f, -b_i (coupled), the GRU's update bias
    input_bias: float = 0.0  # added to b_i after init (vanilla LSTM only)


CONFIGS = [
    Config("lstm", "lstm", 3.0),
    Config("lstm, b_i = -3", "lstm", 3.0, -3.0),
    Config("peephole", "lstm-peephole", 3.0),
    Config("coupled", "lstm-coupled", 3.0),
    Config("no output activation", "lstm-no_output_activation", 3.0),
    Config("no forget gate", "lstm-no_forget", 3.0),
    Config("gru", "gru", 3.0),
    Config("coupled, bias 0", "lstm-coupled", 0.0),
    Config("gru, bias 0", "gru", 0.0),
    Config("rnn", "rnn", 0.0),
]
RATES = (3e-3, 1e-2, 3e-2)
SWEEP_SEEDS, COMPARE_SEEDS = range(0, 5), range(5, 10)


class TaskSpec(NamedTuple):
    make: object  # () -> Task
    eval_path: str  # the fixed evaluation set
    target: float  # score that counts as solved
    steps: int  # step budget per run


TASKS = {
    "adding_T50": TaskSpec(lambda: adding_task(50), "data/eval/adding_T50.npz", 0.95, 1000),
    "remember_lag50": TaskSpec(lambda: remember_task(50), "data/eval/remember_lag50.npz", 0.99, 600),
}
SETTINGS = dict(hidden_size=32, batch_size=64, clip=1.0, dtype="float32", eval_every=50, optimizer="Adam")
FORGET_BIASES = (-1.0, 0.0, 1.0, 2.0, 3.0, 5.0)
FORGET_BIAS_LR, FORGET_BIAS_STEPS, LONG_STEPS = 1e-2, 1000, 10_000
QUIET_START_LABELS = ("lstm", "lstm, b_i = -3", "coupled", "gru")
QUIET_START_RATES, QUIET_START_EVAL_EVERY = (1e-2, 3e-2), 10


def make_params(model, config: Config, seed: int) -> dict:
    """init_model with the configuration's memory bias; then shift b_i for 'lstm, b_i = -3'."""
    params = ll.init_model(
        model, np.random.default_rng(seed), forget_bias=config.memory_bias, dtype=np.dtype(SETTINGS["dtype"])
    )
    if config.input_bias:
        H = model.hidden_size
        params["b"][:H] += config.input_bias  # LSTM gate blocks i | f | g | o: b_i is the first
    return params


def run_one(
    config: Config, task_name: str, lr: float, seed: int, steps: int, eval_every: int, stop_at_target=False
) -> dict:
    spec = TASKS[task_name]
    task = spec.make()
    model = task.model(config.core, SETTINGS["hidden_size"])
    run = train_run(
        model,
        make_params(model, config, seed),
        task,
        lr=lr,
        steps=steps,
        seed=seed,
        eval_set=load_batch(ROOT / spec.eval_path),
        eval_every=eval_every,
        target=spec.target,
        batch_size=SETTINGS["batch_size"],
        clip=SETTINGS["clip"],
        stop_at_target=stop_at_target,
    )
    out = {
        "label": config.label,
        "core": config.core,
        "task": task_name,
        "forget_bias": config.memory_bias,
        "input_bias_shift": config.input_bias,
        **run,
    }
    print(
        f"{task_name:>15} {config.label:>22} lr {lr:<6g} seed {seed} b {config.memory_bias:>4}: "
        f"final {out['final_score']:.3f}, target at {out['first_step_reaching_target']}, "
        f"diverged {out['diverged']}, {out['cpu_seconds']} s CPU",
        flush=True,
    )
    return out


def steps_or_inf(run) -> float:
    s = run["first_step_reaching_target"]
    return np.inf if s is None else float(s)


def best_rate(runs) -> float:
    """The rate with the fewest median steps to target, then the highest median final score,
    then the one nearest 1e-2 (see the module docstring)."""

    def key(lr):
        mine = [r for r in runs if r["lr"] == lr]
        return (
            statistics.median(steps_or_inf(r) for r in mine),
            -statistics.median(r["final_score"] for r in mine),
            abs(np.log(lr / 1e-2)),
        )

    return min(sorted({r["lr"] for r in runs}), key=key)


def variants(task_name: str, quick: bool) -> dict:
    spec = TASKS[task_name]
    steps, eval_every = (30, 30) if quick else (spec.steps, SETTINGS["eval_every"])
    sweep_seeds, compare_seeds = (range(0, 1), range(1, 2)) if quick else (SWEEP_SEEDS, COMPARE_SEEDS)
    sweep, chosen, compare = [], {}, []
    for config in CONFIGS:
        mine = [run_one(config, task_name, lr, seed, steps, eval_every) for lr in RATES for seed in sweep_seeds]
        sweep += mine
        chosen[config.label] = best_rate(mine)
    for config in CONFIGS:
        compare += [run_one(config, task_name, chosen[config.label], seed, steps, eval_every) for seed in compare_seeds]
    return {
        "task": task_name,
        "eval_set": spec.eval_path,
        "target": spec.target,
        "steps": steps,
        "eval_every": eval_every,
        "rates": list(RATES),
        "sweep_seeds": list(sweep_seeds),
        "compare_seeds": list(compare_seeds),
        "configs": [c._asdict() for c in CONFIGS],
        "best_rate": chosen,
        "sweep": sweep,
        "compare": compare,
    }


def forget_bias(quick: bool) -> dict:
    steps, long_steps, eval_every = (30, 60, 30) if quick else (FORGET_BIAS_STEPS, LONG_STEPS, SETTINGS["eval_every"])
    seeds = range(0, 1) if quick else SWEEP_SEEDS
    runs = [
        run_one(Config("lstm", "lstm", b_f), "adding_T50", FORGET_BIAS_LR, seed, steps, eval_every)
        for b_f in FORGET_BIASES
        for seed in seeds
    ]
    long_runs = [
        run_one(
            Config("lstm", "lstm", 1.0),
            "adding_T50",
            FORGET_BIAS_LR,
            seed,
            long_steps,
            2 * eval_every,
            stop_at_target=True,
        )
        for seed in seeds
    ]
    return {
        "task": "adding_T50",
        "eval_set": TASKS["adding_T50"].eval_path,
        "target": TASKS["adding_T50"].target,
        "lr": FORGET_BIAS_LR,
        "steps": steps,
        "forget_biases": list(FORGET_BIASES),
        "seeds": list(seeds),
        "runs": runs,
        "long_steps": long_steps,
        "long_runs": long_runs,
    }


def forget_bias_rates(quick: bool) -> dict:
    steps, eval_every = (30, 30) if quick else (FORGET_BIAS_STEPS, SETTINGS["eval_every"])
    seeds = range(0, 1) if quick else SWEEP_SEEDS
    rates = [lr for lr in RATES if lr != FORGET_BIAS_LR]
    runs = [
        run_one(Config("lstm", "lstm", b_f), "adding_T50", lr, seed, steps, eval_every, stop_at_target=True)
        for b_f in FORGET_BIASES
        for lr in rates
        for seed in seeds
    ]
    return {
        "task": "adding_T50",
        "eval_set": TASKS["adding_T50"].eval_path,
        "target": TASKS["adding_T50"].target,
        "rates": rates,
        "steps": steps,
        "forget_biases": list(FORGET_BIASES),
        "seeds": list(seeds),
        "runs": runs,
    }


def quiet_start(quick: bool) -> dict:
    seeds, eval_every = (range(5, 6), 10) if quick else (COMPARE_SEEDS, QUIET_START_EVAL_EVERY)
    configs = [c for c in CONFIGS if c.label in QUIET_START_LABELS]
    runs = [
        run_one(config, task_name, lr, seed, 30 if quick else spec.steps, eval_every, stop_at_target=True)
        for task_name, spec in TASKS.items()
        for config in configs
        for lr in QUIET_START_RATES
        for seed in seeds
    ]
    return {
        "tasks": {
            name: {"eval_set": spec.eval_path, "target": spec.target, "steps": spec.steps}
            for name, spec in TASKS.items()
        },
        "rates": list(QUIET_START_RATES),
        "seeds": list(seeds),
        "eval_every": eval_every,
        "configs": [c._asdict() for c in configs],
        "runs": runs,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("experiment", choices=["variants", "forget-bias", "forget-bias-rates", "quiet-start"])
    ap.add_argument("--task", choices=sorted(TASKS), help="variants: which task (required)")
    ap.add_argument("--out", type=Path, default=None, help="where to write the JSON (default: data/results/...)")
    ap.add_argument("--quick", action="store_true", help="one seed per stage and a few steps: a smoke test")
    args = ap.parse_args(argv)
    if args.experiment == "variants" and args.task is None:
        ap.error(f"variants needs --task, one of {', '.join(sorted(TASKS))}.")
    clock = Clock()
    if args.experiment == "variants":
        body, name = variants(args.task, args.quick), f"variants_{args.task}.json"
    elif args.experiment == "forget-bias":
        body, name = forget_bias(args.quick), "forget_bias.json"
    elif args.experiment == "forget-bias-rates":
        body, name = forget_bias_rates(args.quick), "forget_bias_rates.json"
    else:
        body, name = quiet_start(args.quick), "quiet_start.json"
    command = ["benchmarks/run_variants.py", args.experiment] + (["--task", args.task] if args.task else [])
    result = {
        "command": "OPENBLAS_NUM_THREADS=1 python " + shlex.join(command),
        "experiment": args.experiment,
        "quick": args.quick,
        "settings": SETTINGS,
        **body,
        "machine": machine(),
        **clock.read(),
    }
    write(args.out or ROOT / "data" / "results" / name, result)


if __name__ == "__main__":
    main()
