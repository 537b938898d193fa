# %% [markdown]
# # 07 · Learning long time lags
#
# | This notebook | in short |
# |---|---|
# | **You will be able to** | state the classic long-lag tasks exactly (adding problem, copy task, remember, embedded Reber grammar, temporal order) with their chance baselines; compare an RNN and an LSTM over several seeds with one stated standard of evidence; say which tasks separate them and which do not; set our numbers beside the 1997 paper's; open a trained LSTM and test an interpretation against an untrained control |
# | **Expected time** | 60 minutes (the live training takes about half a minute) |
# | **Prerequisites** | [04 · The cell state](04_cell_state.ipynb), [06 · Backpropagation through an LSTM](06_backprop_through_lstm.ipynb) |

# %%
import json

import matplotlib.pyplot as plt
import numpy as np

import lstmlearn as ll
from lstmlearn import tasks
from lstmlearn.evidence import compare, summary, table
from lstmlearn.plots import plot_seed_curves, plot_seed_scores
from lstmlearn.tasks import adding_baseline, adding_problem, adding_task, copy_baseline, load_batch

RESULTS = ll.data_dir() / "results"  # the course's data/ folder, wherever this notebook is
EVAL = ll.data_dir() / "eval"
LSTM_COLOR, RNN_COLOR = "#0072B2", "#D55E00"

# %% [markdown]
# The course has claimed since notebook 02 that an LSTM can learn dependencies across long time
# lags where a vanilla RNN cannot. This notebook tests the claim on tasks Hochreiter and Schmidhuber
# designed for it in 1997, and on the copy task of Arjovsky, Shah and Bengio (2016). It also tests
# *how* we test: one training run is an anecdote, so every comparison here runs five seeds per
# network and is read with one rule, stated in section 3.
#
# ## 1. The adding problem (Hochreiter & Schmidhuber 1997, experiment 4)
#
# Each step $t$ of a sequence is a pair $x_t = (\text{value}_t, \text{marker}_t)$:
#
# * the values are random, uniform in $[-1, 1]$;
# * exactly **two** steps carry marker 1: one among the first 10 steps (its value is $X_1$), one
#   among the first $T/2 - 1$ steps ($X_2$); the first and last steps carry marker $-1$, all other
#   steps marker 0 (if a marked step is the very first one, it carries marker 1 and its value is set
#   to 0, so it adds nothing);
# * the length is random, between $T$ and $T + T/10$;
# * after the last step the network must output $y = 0.5 + (X_1 + X_2)/4$, and a sequence counts as
#   **correct** when the absolute error is below $0.04$.
#
# Everything between the marked steps and the end (at least $T/2$ steps) is noise. To succeed, a
# network must notice the two marked values, keep their sum for dozens of steps, and ignore
# everything else. Here is one sequence with $T = 50$:

# %%
batch = adding_problem(np.random.default_rng(0), batch_size=1, T=50)
n = int(batch.lengths[0])
values, markers = batch.X[:n, 0, 0], batch.X[:n, 0, 1]
marked = np.flatnonzero(markers == 1)
fig, ax = plt.subplots(figsize=(8, 2.8))
ax.bar(np.arange(1, n + 1), values, color="0.75", label="value")
ax.bar(marked + 1, values[marked], color="#D55E00", label="marked values $X_1, X_2$")
for m in marked:
    ax.annotate(
        f"{values[m]:+.2f}",
        (m + 1, values[m]),
        ha="center",
        fontsize=8,
        color="#D55E00",
        xytext=(0, 4 if values[m] > 0 else -11),
        textcoords="offset points",
    )
ends = np.flatnonzero(markers == -1)
ax.scatter(ends + 1, np.zeros(len(ends)), marker="|", s=300, color="k", label="marker $-1$")
ax.set(
    xlabel="step $t$",
    ylabel="value",
    ylim=(-1.15, 1.15),
    title=f"One adding-problem sequence: target y = 0.5 + ({values[marked[0]]:.2f} + ({values[marked[1]]:.2f}))/4 "
    f"= {batch.Y[0, 0]:.3f}",
)
ax.legend(fontsize=8, ncol=3, loc="lower right")
ll.plots.show(
    fig,
    alt=f"One adding-problem sequence of {n} steps: the values as grey bars, the two marked values "
    f"{values[marked[0]]:+.2f} (step {marked[0] + 1}) and {values[marked[1]]:+.2f} (step {marked[1] + 1}) "
    f"highlighted, the marker -1 at steps {' and '.join(str(e + 1) for e in ends)}; the target is y = {batch.Y[0, 0]:.3f}.",
)

# %% [markdown]
# ### Exercise 1: the target
#
# Given the `values` and `markers` of one sequence (1-D arrays of the same length), return its target.


# %% tags=["exercise"]
def adding_target(values, markers):
    """0.5 + (X1 + X2) / 4, where X1, X2 are the values at the two steps with marker 1."""
    raise NotImplementedError  # your code here


ll.exercises.check("adding_target", adding_target)


# %% tags=["solution"]
def adding_target_solution(values, markers):
    return 0.5 + values[markers == 1].sum() / 4


ll.exercises.check("adding_target", adding_target_solution)

# %% [markdown]
# ### What does chance look like?
#
# A network that learned nothing about the markers can do no better than output the mean target,
# $0.5$. Its squared error is then the variance of $(X_1 + X_2)/4$, which is
# $\tfrac{2}{3}/16 = 1/24 \approx 0.0417$, and it is "correct" whenever $|X_1 + X_2| < 0.16$, which
# happens on about **15.4 %** of sequences by luck alone. (Under the 1997 rule that zeroes a marked
# first step, the exact values differ slightly: the error is lower and the fraction correct higher
# (`adding_baseline` computes them). On the 1000
# sequences of the fixed evaluation set, the measured values differ from them by sampling noise.)
# A model is only interesting once it is far below that error and far above that percentage.

# %% tags=["nbval-check-output"]
eval_50 = load_batch(EVAL / "adding_T50.npz")  # 1000 fixed sequences, data/README.md says how they were made
always_half = np.full_like(eval_50.Y, 0.5)
table(
    ["predictor", "MSE", "fraction correct"],
    [
        ["always 0.5, exact (T = 50)", f"{adding_baseline(50)['loss']:.4f}", f"{adding_baseline(50)['score']:.1%}"],
        [
            "always 0.5, on the evaluation set",
            f"{np.mean((always_half - eval_50.Y) ** 2):.4f}",
            f"{np.mean(np.abs(always_half - eval_50.Y) < 0.04):.1%}",
        ],
        ["1/24, for comparison", f"{1 / 24:.4f}", ""],
    ],
)

# %% [markdown]
# ## 2. RNN against LSTM, trained here
#
# Two networks with $H = 32$ units, the same readout (a linear layer on the last hidden state),
# the same optimiser (Adam, learning rate $10^{-2}$), gradient clipping at norm 1, batches of 64 fresh
# random sequences, and the same seeds. The LSTM starts with forget bias 3 (notebook 09 shows why).
# Each trains until it gets 95 % of the 1000 fixed sequences right, or for at most 2,000 steps. This
# takes about 10 to 40 seconds.

# %%
task = adding_task(50)
results = {}
for core in ["lstm", "rnn"]:
    model = task.model(core, hidden_size=32)
    params = ll.init_model(model, np.random.default_rng(0), forget_bias=3.0, dtype=np.float32)
    results[core] = ll.train(
        model,
        params,
        task,
        ll.Adam(lr=1e-2),
        2000,
        batch_size=64,
        seed=1000,
        clip=1.0,
        eval_set=eval_50,
        eval_every=100,
        target_score=0.95,
        progress=False,
    )
table(
    ["network", "steps", "fraction correct on the evaluation set"],
    [[core.upper(), len(r.history.step), f"{r.history.score[-1]:.1%}"] for core, r in results.items()],
)

# %%
fig, axes = plt.subplots(2, 3, figsize=(11, 6), layout="constrained")
ll.plots.plot_history(results["lstm"].history, ax=axes[0])
ll.plots.plot_history(results["rnn"].history, ax=axes[1])
axes[0, 0].set_title("LSTM: loss")
axes[1, 0].set_title("RNN: loss")
for a in axes[:, 2]:
    a.set_ylim(0, 1)
fig.suptitle("Adding problem, T = 50, one seed: LSTM (top) and vanilla RNN (bottom)")
ll.plots.show(
    fig,
    alt="Adding problem, T = 50, one seed: loss, gradient norm and fraction correct against the step, "
    "LSTM on top, vanilla RNN below. "
    + " ".join(
        f"{core.upper()}: {len(r.history.step)} steps, loss from {r.history.loss[0]:.2g} to {r.history.loss[-1]:.2g}, "
        f"{r.history.score[-1]:.1%} correct at the end."
        for core, r in results.items()
    ),
)

# %% [markdown]
# The LSTM's learning curve has the classic shape of long-lag learning: a **plateau** at chance,
# while the network has not yet found the marked values, then a sudden drop once it has. At
# $T = 50$ this seed's plateau is short (about 100 steps); at $T = 100$ (section 3) it lasts
# thousands of steps. The RNN, in 2,000 steps, never leaves the plateau: its loss hovers at the
# baseline, and its "correct" fraction near the 15 % that luck gives.
#
# But this is **one seed**: one draw of initial weights and one stream of training batches. Another
# seed could end differently, for either network. The next section asks the question properly.
#
# ## 3. Five seeds each, and one standard of evidence
#
# Longer experiments run from scripts, not in a notebook: `python benchmarks/records.py --list`
# lists every record in `data/results/` with the command that regenerates it. Each record trains
# **five seeds** per network; seed $s$ draws both the initial weights and the stream of training
# batches, and the LSTM and the RNN run the same seeds. Every run stops when it reaches its target on
# the fixed evaluation set, or when its **step budget** is spent (never at a clock, so a rerun
# anywhere takes the same steps).
#
# Every comparison in the rest of the course is read with one rule (`lstmlearn.evidence`):
#
# 1. report each network's **median and range** over its seeds;
# 2. call a difference real only when an exact two-sided **permutation test** of the rank sum gives
#    $p < 0.05$;
# 3. otherwise say "**no evidence either way**".
#
# A run that never reaches its target gets "steps to target" $= \infty$: it ranks behind every run
# that did. With five seeds against five, the smallest possible $p$ is $2/252 \approx 0.008$: the
# test calls a difference only when (nearly) every seed of one network beats every seed of the other.


# %%
def load(name):
    return json.loads((RESULTS / name).read_text())


def to_target(runs):
    """Steps to the target per seed; np.inf for a run that did not reach it within the budget."""
    return [np.inf if r["steps_to_target"] is None else r["steps_to_target"] for r in runs]


def final(runs, key="eval_score"):
    return [r[key] for r in runs]


def reached(runs):
    return f"{sum(r['steps_to_target'] is not None for r in runs)} of {len(runs)}"


def verdict(c):
    """A comparison's result in a table cell."""
    return f"{c.better} better (p = {c.p:.2g})" if c.real else f"no evidence either way (p = {c.p:.2g})"


def lstm_vs_rnn_rows(label, record):
    """Table rows (LSTM, RNN) of one record, the comparisons in the LSTM's row."""
    lstm, rnn = (record["configs"][k]["runs"] for k in ("lstm", "rnn"))
    steps = compare(to_target(lstm), to_target(rnn), ("LSTM", "RNN"), higher_is_better=False)
    score = compare(final(lstm), final(rnn), ("LSTM", "RNN"))
    rows = []
    for name, runs, s in [("LSTM", lstm, (verdict(steps), verdict(score))), ("RNN", rnn, ("", ""))]:
        rows.append(
            [
                label,
                name,
                reached(runs),
                summary(to_target(runs)).format("{:,.0f}"),
                summary(final(runs)).format("{:.1%}"),
                *s,
            ]
        )
    return rows


HEADER = [
    "task",
    "network",
    "seeds reaching the target",
    "steps to the target: median (range)",
    "final score: median (range)",
    "evidence: steps",
    "evidence: final score",
]
r50, r100 = load("adding_T50.json"), load("adding_T100.json")

# %% tags=["nbval-check-output"]
table(
    HEADER,
    lstm_vs_rnn_rows(f"adding, T = 50 (budget {r50['budget_steps']:,} steps)", r50)
    + lstm_vs_rnn_rows(f"adding, T = 100 (budget {r100['budget_steps']:,} steps)", r100),
)

# %% [markdown]
# The target is 95 % of the 1000 evaluation sequences correct; "final score" is the fraction correct
# when the run stopped (at the target, or at the end of its budget). Each record also keeps every
# seed's learning curve. Here they are for $T = 100$: one thin line per seed, the median thick.

# %%
fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
for key, colour in [("lstm", LSTM_COLOR), ("rnn", RNN_COLOR)]:
    runs = r100["configs"][key]["runs"]
    plot_seed_curves(
        [r["curve"]["eval_step"] for r in runs],
        [r["curve"]["score"] for r in runs],
        ax=ax,
        label=key.upper(),
        color=colour,
        chance=r100["baseline"]["score"] if key == "rnn" else None,
        chance_label="chance: always 0.5",
    )
ax.set(ylabel="fraction correct", title="Adding problem, T = 100, five seeds each (from data/results/adding_T100.json)")
ll.plots.show(
    fig,
    alt="Fraction correct against the step on the adding problem, T = 100, one thin line per seed and the median "
    f"thick, chance at {r100['baseline']['score']:.2f}. Final fractions correct: "
    + "; ".join(
        f"{key.upper()} " + ", ".join(f"{r['curve']['score'][-1]:.2f}" for r in r100["configs"][key]["runs"])
        for key in ("lstm", "rnn")
    )
    + ".",
)

# %% [markdown]
# At $T = 50$ every LSTM seed reaches 95 % within 400 to 900 steps, and no RNN seed leaves chance in
# 10,000 (they end at 12 % to 14 % correct, about what always saying 0.5 scores on this evaluation
# set, 14 %): every LSTM seed
# ranks ahead of every RNN seed, and $p = 0.008$ is the smallest value five seeds against five can give.
#
# At $T = 100$ the plateau is long, and its length varies from seed to seed. Four LSTM seeds sit at
# chance for about 1,600 to 4,700 steps, then go from chance to 95 % within 300 steps; the fifth never
# leaves the plateau within the 10,000-step budget. That seed ties with the RNNs in steps to the
# target, so the test on steps gives $p = 0.048$, only just below 0.05. On the final score that seed
# is at chance level like the RNNs, but it happens to sit a hair above the best RNN (16.2 % against
# 16.1 %), so every LSTM seed still ranks ahead of every RNN seed and the test gives 0.008. A rank
# test sees only the order: here the order of that one seed is luck, and the honest reading of the
# two rows together is that four of five LSTM seeds learned the task at $T = 100$ and no RNN seed did.
# On the adding problem the difference is not one of speed: within these budgets the RNN does not
# learn the task at all.
#
# ## 4. The copy task (Arjovsky, Shah and Bengio 2016)
#
# The input is ten symbols from an alphabet of 8, then $T - 1$ blanks, a delimiter, then 10 more
# blanks; the target is $T + 10$ blanks followed by the ten symbols. The network must reproduce, at
# the end, what it saw at the beginning. A memoryless strategy (predict blanks where they must be,
# guess the symbols at random) has cross-entropy $10 \log 8 / (T + 20)$ per step and recalls 1/8 of
# the symbols.
#
# ### Exercise 2: the copy task's baseline
#
# Return the memoryless baseline, in nats per step, for delay $T$.


# %% tags=["exercise"]
def copy_baseline_by_hand(T):
    """10 log 8 / (T + 20)"""
    raise NotImplementedError  # your code here


ll.exercises.check("copy_baseline", copy_baseline_by_hand)


# %% tags=["solution"]
def copy_baseline_solution(T):
    return 10 * np.log(8) / (T + 20)


ll.exercises.check("copy_baseline", copy_baseline_solution)

# %% [markdown]
# Both networks have $H = 64$ units here (they must hold 30 bits: ten symbols of 3 bits each); the
# target is 99 % of the symbols recalled.

# %% tags=["nbval-check-output"]
rc = load("copy_T20.json")
lstm, rnn = (rc["configs"][k]["runs"] for k in ("lstm", "rnn"))
c_loss = compare(final(lstm, "eval_loss"), final(rnn, "eval_loss"), ("LSTM", "RNN"), higher_is_better=False)
c_score = compare(final(lstm), final(rnn), ("LSTM", "RNN"))
table(
    [
        "network",
        "seeds reaching 99 %",
        "symbols recalled: median (range)",
        "cross-entropy, nats per step: median (range)",
    ],
    [
        [name, reached(runs), summary(final(runs)).format("{:.1%}"), summary(final(runs, "eval_loss")).format("{:.3f}")]
        for name, runs in [("LSTM", lstm), ("RNN", rnn)]
    ]
    + [
        ["memoryless baseline", "", f"{1 / 8:.1%}", f"{copy_baseline(20):.3f}"],
        ["evidence", "", verdict(c_score), verdict(c_loss)],
    ],
)

# %%
fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
for key, colour in [("lstm", LSTM_COLOR), ("rnn", RNN_COLOR)]:
    runs = rc["configs"][key]["runs"]
    plot_seed_curves(
        [r["curve"]["eval_step"] for r in runs],
        [r["curve"]["score"] for r in runs],
        ax=ax,
        label=key.upper(),
        color=colour,
        chance=1 / 8 if key == "rnn" else None,
        chance_label="memoryless: 1/8",
    )
ax.set(
    ylabel="fraction of symbols recalled",
    ylim=(0, 1),
    title=f"Copy task, T = 20, five seeds each, {rc['budget_steps']:,} steps (data/results/copy_T20.json)",
)
ll.plots.show(
    fig,
    alt=f"Fraction of symbols recalled against the step on the copy task, T = 20, one thin line per seed and the "
    f"median thick, the memoryless baseline at {1 / 8:.3f}. Final fractions: "
    + "; ".join(
        f"{key.upper()} " + ", ".join(f"{r['curve']['score'][-1]:.2f}" for r in rc["configs"][key]["runs"])
        for key in ("lstm", "rnn")
    )
    + ".",
)

# %% [markdown]
# Within the 6,000-step budget no seed of either network reached the 99 % target, so on steps to the
# target there is nothing to compare. The final scores still differ clearly: every LSTM seed recalls
# between about 72 % and 86 % of the symbols (median 80 %) and its curve is still rising slowly when
# the budget ends, while every RNN seed sits at the memoryless baseline (about 12 % recalled,
# cross-entropy at the baseline's 0.520), so the LSTM is better on recall and on cross-entropy with
# $p = 0.008$. But the LSTM's solution is **partial**: about four symbols in five, not all ten. The
# copy task asks the cells to hold 30 bits exactly, each symbol for 30 steps; the adding problem asks for one
# number, roughly.
#
# ## 5. Three more tasks
#
# Three more tasks with a lag, each trained with the same recipe ($H = 32$, Adam $10^{-2}$, batches
# of 64, clipping at 1, LSTM forget bias 3) for five seeds per network. First what each task asks.
#
# **Remember the first symbol** (this course's smallest long-lag task). The first input is one of
# 4 symbols; then come 50 distractors drawn at random from 4 other symbols; after the last one the
# network must name the first symbol. Chance: 1/4.
#
# **The embedded Reber grammar** (1997, experiment 1). Strings such as `BTBPVVETE` are generated by a
# small automaton (`lstmlearn/tasks/reber.py` draws it); the network reads a string one symbol at a
# time and predicts the next one. A string counts as correct when, at every step, the symbols the
# network ranks highest are exactly those the grammar allows next. The long-range part: the second
# symbol (T or P) must be repeated as the second-to-last, after an inner string of 5 or more symbols.
# Two reference levels, and they differ a lot:
#
# * a model that has learned the inner grammar perfectly but **forgets the branch** guesses the
#   second-to-last symbol and gets half of the strings right;
# * an **untrained** network gets none right, because it has not even learned the inner grammar.
#
# The first is computed here on the evaluation strings, by a predictor that ranks exactly the
# allowed symbols first everywhere except at the second-to-last step, where it always says T; the
# second is the score each network of the record had at step 0, before any training:

# %% tags=["nbval-check-output"]
reber_eval = load_batch(EVAL / "reber.npz")
forgets_branch = reber_eval.info["allowed"].astype(float)  # (L, B, 7): the allowed symbols score 1
second_to_last = reber_eval.info["n"] - 2
columns = np.arange(len(second_to_last))
forgets_branch[second_to_last, columns] = np.eye(7)["BTPSXVE".index("T")]  # always guess T there
forgets_branch_score = tasks.reber_strings_correct(forgets_branch, reber_eval)
quick = load("quick_tasks.json")
untrained_reber = [r["curve"]["score"][0] for cfg in quick["tasks"]["reber"]["configs"].values() for r in cfg["runs"]]
table(
    ["reference level on the 1000 evaluation strings", "fraction of strings correct"],
    [
        ["knows the inner grammar, forgets the branch (always guesses T)", f"{forgets_branch_score:.1%}"],
        [
            "untrained networks (the 10 networks below before training: median, range)",
            summary(untrained_reber).format("{:.1%}"),
        ],
    ],
)

# %% [markdown]
# **Temporal order** (1997, task 6a). Sequences of length 100 to 110 start with $E$ and end with $B$;
# in between are random symbols from $\{a, b, c, d\}$, except that an $X$ or a $Y$ appears at one
# step $t_1 \in [10, 20]$ and again at one step $t_2 \in [50, 60]$. The network must classify the
# sequence by the order of the two: $XX$, $XY$, $YX$ or $YY$. Chance: 1/4. The two relevant symbols
# are 30 to 50 steps apart, and the second is 40 to 60 steps before the end.
#
# The five seeds of each network on the three tasks, from `data/results/quick_tasks.json`:

# %% tags=["nbval-check-output"]
QUICK = [("remember_lag50", "remember, lag 50"), ("reber", "embedded Reber"), ("temporal_order", "temporal order 6a")]
rows = []
for key, label in QUICK:
    t = quick["tasks"][key]
    rows += lstm_vs_rnn_rows(f"{label} (target {t['target_score']:.0%}, budget {t['budget_steps']:,})", t)
table(HEADER, rows)

# %%
CHANCE = {
    "remember_lag50": {"chance": 0.25},
    "temporal_order": {"chance": 0.25},
    "reber": {
        "untrained networks (median)": float(np.median(untrained_reber)),
        "knows the inner grammar, forgets the branch": forgets_branch_score,
    },
}
fig, axes = plt.subplots(2, 3, figsize=(11, 6.6), layout="constrained")
for (top, bottom), (key, label) in zip(axes.T, QUICK):
    t = quick["tasks"][key]
    colors = {"LSTM": LSTM_COLOR, "RNN": RNN_COLOR}
    plot_seed_scores(
        {name.upper(): to_target(t["configs"][name]["runs"]) for name in ("lstm", "rnn")},
        ax=top,
        colors=colors,
        ylabel="steps to the target",
        log=True,
        budget=t["budget_steps"],
    )
    top.legend(fontsize=7, loc="upper left")
    top.set_title(f"{label}: steps to {t['target_score']:.0%}", fontsize=10)
    plot_seed_scores(
        {name.upper(): final(t["configs"][name]["runs"]) for name in ("lstm", "rnn")},
        ax=bottom,
        colors=colors,
        ylabel=t["score_name"],
        chance=CHANCE[key],
    )
    bottom.set_ylim(-0.05, 1.05)
    bottom.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0.02, 0.08))  # clear of the dots and lines
    bottom.set_title(f"{label}: final score", fontsize=10)
fig.suptitle("LSTM and RNN, five seeds each: one dot per seed, bar: median")
ll.plots.show(
    fig,
    alt="LSTM and RNN, five seeds each, one dot per seed and a bar at the median: steps to the target (top, "
    "log scale) and final score (bottom) on three tasks. "
    + " ".join(
        f"{label}: median final score LSTM {np.median(final(quick['tasks'][key]['configs']['lstm']['runs'])):.3f}, "
        f"RNN {np.median(final(quick['tasks'][key]['configs']['rnn']['runs'])):.3f}; seeds at the target LSTM "
        f"{reached(quick['tasks'][key]['configs']['lstm']['runs'])}, RNN {reached(quick['tasks'][key]['configs']['rnn']['runs'])}."
        for key, label in QUICK
    ),
)

# %% [markdown]
# Which of these tasks separate the LSTM from the RNN?
#
# * **Temporal order: yes.** Every LSTM seed reached 95 % (four of them within 700 steps, one after
#   5,100) and no RNN seed left chance in 10,000 steps (they end at 22 % to 26 %): $p = 0.008$ on
#   steps and on the final score, the strongest result five seeds against five can give.
# * **Remember (lag 50): yes, but the RNN is not simply at chance.** Every LSTM seed reached 99 %
#   within 1,500 steps; no RNN seed reached it in 20,000, so again $p = 0.008$. The RNN's curves
#   (bottom row) show more than the final dots: every RNN seed climbed above chance at some point,
#   three of them to 74 % to 88 %, and then fell back; they end between 27 % and 51 %. The RNN
#   learns part of the task and does not keep it.
# * **The embedded Reber grammar: no.** Both networks solve it with all five seeds within 300 steps.
#   The LSTM's median is lower (100 steps against 250), but the test gives $p = 0.08$ on steps and
#   $p = 0.37$ on the final scores: no evidence either way. The long-range part of this task is
#   short: the branch symbol has to be carried across the inner string, which can be as short as 5
#   symbols. The 1997 paper calls it "not a long
#   time lag problem" for that reason, and includes it as a standard benchmark on which the older
#   methods do not fail completely. Both networks also pass the 50 % of a model that forgets the
#   branch, so both learned the long-range part too.
#
# Together with sections 3 and 4: the **adding problem** separates them at both lengths (every RNN
# seed at chance; at $T = 100$ four of five LSTM seeds solve it), and so does the **copy task** on the
# final score, where the LSTM solves it only partly (80 % of the symbols) and the RNN not at all.
#
# So the claim "an RNN cannot learn long lags" needs its conditions: at these lags, sizes and
# budgets, with this optimiser, this initialisation and these seeds. The initialisation matters:
# Le, Jaitly and Hinton (2015) trained RNNs of ReLU units whose recurrent matrix starts as the
# identity (the IRNN) on the adding problem with lags of hundreds of steps; this course does not
# test that fix, so its RNN results speak for the tanh RNN with the default initialisation only. On the short-lag task we find no evidence of a
# difference; on the long-lag tasks here the RNN did not learn at all (adding, copy, temporal order)
# or learned part of the task and lost it again (remember).
#
# ## 6. The 1997 paper's scoreboard
#
# Hochreiter and Schmidhuber did not report accuracy after a fixed budget. For each experiment they
# report **how many training sequences** the LSTM needed until a success criterion held, measured on
# the training stream itself: for the adding problem, training stops once the average training error
# is below 0.01 and the 2,000 most recent training sequences were all processed correctly. Their LSTM
# had no forget gate, a handful of cells, negative initial input-gate biases on the long-lag tasks
# (their remedy for a cell state that drifts), and plain gradient descent on one sequence at a time.
#
# `benchmarks/run_paper_scoreboard.py` counts the same thing, with the paper's criteria, for two of
# our LSTMs: the **modern** one of this notebook (forget gate, Adam, batches of 64) and one set up as
# close to **1997** as this library goes (no forget gate: the core `lstm-no_forget` of notebook 09;
# the paper's cell counts, initial ranges and gate biases; plain gradient descent; small batches). The
# paper's figures are the mean over its trials; ours are the median and range over five seeds, and a
# run that did not meet the criterion within its budget counts as "more than the budget".

# %% tags=["nbval-check-output"]
board = load("paper_scoreboard.json")
by_task = {}  # task key -> {"modern": row, "1997": row}, in the paper's order
for row in board["rows"]:
    by_task.setdefault(row["key"], {})[row["config"]] = row


def sequences(row):
    """Training sequences until the criterion, per seed; np.inf where the budget ran out first."""
    return [np.inf if v is None else v for v in row["seeds"]]


def per_seed(row):
    return ", ".join(f"> {row['budget_sequences']:,}" if v is None else f"{v:,}" for v in row["seeds"])


def updates(row):
    """Weight updates until the criterion: median (range); a run sees `batch` sequences per update."""
    batch = row["runs"][0]["sequences_seen"] // row["runs"][0]["steps"]
    steps = [np.inf if r["sequences"] is None else r["steps"] for r in row["runs"]]
    text = summary(steps).format("{:,.0f}").replace("not reached", f"> {row['budget_sequences'] // batch:,}")
    return f"{batch} per update: {text}"


table(
    [
        "task",
        "the paper's criterion",
        "the paper: training sequences",
        "ours",
        "training sequences: median (range)",
        "per seed (0 to 4)",
        "weight updates",
        "setting",
    ],
    [
        [
            rows[cfg]["task"] if cfg == "modern" else "",
            rows[cfg]["criterion"] if cfg == "modern" else "",
            f"{rows[cfg]['paper']['value']:,} ({rows[cfg]['paper']['statistic']})" if cfg == "modern" else "",
            f"{cfg} LSTM",
            rows[cfg]["ours_text"],
            per_seed(rows[cfg]),
            updates(rows[cfg]),
            rows[cfg]["setting"],
        ]
        for rows in by_task.values()
        for cfg in ("modern", "1997")
    ],
)

# %% [markdown]
# The same counts as a picture, and the two configurations compared under the standard of section 3
# (fewer sequences is better; a run that ran out of budget ranks behind every run that did not):

# %%
fig, axes = plt.subplots(1, len(by_task), figsize=(11, 3.6), layout="constrained")
for ax, (key, rows) in zip(axes, by_task.items()):
    plot_seed_scores(
        {cfg: sequences(rows[cfg]) for cfg in ("modern", "1997")},
        ax=ax,
        colors={"modern": LSTM_COLOR, "1997": "#009E73"},
        ylabel="training sequences until success",
        log=True,
    )
    finite = [v for cfg in ("modern", "1997") for v in sequences(rows[cfg]) if np.isfinite(v)]
    ax.set_ylim(bottom=min([rows["modern"]["paper"]["value"], *finite]) / 1.5)  # the paper's line in view
    ax.axhline(
        rows["modern"]["paper"]["value"],
        color="k",
        lw=1.2,
        ls="-",
        label=f"paper: {rows['modern']['paper']['value']:,} (mean)",
    )
    ax.legend(fontsize=7, loc="lower right")
    budgets = ", ".join(f"{cfg} {rows[cfg]['budget_sequences']:,}" for cfg in ("modern", "1997"))
    ax.set_title(f"{rows['modern']['task']}\nbudgets: {budgets}", fontsize=9)
fig.suptitle("Training sequences until the 1997 criterion held, one dot per seed (triangle: not within the budget)")
ll.plots.show(
    fig,
    alt="Training sequences until the 1997 criterion held, one dot per seed (log scale), for the modern and the "
    "1997 configuration, with the paper's mean as a line. "
    + " ".join(
        f"{rows['modern']['task']}: paper {rows['modern']['paper']['value']:,}; median "
        + ", ".join(
            f"{cfg} {m:,.0f}" if np.isfinite(m) else f"{cfg} beyond the budget of {rows[cfg]['budget_sequences']:,}"
            for cfg, m in ((cfg, np.median(sequences(rows[cfg]))) for cfg in ("modern", "1997"))
        )
        + "."
        for rows in by_task.values()
    ),
)

# %% tags=["nbval-check-output"]
table(
    ["task", "evidence: modern against 1997-style"],
    [
        [
            rows["modern"]["task"],
            compare(
                sequences(rows["modern"]),
                sequences(rows["1997"]),
                ("modern", "1997-style"),
                higher_is_better=False,
                fmt="{:,.0f}",
            ).verdict,
        ]
        for rows in by_task.values()
    ],
)

# %% [markdown]
# **Where we need more sequences than the paper, where fewer, and why.** Counted in training
# sequences, the modern LSTM needs more than the paper's mean on the adding problem (the four seeds
# that met the criterion took 141,120 to 330,240 sequences against 74,000; the fifth had not met it
# after 640,000) and on temporal order in three of the four seeds that met it (28,224 to 48,896
# against 31,390), and about as many on the Reber grammar (median 7,808 against 8,440). Counted in
# weight updates it needs far fewer: it averages the gradient over a batch of 64 sequences before
# each update, where the paper updated after every sequence, so its 2,205 to 5,160 updates on the
# adding problem stand against the paper's 74,000. A batch buys a less noisy step with 64 sequences;
# the paper's one-sequence steps use each sequence for a step of its own. The 1997-style LSTM, closer
# to the paper, needed fewer sequences than the modern one on temporal order (22,300 to 30,384, all
# five below the paper's mean, with batches of 4; $p = 0.03$ against the modern LSTM) and, with one
# sequence at a time as in the paper, 3,584 to 7,360 on the Reber grammar (no evidence of a difference
# from the modern LSTM). On the adding problem it did not meet the criterion in any of the five seeds
# within 400,000 sequences, more than five times the paper's mean. Yet it learned the task: the share of correct
# sequences in its running window of 2,000 passed 90 % after 132,000 to 176,000 sequences and 99 %
# after 248,000 to 320,000 (`runs[k]["curve"]` in the record, a point every 4,000 sequences). What it
# never did is get *every* one of 2,000 consecutive sequences within 0.04: the best recorded window
# of any seed still held 3 misses (99.85 %), and the criterion, checked after every sequence, never
# held. It differs from
# the paper in more than the batch: a learning rate of 0.25 instead of 0.5, gates per cell instead of
# per block of two cells, tanh squashing, a linear readout, and the full gradient through time where
# the paper truncates it (the setting column lists them). These runs do not tell which of those
# differences is responsible; until that is tested, the paper's 74,000 is a number we have not
# reproduced with a 1997-style network, and the modern recipe reaches the criterion at a higher cost
# in sequences.
#
# **Why three 1997-style Reber seeds stop at exactly 5,632.** The Reber criterion is checked every
# 64 training sequences, so every count is a multiple of 64 (5,632 = 88 x 64), and near the end of
# learning the criterion flickers: one string more or less right on one check or the next. Three seeds
# happen to meet it first at the same check. Checked every 8 sequences instead (`python
# benchmarks/records.py --only paper_scoreboard_reber_check8`), they stop at different counts. (The
# modern LSTM's counts do not change: it trains on batches of 64, so its parameters change only every
# 64 sequences anyway.) The seeds share nothing else: their weights, strings and draws differ.

# %% tags=["nbval-check-output"]
check8 = json.loads((RESULTS / "paper_scoreboard_reber_check8.json").read_text())
table(
    ["configuration", "sequences, checked every 64 (the scoreboard)", "checked every 8"],
    [
        [
            row["config"],
            ", ".join(f"{v:,}" for v in by_task["reber"][row["config"]]["seeds"]),
            ", ".join(f"{v:,}" for v in row["seeds"]),
        ]
        for row in check8["rows"]
    ],
)

# %% [markdown]
#
# ## 7. Open the trained LSTM, and check against a control
#
# How does the LSTM of section 2 solve the adding problem? Run it on 500 evaluation sequences and
# measure, for each of its 32 cells:
#
# * how well its final value $c_T$ tracks the quantity it must deliver, $X_1 + X_2$ (a correlation);
# * how much more its input gate opens at the two marked steps than elsewhere;
# * its average forget value.
#
# Any such search finds *something*: among 32 cells, one will correlate with anything a little by
# chance. So the same measurements run on a **control**: five untrained LSTMs of the same shape,
# seeds 0 to 4. And one trained network is an anecdote, so four more are trained here exactly as in
# section 2, from seeds 1 to 4 (each stops at 95 %; this takes about half a minute): every trained
# network starts from one of the untrained ones. A finding counts only where the five trained
# networks differ from the five untrained ones under the standard of section 3.

# %%
lstm_model = adding_task(50).model("lstm", 32)
B = 500
last = eval_50.lengths[:B] - 1
target_sum = (eval_50.Y[:B, 0] - 0.5) * 4  # X1 + X2
marks = eval_50.X[:, :B, 1] == 1  # (T, B): the two marked steps
inside = np.arange(len(eval_50.X))[:, None] < eval_50.lengths[:B]  # real steps, not padding


def cell_stats(params):
    """Per cell: corr(c_T, X1 + X2), input gate at the marks minus elsewhere, mean f; and the trace."""
    tr = ll.forward(params, eval_50.X[:, :B], lstm_model, lengths=eval_50.lengths[:B]).trace  # (T, B, H) arrays
    c_T = tr.c[last, np.arange(B)]  # (B, H): each sequence's cell state at its own last step
    corr = np.array([np.corrcoef(c_T[:, k], target_sum)[0, 1] for k in range(32)])
    i_contrast = np.array([tr.i[..., k][marks].mean() - tr.i[..., k][inside & ~marks].mean() for k in range(32)])
    f_mean = np.array([tr.f[..., k][inside].mean() for k in range(32)])
    return corr, i_contrast, f_mean, tr


def probe_r2(params):
    """Linear probe: R^2 of X1 + X2 from c_T, fitted on 250 sequences and scored on the other 250."""
    tr = ll.forward(params, eval_50.X[:, :B], lstm_model, lengths=eval_50.lengths[:B]).trace
    C = np.c_[tr.c[last, np.arange(B)], np.ones(B)]  # (B, H + 1)
    w = np.linalg.lstsq(C[:250], target_sum[:250], rcond=None)[0]
    resid = target_sum[250:] - C[250:] @ w
    return 1 - resid.var() / target_sum[250:].var()


corr, i_contrast, f_mean, tr = cell_stats(results["lstm"].params)
unit = int(np.argmax(np.abs(corr) * i_contrast))  # tracks the sum, and writes mainly at the marks
controls = [ll.init_model(lstm_model, np.random.default_rng(s), forget_bias=3.0, dtype=np.float32) for s in range(5)]
control_stats = [cell_stats(p)[:3] for p in controls]  # (corr, i_contrast, f_mean): the traces are not kept
trained = [results["lstm"].params]  # seed 0, section 2
for s in range(1, 5):  # the same recipe, seeds 1 to 4 (initial weights and batch stream)
    trained.append(
        ll.train(
            lstm_model,
            controls[s],
            task,
            ll.Adam(lr=1e-2),
            2000,
            batch_size=64,
            seed=1000 + s,
            clip=1.0,
            eval_set=eval_50,
            eval_every=100,
            target_score=0.95,
            progress=False,
        ).params
    )
trained_stats = [cell_stats(p)[:3] for p in trained]

# %% tags=["nbval-check-output"]
MEASURES = [  # (name, per-network value from (corr, i_contrast, f_mean) and params, format)
    ("cells with |corr(c_T, X1+X2)| > 0.8", lambda st, p: int((np.abs(st[0]) > 0.8).sum()), "{:.0f}"),
    ("largest |corr(c_T, X1+X2)| of a cell", lambda st, p: np.abs(st[0]).max(), "{:.2f}"),
    ("largest input-gate contrast (marked minus other steps)", lambda st, p: st[1].max(), "{:+.2f}"),
    ("best search score |corr| x contrast", lambda st, p: np.max(np.abs(st[0]) * st[1]), "{:.2f}"),
    ("linear probe R² of X1+X2 from c_T (held-out half)", lambda st, p: probe_r2(p), "{:.3f}"),
]
rows = []
for name, value, fmt in MEASURES:
    a = [value(st, p) for st, p in zip(trained_stats, trained)]
    b = [value(st, p) for st, p in zip(control_stats, controls)]
    c = compare(a, b, ("trained", "untrained"))
    rows.append(
        [
            name,
            summary(a).format(fmt),
            summary(b).format(fmt),
            f"{c.better} higher (p = {c.p:.2g})" if c.real else f"no evidence either way (p = {c.p:.2g})",
        ]
    )
table(["measure", "trained, seeds 0-4: median (range)", "untrained, seeds 0-4: median (range)", "evidence"], rows)

# %% [markdown]
# **Ablation: silence the cells the search points to.** In each trained network, silence the $k$
# cells whose final state correlates most with the sum (their $h$ set to 0 for the rest of the
# network: their rows of $W_h$ and of the readout zeroed) and score the network on the 1000
# evaluation sequences. The control silences $k$ cells drawn at random (20 draws per network, the
# median drop). If the top cells carry the sum, silencing them must cost more than silencing any $k$.


# %% tags=["nbval-check-output"]
def silenced(params, cells):
    """A copy of params in which the given cells' h reaches neither the gates nor the readout."""
    out = {k: v.copy() for k, v in params.items()}
    out["W_h"][cells] = 0.0  # (H, 4H): row k carries h_k into every gate of the next step
    out["W_y"][cells] = 0.0  # (H, 1): row k carries h_k into the output
    return out


def fraction_correct(params):
    return float(task.score(params, lstm_model, eval_50)[1])


rows, ablation = [], {}
for k in (1, 4, 8):
    top_drop, random_drop = [], []
    for n, (st, p) in enumerate(zip(trained_stats, trained)):
        full = fraction_correct(p)
        top = np.argsort(-np.abs(st[0]))[:k]
        draws = np.random.default_rng(n).random((20, 32)).argsort(axis=1)[:, :k]  # 20 random sets of k cells
        top_drop.append(full - fraction_correct(silenced(p, top)))
        random_drop.append(np.median([full - fraction_correct(silenced(p, d)) for d in draws]))
    c = compare(top_drop, random_drop, (f"top {k}", f"random {k}"))
    ablation[k] = c
    rows.append(
        [k, summary(top_drop).format("{:.2f}"), summary(random_drop).format("{:.2f}"), c.verdict.split(". ")[-1]]
    )
table(["cells silenced", "drop in fraction correct: top cells", "random cells (median of 20)", "evidence"], rows)

# %% [markdown]
# The ablation does not single the top cells out: silencing the cells the search points to costs
# about as much as silencing as many cells at random (each row's verdict, above). Silencing a few
# cells of any kind costs much of the task, so the sum is spread over many cells, which is what a
# distributed code means; but that the top cells, or their input gates at the marks, are *the*
# mechanism is not shown. What stands is the correlational finding against the untrained control.

# %% [markdown]
# On every measure the five trained networks lie above all five untrained ones ($p = 0.008$, the
# smallest value five against five can give). In each trained network more than a dozen cells end
# with a state that tracks the sum ($|r| > 0.8$), and the input gate of some cell opens at the marks
# far more than elsewhere; in the untrained networks no cell's final state correlates with the sum
# beyond about a third, and no input gate opens at the marks by more than a few hundredths. The
# linear probe shows why a control is needed: even an untrained network keeps a trace of the sum in
# its final cell state (its held-out $R^2$ is well above 0 in some seeds; a forget bias of 3 makes an
# untrained cell forget slowly, and the marked values also enter as ordinary inputs), so
# "$c_T$ contains $X_1 + X_2$" alone would not show that anything was learned. What training adds is
# a near-perfect linear readout of the sum and, *as far as correlations show*, input gates that open
# at the marks. A correlation is not a mechanism; the ablation below tests whether the network needs
# the cells it points to.
#
# The sum does not seem to be kept in one cell alone: many cells correlate with it, and the readout
# combines them (a *distributed* code, if the ablation agrees). The scatter plot shows it: the trained
# cells spread along both axes, the untrained ones crowd near the origin.

# %%
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
for c, i, _ in control_stats:
    ax.scatter(np.abs(c), i, s=14, color="0.7", label="untrained (5 networks)" if c is control_stats[0][0] else None)
sc = ax.scatter(np.abs(corr), i_contrast, c=f_mean, cmap="viridis", vmin=0.8, vmax=1.0, label="trained", zorder=3)
ax.annotate(f"cell {unit}", (abs(corr[unit]), i_contrast[unit]), fontsize=8, xytext=(4, 4), textcoords="offset points")
ax.set(
    xlabel=r"$|$correlation of $c_T$ with $X_1 + X_2|$",
    ylabel="input gate: marked minus other steps",
    title="32 cells of the trained LSTM (section 2) against 5 untrained ones",
)
fig.colorbar(sc, ax=ax, label="mean forget value $f$ (trained cells)")
ax.legend(fontsize=8, loc="upper left")
ll.plots.show(
    fig,
    alt=f"Scatter of the {len(corr)} cells of the trained LSTM, coloured by their mean forget value, and of "
    f"{len(control_stats)} untrained networks' cells in grey: the size of each cell's correlation of c_T with "
    f"X_1 + X_2 against its input gate's contrast (marked minus other steps). Trained cells reach a correlation of "
    f"{np.abs(corr).max():.2f} and a contrast of {i_contrast.max():.2f}; untrained ones "
    f"{max(np.abs(c).max() for c, _, _ in control_stats):.2f} and {max(i.max() for _, i, _ in control_stats):.2f}. "
    f"Cell {unit} is labelled: {abs(corr[unit]):.2f} and {i_contrast[unit]:.2f}.",
)

# %% [markdown]
# Follow the cell the search picked through one sequence: its input gate should open at the two
# marked steps (to write the values in), its forget gate should stay near 1 (to hold what was
# written), and its cell state should step at the marks and then hold.

# %%
b = 0
L = int(eval_50.lengths[b])
marked_steps = np.flatnonzero(eval_50.X[:L, b, 1] == 1)
fig, axes = plt.subplots(3, 1, figsize=(8, 5.5), sharex=True, layout="constrained")
steps = np.arange(1, L + 1)
for ax, name, colour in zip(axes, ["i", "f", "c"], ["#0072B2", "#D55E00", "#E69F00"]):
    ax.plot(steps, getattr(tr, name)[:L, b, unit], color=colour, lw=2)
    for m in marked_steps:
        ax.axvline(m + 1, color="0.5", ls=":", lw=1)
    ax.set_ylabel(f"${name}_t$")
axes[0].set_ylim(0, 1)
axes[1].set_ylim(0, 1.02)
axes[0].set_title(f"Cell {unit} on one sequence; dotted lines: the marked steps")
axes[-1].set_xlabel("step $t$")
ll.plots.show(
    fig,
    alt=f"Cell {unit} over one sequence of {L} steps, dotted lines at the marked steps "
    f"{' and '.join(str(m + 1) for m in marked_steps)}: its input gate i_t is "
    f"{' and '.join(f'{tr.i[m, b, unit]:.2f}' for m in marked_steps)} at the marks and at most "
    f"{np.delete(tr.i[:L, b, unit], marked_steps).max():.2f} elsewhere; its forget gate f_t stays between "
    f"{ll.plots.style.number_text(tr.f[:L, b, unit].min(), 2, within=(0, 1))} and "
    f"{ll.plots.style.number_text(tr.f[:L, b, unit].max(), 2, within=(0, 1))}; its cell state c_t ends at {tr.c[L - 1, b, unit]:.2f}.",
)
i_marks = tr.i[..., unit][marks].mean()
i_other = tr.i[..., unit][inside & ~marks].mean()
table(
    ["cell " + str(unit) + ", over 500 sequences", "mean"],
    [
        ["input gate at the marked steps", f"{i_marks:.2f}"],
        ["input gate at the other steps", f"{i_other:.2f}"],
        ["forget gate, all steps", f"{f_mean[unit]:.3f}"],
        ["correlation of c_T with X1 + X2 across the sequences", f"{corr[unit]:+.2f}"],
    ],
)

# %% [markdown]
# Averaged over 500 sequences, this cell's input gate is about nine times more open at the marked
# steps than at the others, but it is not shut elsewhere: on the sequence above it sits between
# about 0.1 and 0.35 before and between the marks, and near 0.05 after the second mark. The forget
# gate stays near 1 and dips at the marks, where the cell makes room for the new value. After the
# second mark the cell state does not hold still: it drifts back by about half of what the marks
# wrote. The drift is much the same in every sequence (across sequences $c_T$ still correlates with
# $X_1 + X_2$ as the table shows), so the readout, which combines many cells, can allow for it. The
# memory is kept well enough for the task, not perfectly, and not by one cell.
#
# Step through the same sequence with the sequence stepper (choose the unit above with the **unit**
# slider), and compare the heatmaps: most cells do something else, or nothing much.

# %%
stepper = ll.widgets.sequence_stepper(ll.LSTMStep(*(a[:L, b : b + 1] for a in tr)), unit=unit)
stepper

# %% [markdown]
# ## Check your understanding
#
# 1. On the adding problem, a model reaches MSE 0.040 and 16 % correct. Has it learned anything?
# 2. Why do learning curves on long-lag tasks show a long plateau followed by a sudden drop?
# 3. One seed of an LSTM reaches the target and one seed of an RNN does not. What can you conclude?
# 4. In section 7, why should the input gate be mostly closed at the unmarked steps, and why compare with
#    untrained networks at all?
#
# <details><summary>Answers</summary>
#
# 1. Nothing useful: that is the chance level of always predicting 0.5 (about 0.039 to 0.042 and 15 %).
# 2. Until the network finds, by small random correlations, that the marked values matter, the
#    gradient that would teach it to store them is tiny (it must travel back over the lag); once a
#    cell starts to store them, the gradient grows and learning accelerates.
# 3. Nothing general: another seed could do the opposite. With five seeds each, the permutation test
#    can give $p \approx 0.008$ when every LSTM seed beats every RNN seed; with one each it cannot.
# 4. Any value written at an unmarked step would be added to the sum the cell is holding, and the
#    forget gate near 1 would keep that error until the end. The control shows how large the
#    measured quantities get by chance in a network that has learned nothing; a cell "explains" the
#    solution only where it is far outside that range.
#
# </details>
#
# ## Key points
#
# * **The tasks and their chance levels.** Adding problem: always answering 0.5 gives MSE about 0.039
#   and 15 % correct. Copy task ($T = 20$): the memoryless strategy pays 0.520 nats per step and
#   recalls 1/8 of the symbols. Remember and temporal order: 1/4. Embedded Reber grammar: two
#   reference levels, 0 for an untrained network and about 50 % for a model that knows the inner
#   grammar and forgets the branch.
# * **One seed is an anecdote.** Every comparison runs five seeds per network and is read with one
#   rule: median and range, an exact permutation test of the rank sum, a difference only at
#   $p < 0.05$, otherwise "no evidence either way".
# * **Which tasks separate the LSTM from the RNN here.** The adding problem ($T = 50$: 5 of 5 LSTM
#   seeds reach the target, 0 of 5 RNN seeds; $T = 100$: 4 of 5 against 0 of 5), temporal order (5
#   against 0), remember after 50 steps (5 against 0, although the RNN climbs above chance before it
#   falls back) and, on the final recall, the copy task, where the LSTM's solution is partial (72 % to
#   86 % of the symbols) and the RNN stays at the memoryless 1/8. The embedded Reber grammar does not
#   separate them: its lags are short, both networks solve it, and there is no evidence either way.
# * **The 1997 scoreboard, counted the paper's way.** A 1997-style LSTM (no forget gate, plain
#   gradient descent, the paper's biases) needed 3,584 to 7,360 sequences on the embedded Reber
#   grammar (paper: 8,440) and 22,300 to 30,384 on temporal order (paper: 31,390); on the adding
#   problem it reached 99 % of its running window but never the paper's 2,000 without a miss within
#   400,000 sequences (paper: 74,000), and we cannot yet say which of our differences from the paper
#   causes that. The modern LSTM needs more sequences than the paper (141,120 to 330,240 on the
#   adding problem for four seeds of five) but far fewer weight updates, one per 64 sequences.
# * **Interpretations need a control.** Five trained LSTMs against five untrained ones: after
#   training, input gates open more at the marked steps and many cells correlate with the sum; an
#   untrained network's final cell state already holds some of the sum, so "$c_T$ contains
#   $X_1 + X_2$" alone shows nothing. Correlation is not mechanism: silencing the top cells costs no
#   more than silencing random ones (no evidence either way), so the sum is spread over many cells.
#
# **Next:** [08 · A character-level language model](08_char_language_model.ipynb)
