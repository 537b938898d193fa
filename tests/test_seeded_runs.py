"""The experiment scripts of notebooks 08 and 09: one run as a record (benchmarks/seeded_runs.py),
the learning-rate choice of the variants (benchmarks/run_variants.py), the per-seed text of the
character model (benchmarks/train_char_model.py), and a quick run end to end."""

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.tasks import adding_task

ROOT = Path(__file__).resolve().parents[1]


def load(name):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def seeded():
    return load("seeded_runs")


def test_a_run_keeps_its_curve_and_steps_to_target(seeded):
    task = adding_task(30)
    model = task.model("lstm", 8)
    params = ll.init_model(model, np.random.default_rng(0), forget_bias=3.0)
    eval_set = task.sample(np.random.default_rng(9), 50)
    run = seeded.train_run(model, params, task, lr=1e-2, steps=20, seed=0, eval_set=eval_set, eval_every=10, target=0.0)
    assert run["eval_step"] == [0, 10, 20] and len(run["score"]) == 3
    assert run["first_step_reaching_target"] == 0  # every score is >= 0
    assert run["diverged"] is None and run["final_score"] == run["score"][-1]
    assert run["batch_seed"] == 1000


def test_a_diverged_run_says_where_and_keeps_a_measured_final_score(seeded):
    task = adding_task(30)
    model = task.model("lstm-no_output_activation", 8)
    params = ll.init_model(model, np.random.default_rng(0))
    eval_set = task.sample(np.random.default_rng(9), 50)
    run = seeded.train_run(
        model, params, task, lr=10.0, steps=100, seed=0, eval_set=eval_set, eval_every=20, target=0.95, clip=None
    )
    assert run["diverged"] is not None and 1 <= run["diverged"] < 100
    last_good = run["diverged"] - 1
    assert run["eval_step"][-1] == last_good  # the parameters after the last good step, scored there
    try:  # the same run, stopped just before the divergence, scores the same
        stopped = ll.train(
            model,
            params,
            task,
            ll.Adam(lr=10.0),
            last_good,
            batch_size=64,
            seed=1000,
            clip=None,
            eval_set=eval_set,
            eval_every=20,
            progress=False,
        ).history.score[-1]
    except ValueError:  # last_good == 0: nothing to train, the initial score
        stopped = task.score(params, model, eval_set)[1]
    assert run["final_score"] == round(float(stopped), 4)
    assert run["first_step_reaching_target"] is None


def test_best_rate_prefers_fewer_steps_then_higher_scores():
    rv = load("run_variants")

    def runs(lr, steps, scores):
        return [{"lr": lr, "first_step_reaching_target": s, "final_score": f} for s, f in zip(steps, scores)]

    # 0.03 reaches the target with 3 of 5 seeds (median 400), 0.01 with 5 of 5 but later (median 600)
    sweep = runs(0.01, [500, 600, 600, 700, 800], [1] * 5) + runs(0.03, [300, 400, 400, None, None], [1] * 5)
    assert rv.best_rate(sweep) == 0.03
    # nobody reaches the target: the higher median final score decides
    sweep = runs(0.003, [None] * 5, [0.2] * 5) + runs(0.01, [None] * 5, [0.3] * 5)
    assert rv.best_rate(sweep) == 0.01
    # a complete tie: the rate nearest 1e-2
    sweep = runs(0.003, [None] * 5, [0.2] * 5) + runs(0.03, [None] * 5, [0.2] * 5) + runs(0.01, [None] * 5, [0.2] * 5)
    assert rv.best_rate(sweep) == 0.01


def test_each_seed_reads_the_whole_training_text_from_its_own_start():
    tc = load("train_char_model")
    vocab, train_ids, _ = tc.corpus()
    same, offset = tc.rotated(train_ids, vocab, 0)
    assert offset == 0 and same is train_ids
    offsets = []
    for seed in range(1, 5):
        ids, offset = tc.rotated(train_ids, vocab, seed)
        offsets.append(offset)
        assert np.array_equal(np.sort(ids), np.sort(train_ids))  # the same characters
        assert np.array_equal(ids, np.roll(train_ids, -offset))
        assert vocab.decode(train_ids[offset - 2 : offset]) == "\n\n"  # a paragraph or record starts there
    assert offsets == sorted(offsets) and len(set(offsets)) == 4


def test_forget_bias_quick_writes_a_complete_record(tmp_path):
    rv = load("run_variants")
    out = tmp_path / "forget_bias.json"
    rv.main(["forget-bias", "--quick", "--out", str(out)])
    record = json.loads(out.read_text())
    assert record["quick"] is True and record["command"].endswith("run_variants.py forget-bias")
    assert {r["forget_bias"] for r in record["runs"]} == set(rv.FORGET_BIASES)
    assert all(r["eval_step"][0] == 0 and r["eval_step"][-1] == r["steps"] for r in record["runs"])
    assert [r["forget_bias"] for r in record["long_runs"]] == [1.0] and record["wall_seconds"] >= 0
    assert list(tmp_path.iterdir()) == [out]  # --quick writes only to --out
