"""Each task generator against its definition, over many seeds; baselines; the text tools."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn import tasks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("T", [24, 50, 100, 101])
def test_adding_problem_matches_the_1997_definition(T):
    for seed in range(20):
        b = tasks.adding_problem(np.random.default_rng(seed), 64, T)
        values, markers = b.X[..., 0], b.X[..., 1]
        assert b.lengths.min() >= T and b.lengths.max() <= T + T // 10
        assert b.X.shape == (b.lengths.max(), 64, 2) and b.Y.shape == (64, 1)
        for k in range(64):
            L = b.lengths[k]
            m, v = markers[:L, k], values[:L, k]
            assert not values[L:, k].any() and not markers[L:, k].any()  # padding
            ones = np.flatnonzero(m == 1)
            assert len(ones) == 2 and b.info["p1"][k] in ones and b.info["p2"][k] in ones
            p1, p2 = b.info["p1"][k], b.info["p2"][k]
            assert p1 < 10 and p2 < T // 2 - 1 and p1 != p2
            assert m[L - 1] == -1
            assert m[0] == (1 if 0 in ones else -1)
            assert set(np.flatnonzero(m == -1)) == {L - 1} | ({0} if 0 not in ones else set())
            assert np.all(np.abs(v) <= 1)
            if 0 in ones:
                assert v[0] == 0.0
            assert b.Y[k, 0] == pytest.approx(0.5 + (v[p1] + v[p2]) / 4, abs=1e-15)


def test_adding_problem_positions_cover_their_ranges_uniformly():
    b = tasks.adding_problem(np.random.default_rng(0), 20000, 50)
    assert set(b.info["p1"]) == set(range(10))
    assert set(b.info["p2"]) == set(range(24))
    assert np.bincount(b.info["p1"]).min() > 1700  # about 2000 each
    assert set(b.lengths) == set(range(50, 56))


@pytest.mark.parametrize("T", [50, 100])
def test_adding_baselines(T):
    b = tasks.adding_problem(np.random.default_rng(T), 200000, T)
    half = np.full_like(b.Y, 0.5)
    exact = tasks.adding_baseline(T)
    assert ll.mse(half, b.Y)[0] == pytest.approx(exact["loss"], rel=0.01)
    assert tasks.adding_correct(half, b) == pytest.approx(exact["score"], abs=0.003)
    # the usual 1/24 and 15.36 % hold for the sequences whose first step is not marked
    first_unmarked = (b.info["p1"] != 0) & (b.info["p2"] != 0)
    assert ll.mse(half[first_unmarked], b.Y[first_unmarked])[0] == pytest.approx(1 / 24, rel=0.01)
    assert np.mean(np.abs(b.Y[first_unmarked, 0] - 0.5) < 0.04) == pytest.approx(0.1536, abs=0.003)
    assert exact["loss"] < 1 / 24 and 0.1536 < exact["score"] < 0.16
    assert tasks.adding_task(T).baseline == exact


def test_copy_task_layout_and_baseline():
    T = 20
    b = tasks.copy_problem(np.random.default_rng(0), 50, T)
    assert b.X.shape == b.Y.shape == (T + 20, 50)
    assert np.all((b.X[:10] >= 1) & (b.X[:10] <= 8))
    assert not b.X[10 : 10 + T - 1].any() and np.all(b.X[10 + T - 1] == 9) and not b.X[T + 10 :].any()
    assert not b.Y[: T + 10].any()
    np.testing.assert_array_equal(b.Y[T + 10 :], b.X[:10])
    # The memoryless model: blank for sure, then uniform over the 8 symbols.
    logits = np.full((T + 20, 50, 9), -1e4)
    logits[: T + 10, :, 0] = 0.0
    logits[T + 10 :, :, 1:] = 0.0
    loss, _ = ll.softmax_cross_entropy(logits, b.Y)
    assert loss == pytest.approx(10 * np.log(8) / (T + 20), rel=1e-12)
    assert tasks.copy_baseline(T) == pytest.approx(10 * np.log(8) / 40)


def test_temporal_order_matches_task_6a():
    sym = tasks.temporal_order.SYMBOLS
    for seed in range(10):
        b = tasks.temporal_order_problem(np.random.default_rng(seed), 100)
        assert b.lengths.min() >= 100 and b.lengths.max() <= 110
        for k in range(100):
            s = "".join(sym[i] for i in b.X[: b.lengths[k], k])
            assert s[0] == "E" and s[-1] == "B"
            xy = [i + 1 for i, ch in enumerate(s) if ch in "XY"]  # 1-based positions
            assert len(xy) == 2 and 10 <= xy[0] <= 20 and 50 <= xy[1] <= 60
            assert set(s[1:-1]) - set("XY") <= set("abcd")
            assert tasks.temporal_order.CLASSES[b.Y[k]] == s[xy[0] - 1] + s[xy[1] - 1]
    assert set(b.Y) == {0, 1, 2, 3}


def inner_is_reber(s):
    """Walk the transition table of the Reber grammar; True if s is a Reber string."""
    table = {
        0: {"T": 1, "P": 2},
        1: {"S": 1, "X": 3},
        2: {"T": 2, "V": 4},
        3: {"X": 2, "S": 5},
        4: {"P": 3, "V": 5},
        5: {"E": None},
    }
    if not s.startswith("B"):
        return False
    state = 0
    for ch in s[1:]:
        if state is None or ch not in table[state]:
            return False
        state = table[state][ch]
    return state is None


def test_reber_strings_follow_the_embedded_grammar():
    rng = np.random.default_rng(0)
    for _ in range(500):
        s, allowed = tasks.reber_string(rng)
        assert s[0] == "B" and s[-1] == "E" and s[1] in "TP" and s[-2] == s[1]
        assert inner_is_reber(s[2:-2])
        assert len(allowed) == len(s) - 1
        assert all(s[t + 1] in allowed[t] for t in range(len(s) - 1))
        assert allowed[-2] == {s[1]}  # the long dependency


def test_reber_scores_of_an_oracle_and_a_grammar_only_model():
    b = tasks.reber_problem(np.random.default_rng(1), 400)
    oracle = np.where(b.info["allowed"], 1.0, -1.0)
    assert tasks.reber_strings_correct(oracle, b) == 1.0
    assert tasks.reber_final_accuracy(oracle, b) == 1.0
    forgets = oracle.copy()
    t = b.info["n"] - 2
    forgets[t, np.arange(400), 1] = forgets[t, np.arange(400), 2] = 1.0  # T or P: unsure
    rng = np.random.default_rng(2)
    forgets[t, np.arange(400), 1 + rng.integers(0, 2, 400)] += 0.1  # guess one
    assert tasks.reber_strings_correct(forgets, b) == pytest.approx(0.5, abs=0.08)
    assert tasks.reber_final_accuracy(forgets, b) == pytest.approx(0.5, abs=0.08)
    wrong = oracle.copy()
    wrong[t, np.arange(400)] = oracle[t, np.arange(400)][:, [0, 2, 1, 3, 4, 5, 6]]  # swap T and P
    assert tasks.reber_final_accuracy(wrong, b) == 0.0


def test_remember_the_first_symbol():
    b = tasks.remember_problem(np.random.default_rng(0), 300, lag=7, n_symbols=3, n_distractors=2)
    assert b.X.shape == (8, 300)
    np.testing.assert_array_equal(b.X[0], b.Y)
    assert set(b.Y) == {0, 1, 2} and set(b.X[1:].ravel()) == {3, 4}
    blank = tasks.remember_problem(np.random.default_rng(0), 30, lag=7, n_symbols=3, n_distractors=1)
    assert np.all(blank.X[1:] == 3)


def test_vocab_streams_and_chunks():
    text = "hello world, hello lstm\n" * 20
    vocab = tasks.Vocab.from_text(text)
    ids = vocab.encode(text)
    assert vocab.decode(ids) == text and vocab.size == len(set(text))
    S = tasks.streams(ids, 4)
    n = len(ids) // 4
    assert S.shape == (n, 4)
    np.testing.assert_array_equal(S[:, 2], ids[2 * n : 3 * n])
    c0, c1 = tasks.text_batch(S, 0, 10), tasks.text_batch(S, 1, 10)
    assert c0.info["reset"] and not c1.info["reset"]
    np.testing.assert_array_equal(np.concatenate([c0.X, c1.X]), S[:20])  # streams continue
    np.testing.assert_array_equal(c0.Y, S[1:11])
    n_chunks = (n - 1) // 10
    np.testing.assert_array_equal(tasks.text_batch(S, n_chunks, 10).X, c0.X)  # wraps around
    with pytest.raises(ValueError, match="not in the vocabulary"):
        vocab.encode("hello?")


def test_bits_per_character_and_the_unigram_baseline():
    assert tasks.bits_per_char(np.log(2) * 3) == pytest.approx(3.0)
    ids = np.arange(8).repeat(100)
    assert tasks.unigram_bpc(ids, ids, 8) == pytest.approx(3.0)  # uniform over 8 symbols
    skewed = np.array([0] * 900 + [1] * 100)
    p0, p1 = 901 / 1002, 101 / 1002
    assert tasks.unigram_bpc(skewed, skewed, 2) == pytest.approx(-(0.9 * np.log2(p0) + 0.1 * np.log2(p1)))


def test_sampling_is_reproducible_and_uses_the_vocabulary():
    vocab = tasks.Vocab("abc\n")
    model = ll.Model("lstm", 4, 5, 4, "all", "xent", one_hot=True)
    params = ll.init_model(model, np.random.default_rng(0))
    s1 = tasks.sample_text(params, model, vocab, np.random.default_rng(3), 40, 0.8, prime="ab")
    s2 = tasks.sample_text(params, model, vocab, np.random.default_rng(3), 40, 0.8, prime="ab")
    assert s1 == s2 and len(s1) == 42 and s1.startswith("ab") and set(s1) <= set(vocab.chars)
    cold = tasks.sample_text(params, model, vocab, np.random.default_rng(4), 30, 1e-6, prime="a")
    argmax = tasks.sample_text(params, model, vocab, np.random.default_rng(5), 30, 1e-6, prime="a")
    assert cold == argmax  # near-zero temperature is greedy, whatever the rng


@pytest.mark.parametrize(
    "make",
    [
        lambda r: tasks.adding_problem(r, 2, 30),
        lambda r: tasks.copy_problem(r, 2, 5),
        lambda r: tasks.temporal_order_problem(r, 2),
        lambda r: tasks.reber_problem(r, 2),
        lambda r: tasks.remember_problem(r, 2, 3),
    ],
)
def test_generators_need_a_generator_and_are_reproducible(make):
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        make(0)
    a, b = make(np.random.default_rng(9)), make(np.random.default_rng(9))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.Y, b.Y)


def test_bad_sizes_name_the_argument():
    with pytest.raises(ValueError, match="T must be at least 24"):
        tasks.adding_problem(np.random.default_rng(0), 4, 20)
    with pytest.raises(ValueError, match="batch_size must be a whole number"):
        tasks.copy_problem(np.random.default_rng(0), 0, 5)


def test_shipped_evaluation_sets_are_what_the_script_makes():
    spec = importlib.util.spec_from_file_location("make_eval_sets", ROOT / "benchmarks" / "make_eval_sets.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name in ("copy_T20", "reber", "temporal_order", "adding_T50"):
        seed, make, _ = mod.SETS[name]
        fresh, shipped = make(np.random.default_rng(seed)), tasks.load_batch(ROOT / "data" / "eval" / f"{name}.npz")
        np.testing.assert_array_equal(shipped.X, fresh.X)
        np.testing.assert_array_equal(shipped.Y, fresh.Y)
    b = tasks.load_batch(ROOT / "data" / "eval" / "adding_T50.npz")
    B = np.arange(b.X.shape[1])
    np.testing.assert_allclose(b.Y[:, 0], 0.5 + (b.X[b.info["p1"], B, 0] + b.X[b.info["p2"], B, 0]) / 4, atol=1e-7)
