"""The course's standard of evidence (lstmlearn.evidence) against hand-computed cases."""

import math

import numpy as np
import pytest

from lstmlearn import evidence as ev


def test_five_against_five_all_better_is_the_smallest_p():
    assert ev.permutation_test([1.0] * 5, [0.0] * 5) == pytest.approx(2 / math.comb(10, 5))


def test_three_of_five_against_five_of_five_is_no_evidence():
    # Fisher's exact test, two-sided, for the table [[3, 2], [5, 0]]: p = 0.444
    c = ev.compare([1, 1, 1, 0, 0], [1] * 5, ("a", "b"))
    assert c.p == pytest.approx(0.4444, abs=1e-4)
    assert not c.real and c.better is None and "No evidence either way" in c.verdict


def test_direction_follows_higher_is_better():
    steps_a = [300, 400, 350, 500, 450]
    never = [np.inf] * 5  # never reached the target: ties at the bottom
    assert ev.compare(steps_a, never, ("lstm", "rnn"), higher_is_better=False).better == "lstm"
    assert ev.compare(steps_a, never, ("lstm", "rnn"), higher_is_better=True).better == "rnn"


def test_exact_matches_brute_force_on_unequal_groups_with_ties():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 4, 4).astype(float), rng.integers(0, 4, 6).astype(float)
    pooled = np.concatenate([a, b])
    ranks = ev._midranks(pooled)
    import itertools

    obs = abs(ranks[:4].sum() - 4 * 11 / 2)
    sums = [abs(ranks[list(c)].sum() - 22) for c in itertools.combinations(range(10), 4)]
    assert ev.permutation_test(a, b) == pytest.approx(np.mean(np.array(sums) >= obs - 1e-9))


def test_random_splits_agree_with_the_exact_test():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 12), rng.normal(0.8, 1, 12)
    estimate = ev.permutation_test(a, b, resamples=100_000)
    old = ev.EXACT_LIMIT
    try:
        ev.EXACT_LIMIT = 10**7
        exact = ev.permutation_test(a, b)
    finally:
        ev.EXACT_LIMIT = old
    assert estimate == pytest.approx(exact, abs=0.01)


def test_too_few_seeds_is_said_not_tested():
    c = ev.compare([0.9, 0.8], [0.1, 0.2])
    assert np.isnan(c.p) and not c.real and "Too few seeds" in c.verdict


def test_summary_prints_median_and_range():
    assert str(ev.summary([3, 1, 2, 5, 4])) == "3 (1 to 5, 5 seeds)"
    assert str(ev.summary([np.inf] * 5)) == "not reached (all 5 seeds)"


def test_nan_and_empty_are_refused():
    with pytest.raises(ValueError, match="NaN"):
        ev.summary([1.0, np.nan])
    with pytest.raises(ValueError, match="empty"):
        ev.compare([], [1.0])


def test_median_curve_keeps_a_finished_runs_last_value():
    from lstmlearn.plots import median_curve

    steps = [np.array([0, 100, 200, 300]), np.array([0, 100]), np.array([0, 100, 200, 300])]
    values = [np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.1, 1.0]), np.array([0.0, 0.1, 0.2, 0.3])]
    grid, med = median_curve(steps, values)
    np.testing.assert_array_equal(grid, [0, 100, 200, 300])
    np.testing.assert_allclose(med, [0.1, 0.2, 0.3, 0.4])  # the second run stays at 1.0 after step 100


def test_table_shows_every_cell_as_markdown_and_html():
    t = ev.table(["config", "score"], [["LSTM", "0.99 (0.98 to 1, 5 seeds)"], ["RNN <x>", 0.15]])
    assert str(t).splitlines() == [
        "| config | score |",
        "| --- | --- |",
        "| LSTM | 0.99 (0.98 to 1, 5 seeds) |",
        "| RNN <x> | 0.15 |",
    ]
    html = t._repr_html_()
    assert html.count("<tr>") == 3 and "RNN &lt;x&gt;" in html and "<td style='text-align:left'>0.15</td>" in html


def test_table_refuses_a_row_of_the_wrong_length():
    with pytest.raises(ValueError, match="row 1 has 1 cells, but the header has 2"):
        ev.table(["a", "b"], [[1, 2], [3]])


def test_seed_scores_spread_ties_and_show_runs_that_never_reached():
    import matplotlib.pyplot as plt

    from lstmlearn.plots import plot_seed_scores

    ax = plot_seed_scores(
        {"LSTM": [1.0, 1.0, 1.0, 0.9, 1.0], "RNN": [300.0, np.inf, np.inf, 200.0, 100.0]},
        chance={"untrained": 0.0, "forgets the branch": 0.5},
    )
    dots, rnn_dots, rnn_censored = ax.collections
    xs = dots.get_offsets()[:, 0]
    assert len(set(np.round(xs, 6))) == 5  # five seeds, five positions, though four scores are equal
    assert len(rnn_dots.get_offsets()) == 3 and len(rnn_censored.get_offsets()) == 2
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["not reached within the budget", "untrained (0)", "forgets the branch (0.5)"]
    plt.close(ax.figure)


def test_runs_that_never_reached_the_target_are_drawn_above_the_budget():
    import matplotlib.pyplot as plt

    from lstmlearn.plots import plot_seed_scores

    ax = plot_seed_scores({"LSTM": [350, 600, 1500], "RNN": [np.inf, np.inf, 900]}, log=True, budget=20_000)
    censored = ax.collections[-1].get_offsets()[:, 1]
    assert len(censored) == 2 and (censored > 20_000).all()  # not below the budget, where a finite run could be
    assert "budget (20,000)" in ax.get_legend_handles_labels()[1]
    assert ax.get_ylim()[1] > censored.max()
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="budget"):
        plot_seed_scores({"LSTM": [350, 600, 1500]}, budget=1000)  # a run took longer than the budget
    plt.close("all")


def test_seed_curves_draw_every_seed_and_the_median():
    import matplotlib.pyplot as plt

    from lstmlearn.plots import plot_seed_curves

    steps = [np.array([0, 100, 200]), np.array([0, 100])]
    ax = plot_seed_curves(steps, [np.array([0.1, 0.5, 1.0]), np.array([0.2, 1.0])], label="LSTM", chance=0.25)
    assert len(ax.lines) == 4  # two seeds, the median, the chance line
    assert ax.get_legend_handles_labels()[1] == ["LSTM: median of 2 seeds", "chance (0.25)"]
    plt.close(ax.figure)


def test_tally_says_every_only_when_every_comparison_is_better():
    clear = ev.compare([1, 2, 3, 4, 5], [6, 7, 8, 9, 10], ("fast", "slow"), higher_is_better=False)
    also = ev.compare([0.9] * 5, [0.1, 0.2, 0.3, 0.4, 0.5], ("good", "bad"))
    tied = ev.compare([np.inf] * 5, [np.inf] * 5, ("stuck", "rnn"), higher_is_better=False)
    lost = ev.compare([0.1] * 5, [0.9] * 5, ("weak", "rnn"))
    assert ev.tally([clear, also]).every_better
    assert ev.tally([clear, also]).sentence("faster") == "faster in every one of the 2 comparisons"
    t = ev.tally([clear, tied, lost, also])
    assert not t.every_better and (len(t.better), len(t.undecided), len(t.worse)) == (2, 1, 1)
    assert t.sentence() == (
        "better in 2 of 4 comparisons; no evidence either way in 1 (stuck against rnn, p = 1); "
        f"worse in 1 (weak against rnn, p = {lost.p:.2g})"
    )
    few = ev.compare([1, 2], [3, 4], ("a", "b"))
    assert ev.tally([few]).undecided == (few,)  # too few seeds is never "better"


def test_tally_rejects_what_is_not_a_comparison():
    with pytest.raises(TypeError, match=r"comparisons\[1\] is a float"):
        ev.tally([ev.compare([1] * 5, [2] * 5), 0.3])
    with pytest.raises(ValueError, match="no comparisons"):
        ev.tally([]).sentence()
