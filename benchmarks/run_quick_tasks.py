"""The other long-lag tasks of notebook 07, each in a minute or two on a laptop.

    OPENBLAS_NUM_THREADS=1 python benchmarks/run_quick_tasks.py

remember the first symbol after 50 random distractors (LSTM and RNN), the same with a
constant blank in between (where an RNN's attractors suffice), the embedded Reber grammar
(LSTM and RNN) and temporal order 6a (LSTM), scored on the fixed sets in data/eval/
(the blank variant on a seeded set made here). Writes data/results/quick_tasks.json.
"""

import shlex
import sys
import time
from pathlib import Path

import numpy as np

import lstmlearn as ll
from lstmlearn import tasks

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from run_long_lag import subsample, to_json  # noqa: E402

HYPER = {"hidden_size": 32, "batch_size": 64, "optimizer": "Adam", "lr": 1e-2, "clip": 1.0,
         "dtype": "float32", "eval_every": 50}
BLANK = tasks.remember_task(50, n_distractors=1)
RUNS = [  # (name, task, eval set, core, forget bias, target score, max seconds)
    ("remember_lag50", tasks.remember_task(50), "remember_lag50", "lstm", 3.0, 0.99, 60),
    ("remember_lag50", tasks.remember_task(50), "remember_lag50", "rnn", 1.0, 0.99, 60),
    ("remember_lag50_blank", BLANK, None, "lstm", 1.0, 0.99, 60),
    ("remember_lag50_blank", BLANK, None, "lstm", 3.0, 0.99, 60),
    ("remember_lag50_blank", BLANK, None, "rnn", 1.0, 0.99, 60),
    ("reber", tasks.reber_task(), "reber", "lstm", 1.0, 0.99, 90),
    ("reber", tasks.reber_task(), "reber", "rnn", 1.0, 0.99, 90),
    ("temporal_order", tasks.temporal_order_task(), "temporal_order", "lstm", 3.0, 0.95, 150),
]


def main(seed=0):
    out = {"command": "python " + " ".join(shlex.quote(a) for a in sys.argv),
           "seeds": {"init": seed, "batches": seed + 1}, "hyperparameters": HYPER, "runs": []}
    for name, task, eval_name, core, forget_bias, target, seconds in RUNS:
        if eval_name is None:
            eval_set = task.sample(np.random.default_rng(5051), 1000)
        else:
            eval_set = tasks.load_batch(ROOT / "data" / "eval" / f"{eval_name}.npz")
        model = task.model(core, HYPER["hidden_size"])
        params = ll.init_model(model, np.random.default_rng(seed), forget_bias=forget_bias, dtype=np.float32)
        t0 = time.perf_counter()
        res = ll.train(model, params, task, ll.Adam(lr=HYPER["lr"]), 100000, batch_size=HYPER["batch_size"],
                       seed=seed + 1, clip=HYPER["clip"], eval_set=eval_set, eval_every=HYPER["eval_every"],
                       target_score=target, max_seconds=seconds, progress=False)
        wall = time.perf_counter() - t0
        loss, score = task.score(res.params, model, eval_set)
        record = {"task": name, "core": core, "forget_bias": forget_bias if core == "lstm" else None,
                  "target_score": target, "max_seconds": seconds, "steps": int(res.history.step[-1]),
                  "wall_seconds": round(wall, 2), "stopped": res.stopped, "eval_loss": loss,
                  "eval_score": score, "score_name": task.score_name, "baseline": task.baseline}
        if name == "reber":
            Y = ll.predict(res.params, eval_set.X, model)
            record["final_symbol_accuracy"] = tasks.reber_final_accuracy(Y, eval_set)
        record["history"] = subsample(res.history)
        out["runs"].append(record)
        print(f"{name} {core}: {record['steps']} steps, {wall:.1f} s, {task.score_name} {score:.3f}"
              + (f", final symbol {record['final_symbol_accuracy']:.3f}" if name == "reber" else ""), flush=True)
    path = ROOT / "data" / "results" / "quick_tasks.json"
    path.write_text(to_json(out))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
