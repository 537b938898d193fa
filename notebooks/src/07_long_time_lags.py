# %% [markdown]
# # 07 · Learning long time lags
#
# | | |
# |---|---|
# | **You will be able to** | state the classic long-lag tasks exactly (adding problem, copy task, temporal order) with their chance baselines; train an RNN and an LSTM on them and read the learning curves; open a trained LSTM and find the gates and the cell that solve the task |
# | **Expected time** | 50 minutes (the live training takes about half a minute) |
# | **Prerequisites** | [04 · The cell state](04_cell_state.ipynb), [06 · Backpropagation through an LSTM](06_backprop_through_lstm.ipynb) |

# %%
import json

import matplotlib.pyplot as plt
import numpy as np

import lstmlearn as ll
from lstmlearn.tasks import adding_baseline, adding_problem, adding_task, copy_baseline, load_batch

RESULTS = ll.data_dir() / "results"  # the course's data/ folder, wherever this notebook is
EVAL = ll.data_dir() / "eval"

# %% [markdown]
# The course has claimed since notebook 02 that an LSTM can learn dependencies across long time
# lags where a vanilla RNN cannot. This notebook tests the claim on the tasks Hochreiter and
# Schmidhuber designed for it in 1997, and on the copy task of Arjovsky, Shah and Bengio (2016).
#
# ## 1. The adding problem (Hochreiter & Schmidhuber 1997, experiment 4)
#
# Each step $t$ of a sequence is a pair $x_t = (\text{value}_t, \text{marker}_t)$:
#
# * the values are random, uniform in $[-1, 1]$;
# * exactly **two** steps carry marker 1: one among the first 10 steps (its value is $X_1$), one
#   among the first $T/2 - 1$ steps ($X_2$); the first and last steps carry marker $-1$, all other
#   steps marker 0 (and if a marked step is the very first one, its value is set to 0);
# * the length is random, between $T$ and $T + T/10$;
# * after the last step the network must output $y = 0.5 + (X_1 + X_2)/4$, and a sequence counts as
#   **correct** when the absolute error is below $0.04$.
#
# Everything between the marked steps and the end (at least $T/2$ steps) is noise. To succeed, a
# network must notice the two marked values, keep their sum for dozens of steps, and ignore
# everything else. Here is one sequence with $T = 50$:

# %%
batch = adding_problem(np.random.default_rng(4), batch_size=1, T=50)
n = int(batch.lengths[0])
values, markers = batch.X[:n, 0, 0], batch.X[:n, 0, 1]
fig, ax = plt.subplots(figsize=(8, 2.8))
ax.bar(np.arange(1, n + 1), values, color="0.75", label="value")
marked = np.flatnonzero(markers == 1)
ax.bar(marked + 1, values[marked], color="#D55E00", label="marked values $X_1, X_2$")
ends = np.flatnonzero(markers == -1)
ax.scatter(ends + 1, np.zeros(len(ends)), marker="|", s=300, color="k", label="marker $-1$")
ax.set(xlabel="step $t$", ylabel="value", title=f"One adding-problem sequence: target y = {batch.Y[0, 0]:.3f}")
ax.legend(fontsize=8, ncol=3, loc="lower right")
plt.show()

# %% [markdown]
# ### Exercise 1: the target
#
# Given the `values` and `markers` of one sequence (1-D arrays of the same length), return its target.

# %% tags=["exercise"]
def adding_target(values, markers):
    """0.5 + (X1 + X2) / 4, where X1, X2 are the values at the two steps with marker 1."""
    raise NotImplementedError  # your code here


ll.exercises.check("adding_target", adding_target)

# %% [markdown]
# **Solution** (open after trying)

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
# first step, the exact values are slightly lower; `adding_baseline` computes them. On the 1000
# sequences of the fixed evaluation set, the measured values differ from them by sampling noise.) A model is only interesting once it is far below that
# error and far above that percentage.

# %%
# NBVAL_CHECK_OUTPUT
eval_50 = load_batch(EVAL / "adding_T50.npz")  # 1000 fixed sequences, data/README.md says how they were made
always_half = np.full_like(eval_50.Y, 0.5)
print(f"exact baseline for T = 50:       MSE {adding_baseline(50)['loss']:.4f}, "
      f"correct {adding_baseline(50)['score']:.1%}   (1/24 = {1 / 24:.4f})")
print(f"always 0.5 on the evaluation set: MSE {np.mean((always_half - eval_50.Y) ** 2):.4f}, "
      f"correct {np.mean(np.abs(always_half - eval_50.Y) < 0.04):.1%}")

# %% [markdown]
# ## 2. RNN against LSTM, trained here
#
# Two networks with $H = 32$ units, the same readout (a linear layer on the last hidden state),
# the same optimiser (Adam, learning rate $10^{-2}$), gradient clipping at norm 1, batches of 64 fresh
# random sequences, and the same seeds. The LSTM starts with forget bias 3 (notebook 09 shows why).
# It trains until it gets 95 % of the 1000 fixed sequences right; then the RNN gets exactly as many
# steps. This takes about 10 to 30 seconds on a laptop.

# %%
task = adding_task(50)
results = {}
for core in ["lstm", "rnn"]:
    model = task.model(core, hidden_size=32)
    params = ll.init_model(model, np.random.default_rng(0), forget_bias=3.0, dtype=np.float32)
    steps = 2000 if core == "lstm" else len(results["lstm"].history.step)
    results[core] = ll.train(model, params, task, ll.Adam(lr=1e-2), steps, batch_size=64, seed=1, clip=1.0,
                             eval_set=eval_50, eval_every=100, target_score=0.95 if core == "lstm" else None)
    h = results[core].history
    print(f"{core.upper():>4}: {len(h.step)} steps in {h.time[-1]:.1f} s, correct on the evaluation set: {h.score[-1]:.1%}")

# %%
fig = ll.plots.plot_history(results["lstm"].history)
fig.suptitle("LSTM on the adding problem, T = 50")
plt.show()
fig = ll.plots.plot_history(results["rnn"].history)
fig.suptitle("Vanilla RNN, the same number of steps")
plt.show()

# %% [markdown]
# The LSTM's learning curve has the classic shape of long-lag learning: a **plateau** at chance,
# while the network has not yet found the marked values, then a sudden drop once it has. The RNN
# stays on the plateau: its loss hovers at the baseline, and its "correct" fraction at the 15 % that
# luck gives.
#
# ## 3. Longer runs, from the results files
#
# Longer experiments run from scripts, not in a notebook; their records are in `data/results/`, with
# the command that made each one. Here are the adding problem at $T = 50$ with the RNN given the
# LSTM's whole 90-second budget, at $T = 100$, and the copy task below.

# %%
# NBVAL_CHECK_OUTPUT
def load(name):
    return json.loads((RESULTS / name).read_text())


for name in ["adding_T50.json", "adding_T100.json"]:
    r = load(name)
    print(f"{r['task']}   ({r['command']})")
    for key in ["lstm", "rnn", "rnn_full_budget"]:
        if key in r:
            run = r[key]
            print(f"   {key:<16} {run['steps']:>6} steps, {run['wall_seconds']:>6.1f} s: correct {run['eval_score']:.1%},"
                  f" MSE {run['eval_loss']:.4f}")

# %%
r100 = load("adding_T100.json")
fig, ax = plt.subplots(figsize=(7, 3.2))
for key, colour in [("lstm", "#0072B2"), ("rnn", "#D55E00")]:
    h = r100[key]["history"]
    ax.plot(h["eval_step"], h["score"], color=colour, lw=2, label=key.upper())
ax.axhline(r100["baseline"]["score"], color="0.4", ls="--", lw=1, label="chance")
ax.set(xlabel="training step", ylabel="fraction correct", title="Adding problem, T = 100 (from data/results)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# At $T = 100$ the plateau is long: the LSTM sits at chance for thousands of steps before it finds
# the marked values; then it learns the task within a few hundred steps. The RNN, given the same
# steps, never leaves chance.
#
# ## 4. Two more classic tasks
#
# **The copy task** (Arjovsky, Shah and Bengio 2016). The input is ten symbols from an alphabet of 8,
# then $T - 1$ blanks, a delimiter, then 10 more blanks; the target is $T + 10$ blanks followed by
# the ten symbols. The network must reproduce, at the end, what it saw at the beginning. A
# memoryless strategy (predict blanks where they must be, guess the symbols at random) has
# cross-entropy $10 \log 8 / (T + 20)$ per step.
#
# ### Exercise 2: the copy task's baseline
#
# Return the memoryless baseline, in nats per step, for delay $T$.

# %% tags=["exercise"]
def copy_baseline_by_hand(T):
    """10 log 8 / (T + 20)"""
    raise NotImplementedError  # your code here


ll.exercises.check("copy_baseline", copy_baseline_by_hand)

# %% [markdown]
# **Solution** (open after trying)

# %% tags=["solution"]
def copy_baseline_solution(T):
    return 10 * np.log(8) / (T + 20)


ll.exercises.check("copy_baseline", copy_baseline_solution)

# %%
# NBVAL_CHECK_OUTPUT
r = load("copy_T20.json")
print(f"{r['task']}: memoryless baseline {copy_baseline(20):.3f} nats per step   ({r['command']})")
for key in ["lstm", "rnn"]:
    run = r[key]
    print(f"   {key:<5} {run['steps']} steps, {run['wall_seconds']:.0f} s: cross-entropy {run['eval_loss']:.3f},"
          f" symbols recalled {run['eval_score']:.1%} (chance 12.5 %)")

# %% [markdown]
# **Temporal order** (1997, task 6a). Sequences of length 100 to 110 start with $E$ and end with $B$;
# in between are random symbols from $\{a, b, c, d\}$, except that an $X$ or a $Y$ appears at one step
# $t_1 \in [10, 20]$ and again at one step $t_2 \in [50, 60]$. The network must classify the sequence
# by the order of the two: $XX$, $XY$, $YX$ or $YY$ (chance: 25 %). The records of the quick runs:

# %%
# NBVAL_CHECK_OUTPUT
quick = load("quick_tasks.json")
for run in quick["runs"]:
    bias = f", forget bias {run['forget_bias']:g}" if run["core"] == "lstm" and "forget_bias" in run else ""
    print(f"{run['task']:<21} {run['core'].upper():<4}{bias:<17} {run['steps']:>6} steps, {run['wall_seconds']:>5.1f} s: "
          f"{run['score_name']} {run['eval_score']:.1%} (chance {run['baseline']['score']:.1%})")

# %% [markdown]
# ## 5. Open the trained LSTM
#
# How does the LSTM of section 2 solve the adding problem? Run it on 500 evaluation sequences and
# measure, for each of its 32 cells:
#
# * how well its final value $c_T$ tracks the quantity it must deliver, $X_1 + X_2$ (a correlation);
# * how much more its input gate opens at the two marked steps than elsewhere;
# * its average forget value.

# %%
lstm_model = adding_task(50).model("lstm", 32)
B = 500
out = ll.forward(results["lstm"].params, eval_50.X[:, :B], lstm_model, lengths=eval_50.lengths[:B])
tr = out.trace  # an LSTMStep whose arrays are (T, B, H)
last = eval_50.lengths[:B] - 1
c_T = tr.c[last, np.arange(B)]  # (B, H): each sequence's cell state at its own last step
target_sum = (eval_50.Y[:B, 0] - 0.5) * 4  # X1 + X2
marked = eval_50.X[:, :B, 1] == 1  # (T, B)
inside = np.arange(len(eval_50.X))[:, None] < eval_50.lengths[:B]  # real steps, not padding
corr = np.array([np.corrcoef(c_T[:, k], target_sum)[0, 1] for k in range(32)])
i_contrast = np.array([tr.i[..., k][marked].mean() - tr.i[..., k][inside & ~marked].mean() for k in range(32)])
f_mean = np.array([tr.f[..., k][inside].mean() for k in range(32)])
unit = int(np.argmax(np.abs(corr) * i_contrast))  # tracks the sum, and writes mainly at the marks

fig, ax = plt.subplots(figsize=(5.5, 3.8))
ax.scatter(np.abs(corr), i_contrast, c=f_mean, cmap="viridis", vmin=0.8, vmax=1.0)
for k in range(32):
    ax.annotate(str(k), (abs(corr[k]), i_contrast[k]), fontsize=7, xytext=(2, 2), textcoords="offset points")
ax.set(xlabel=r"$|$correlation of $c_T$ with $X_1 + X_2|$", ylabel="input gate: marked minus other steps",
       title="The 32 cells of the trained LSTM")
fig.colorbar(ax.collections[0], ax=ax, label="mean forget value $f$")
plt.show()
print(f"{(np.abs(corr) > 0.8).sum()} of 32 cells have |correlation| > 0.8; the clearest is cell {unit}: "
      f"correlation {corr[unit]:+.2f}, input gate {i_contrast[unit]:+.2f} higher at the marks, mean f = {f_mean[unit]:.3f}")

# %% [markdown]
# The sum is not kept in one cell alone: many cells carry a share of it, and the readout combines
# them (a *distributed* code). But some cells do exactly what the equations suggest. Follow the
# clearest one through a single sequence: its input gate should open at the two marked steps (to
# write the values in) and stay low elsewhere (to keep the noise out), and its forget gate should stay
# near 1 (to hold what was written).

# %%
b = 0
L = int(eval_50.lengths[b])
marks = np.flatnonzero(eval_50.X[:L, b, 1] == 1) + 1
fig, axes = plt.subplots(3, 1, figsize=(8, 5.5), sharex=True)
steps = np.arange(1, L + 1)
for ax, name, colour in zip(axes, ["i", "f", "c"], ["#0072B2", "#D55E00", "#E69F00"]):
    ax.plot(steps, getattr(tr, name)[:L, b, unit], color=colour, lw=2)
    for m in marks:
        ax.axvline(m, color="0.5", ls=":", lw=1)
    ax.set_ylabel(f"${name}_t$")
axes[0].set_title(f"Cell {unit} on one sequence; dotted lines: the marked steps")
axes[-1].set_xlabel("step $t$")
plt.show()

# %% [markdown]
# The input gate spikes at the two marked steps and stays near 0 elsewhere; the forget gate stays near 1
# and even dips at the marks, where the cell makes room for the new value. Between the marks and the end,
# the cell's value drifts only slowly: that is the memory the RNN could not keep.
#
# Step through the same sequence with the sequence stepper (choose the unit above with the **unit**
# slider), and compare the heatmaps: most cells do something else, or nothing much.

# %%
stepper = ll.widgets.sequence_stepper(ll.LSTMStep(*(a[:L, b:b + 1] for a in tr)), unit=unit)
stepper

# %% [markdown]
# ## Check your understanding
#
# 1. On the adding problem, a model reaches MSE 0.040 and 16 % correct. Has it learned anything?
# 2. Why do learning curves on long-lag tasks show a long plateau followed by a sudden drop?
# 3. In section 5, why must the input gate be nearly shut at the unmarked steps?
#
# <details><summary>Answers</summary>
#
# 1. Nothing useful: that is the chance level of always predicting 0.5 (about 0.039 to 0.042 and 15 %).
# 2. Until the network finds, by small random correlations, that the marked values matter, the
#    gradient that would teach it to store them is tiny (it must travel back over the lag); once a
#    cell starts to store them, the gradient grows and learning accelerates.
# 3. Any value written at an unmarked step would be added to the sum the cell is holding, and the
#    forget gate near 1 would keep that error until the end.
#
# </details>
#
# ## Key points
#
# * The adding problem, the copy task and temporal order put a long, noisy lag between the
#   information and the moment it is needed; their chance baselines tell you whether anything was learned.
# * With the same size, data and optimiser, the LSTM learns them and the vanilla RNN stays at chance.
# * A trained LSTM solves the adding problem the way the equations suggest: cells whose input gates
#   open at the marked steps and whose forget gates stay near 1 hold the sum, which is shared among
#   several cells and combined by the readout.
#
# **Next:** [08 · A character-level language model](08_char_language_model.ipynb)
