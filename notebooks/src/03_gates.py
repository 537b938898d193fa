# %% [markdown]
# # 03 · Gates
#
# | This notebook | in short |
# |---|---|
# | **You will be able to** | treat a sigmoid as a soft valve with outputs in $(0, 1)$; say what tanh's range $(-1, 1)$ is for; compute the forget, input and output gates and the candidate by hand for one unit; predict a gate's value from the sliders |
# | **Expected time** | 40 minutes |
# | **Prerequisites** | [02 · Vanishing gradients](02_vanishing_gradients.ipynb); $e^x$ and matrix products |

# %%
import matplotlib.pyplot as plt
import numpy as np

import lstmlearn as ll

# %% [markdown]
# An LSTM keeps its memory in a **cell state** $c_t$ (notebook 04) and controls it with **gates**:
# small networks that decide, at every step, how much to forget, how much to write and how much to
# show. This notebook is about what a gate *is*, number by number.
#
# Think back to the paragraph of notebook 01 that begins "I grew up in France" and ends "I speak
# fluent ___". A cell and three gates are enough for it: an **input gate** that opens to write
# *France* into the cell when the word appears, a **forget gate** that keeps the cell's content
# through the sentences in between (and lets it go when the subject changes), and an **output
# gate** that shows it when the next word depends on it. (Why a cell needs gates at all, the 1997
# paper's input and output weight conflicts, is in notebook 04, section 5.)
#
# ## 1. The sigmoid: a soft valve, not a switch
#
# Every gate ends in the logistic sigmoid
#
# $$ \sigma(z) = \frac{1}{1 + e^{-z}} . $$
#
# (The LSTM computes four such blocks side by side, $i, f, g, o$: three gates and the
# **candidate** $g$, which ends in $\tanh$ instead (section 2). PyTorch calls $g$ the "cell gate",
# but it is a value to write, not a valve; this course calls it the candidate and the four together
# the **blocks**.)
#
# It maps any real number $z$ to a number strictly between 0 and 1: $\sigma(0) = 0.5$, large
# positive $z$ gives values close to 1, large negative $z$ values close to 0. A gate value
# multiplies something element by element, so it acts like a **valve**: $0.9$ lets 90 % through,
# $0.1$ lets 10 % through.

# %% tags=["nbval-check-output"]
for z in [-10, -5, -2, 0, 2, 5, 10]:
    print(f"sigma({z:>3}) = {float(ll.sigmoid(z)):.6f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
points = {"sigmoid": (2.0, ll.sigmoid), "tanh": (-0.5, np.tanh)}  # the z marked on each curve
for ax, (name, (z, _)) in zip(axes, points.items()):
    ll.plots.plot_activation(name, z=z, ax=ax)
ll.plots.show(
    fig,
    alt="Left the sigmoid, rising from 0 to 1, right tanh, rising from -1 to 1, each against z: "
    + "; ".join(f"{name} is {float(fn(z)):.3f} at the marked z = {z:g}" for name, (z, fn) in points.items())
    + ".",
)

# %% [markdown]
# > **A common misreading.** It is tempting to say that a gate "outputs 0 or 1", so that
# > information is either dropped or kept. It does not: the sigmoid is continuous and its outputs
# > lie strictly inside $(0, 1)$. A gate keeps a **fraction**. Even $\sigma(10) = 0.99995$ is not
# > 1: applied at each of 1000 steps, it keeps only $0.99995^{1000} \approx 0.95$ of a value.
# > Gates *can* end up close to 0 or 1, but only when training has made their input $z$ large in
# > size; that saturation is **learned**, not built in. Notebook 07 shows trained gates that do
# > exactly this where a task needs it, and stay in between where it does not.

# %% tags=["nbval-check-output"]
print(f"0.99995**1000 = {0.99995**1000:.4f},   sigma(10)**1000 = {float(ll.sigmoid(10.0)) ** 1000:.4f}")

# %% [markdown]
# ### Exercise 1: write the sigmoid
#
# Write `sigmoid(z)` for a number or a numpy array (use `np.exp`).


# %% tags=["exercise"]
def sigmoid(z):
    """1 / (1 + exp(-z)), elementwise."""
    raise NotImplementedError  # your code here


ll.exercises.check("sigmoid", sigmoid)


# %% tags=["solution"]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


ll.exercises.check("sigmoid", sigmoid)

# %% [markdown]
# (Written as `1 / (1 + np.exp(-z))`, the sigmoid makes numpy warn for very negative $z$ that
# $e^{-z}$ overflowed, although the result 0.0 is right. `ll.sigmoid` in `lstmlearn/activations.py`
# computes the same formula with that warning silenced and no loss of precision.)
#
# ## 2. tanh: signed values in $(-1, 1)$
#
# The LSTM also uses $\tanh$, for the **candidate values** $g_t$ it may write into the cell, and
# again on the cell state before the output. Its outputs lie strictly between $-1$ and $1$, with
# $\tanh(0) = 0$. They are *signed*: a negative candidate lowers a cell's content, a positive one
# raises it. (Another common misreading says tanh "outputs 0 or −1"; like the sigmoid it is
# continuous, and its range is the whole open interval $(-1, 1)$.) In fact $\tanh$ is a sigmoid
# stretched to that range: $\tanh(z) = 2\sigma(2z) - 1$.

# %% tags=["nbval-check-output"]
z = np.linspace(-4, 4, 9)
print("tanh(z)          ", np.round(np.tanh(z), 4))
print("2 sigma(2z) - 1  ", np.round(2 * ll.sigmoid(2 * z) - 1, 4))

# %% [markdown]
# ## 3. What a gate looks at: $[h_{t-1}, x_t]$
#
# Each gate reads the current input $x_t$ and the previous hidden state $h_{t-1}$. Diagrams often
# show the two "combined into one vector": that vector is their **concatenation**
# $[h_{t-1}, x_t]$, of length $H + D$. Each gate then has **its own** weight matrix and bias over
# it. For the forget gate,
#
# $$ f_t = \sigma\big([h_{t-1}, x_t]\, W_f + b_f\big)
#        = \sigma\big(x_t W_{xf} + h_{t-1} W_{hf} + b_f\big), \qquad
#    W_f = \begin{bmatrix} W_{hf} \\ W_{xf} \end{bmatrix} \in \mathbb{R}^{(H + D) \times H} . $$
#
# The two forms are the same computation: the top rows of $W_f$ multiply $h_{t-1}$, the bottom
# rows multiply $x_t$. `lstmlearn` keeps the two parts apart (`p.W_xf`, `p.W_hf`) and stores all
# four blocks ($i, f, g, o$) side by side, so one matrix product computes them all at once (notebook 05).

# %% tags=["nbval-check-output"]
rng = np.random.default_rng(3)
D, H = 2, 3
p = ll.init_lstm(D, H, rng=rng)
x, h_prev = rng.normal(size=(1, D)), rng.normal(size=(1, H))

W_f = np.vstack([p.W_hf, p.W_xf])  # (H + D, H)
f_concat = ll.sigmoid(np.hstack([h_prev, x]) @ W_f + p.b_f)
f_split = ll.sigmoid(x @ p.W_xf + h_prev @ p.W_hf + p.b_f)
print("f from [h_prev, x] @ W_f :", np.round(f_concat, 6))
print("f from x W_xf + h W_hf   :", np.round(f_split, 6))

# %% [markdown]
# ## 4. The three gates and the candidate of one unit, by hand
#
# Take a single cell ($D = H = 1$) with these weights, input $x_t = 1$, $h_{t-1} = 0.5$, $c_{t-1} = 2$:
#
# | block | $w_x$ | $w_h$ | $b$ | pre-activation $z = w_x x + w_h h + b$ | value |
# |---|---|---|---|---|---|
# | input $i$ | 1.0 | 0.0 | 0.0 | $1.0$ | $\sigma(1.0) = 0.7311$ |
# | forget $f$ | 0.5 | 1.0 | 1.0 | $0.5 + 0.5 + 1.0 = 2.0$ | $\sigma(2.0) = 0.8808$ |
# | candidate $g$ | -1.0 | 0.0 | 0.0 | $-1.0$ | $\tanh(-1.0) = -0.7616$ |
# | output $o$ | 0.0 | 2.0 | 0.0 | $1.0$ | $\sigma(1.0) = 0.7311$ |
#
# The forget gate keeps 88 % of the old cell value; the input gate lets 73 % of a *negative*
# candidate in. So the new cell value is $c_t = 0.8808 \cdot 2 + 0.7311 \cdot (-0.7616) = 1.2048$,
# and the output is $h_t = 0.7311 \cdot \tanh(1.2048) = 0.6105$. `ll.lstm_step` agrees:

# %% tags=["nbval-check-output"]
w_x = {"i": 1.0, "f": 0.5, "g": -1.0, "o": 0.0}
w_h = {"i": 0.0, "f": 1.0, "g": 0.0, "o": 2.0}
b = {"i": 0.0, "f": 1.0, "g": 0.0, "o": 0.0}
p1 = ll.LSTMParams(
    W_x=np.array([[w_x[k] for k in "ifgo"]]),  # (D, 4H) = (1, 4), columns i | f | g | o
    W_h=np.array([[w_h[k] for k in "ifgo"]]),  # (H, 4H) = (1, 4)
    b=np.array([b[k] for k in "ifgo"]),
)  # (4H,) = (4,)
s = ll.lstm_step(x=[[1.0]], h_prev=[[0.5]], c_prev=[[2.0]], p=p1)
for name in ["i", "f", "g", "o", "c", "h"]:
    print(f"{name} = {getattr(s, name)[0, 0]:.4f}")

# %% [markdown]
# ### Exercise 2: the forget gate
#
# Write the forget gate for a batch: `x` is $(B, D)$, `h_prev` is $(B, H)$, `W_x` is $(D, H)$,
# `W_h` is $(H, H)$ and `b` is $(H,)$ (the forget gate's own blocks, like `p.W_xf`, `p.W_hf`, `p.b_f`).


# %% tags=["exercise"]
def forget_gate(x, h_prev, W_x, W_h, b):
    """f = sigmoid(x @ W_x + h_prev @ W_h + b), shape (B, H)."""
    raise NotImplementedError  # your code here


ll.exercises.check("forget_gate", forget_gate)


# %% tags=["solution"]
def forget_gate(x, h_prev, W_x, W_h, b):
    return ll.sigmoid(x @ W_x + h_prev @ W_h + b)


ll.exercises.check("forget_gate", forget_gate)

# %% [markdown]
# ### Exercise 3: the candidate values
#
# Same inputs, but the candidate uses $\tanh$: $g = \tanh(x W_{xg} + h_{t-1} W_{hg} + b_g)$.


# %% tags=["exercise"]
def candidate(x, h_prev, W_x, W_h, b):
    """g = tanh(x @ W_x + h_prev @ W_h + b), shape (B, H)."""
    raise NotImplementedError  # your code here


ll.exercises.check("candidate", candidate)


# %% tags=["solution"]
def candidate(x, h_prev, W_x, W_h, b):
    return np.tanh(x @ W_x + h_prev @ W_h + b)


ll.exercises.check("candidate", candidate)

# %% [markdown]
# ## 5. Predict, then move the sliders
#
# The explorer is the one-unit cell of section 4. Each gate has its three sliders (`w_x`, `w_h`,
# `b`); the bars show the gate values on their ranges, and the diagram shows where each number
# goes. Before you touch anything, **predict** (each change starts from section 4's cell):
#
# 1. Set `b_f` to 4. Will $f$ be closer to 0.5 or to 1? What is the new $c$?
# 2. Set `w_xg` to $+1$ instead of $-1$. What happens to the sign of $g$, and to $c$?
# 3. Set every weight of the output gate to 0. What is $o$, and what is $h$ relative to $\tanh(c)$?
#
# Write your predictions into the cell after the explorer and run it. It prints each prediction you
# made next to the value the cell computes, and nothing for those still set to `None`; then move the
# sliders to see why. A gate near 1 is judged by its distance to 1: 0.999 for a gate of 0.9933 puts
# that distance at 0.001 instead of 0.0067, almost seven times too small, and over many steps that
# distance decides what is kept (section 1). Other values count as close within 0.5 %.

# %%
section_4 = {
    **{f"w_x{k}": v for k, v in w_x.items()},
    **{f"w_h{k}": v for k, v in w_h.items()},
    **{f"b_{k}": v for k, v in b.items()},
}
explorer = ll.widgets.gate_explorer(x=1.0, h_prev=0.5, c_prev=2.0, **section_4)  # the cell of section 4
explorer

# %% tags=["nbval-check-output"]
# Your predictions: replace each None with a number (for a sign, +1 or -1), then run the cell.
my_predictions = {
    "1. f when b_f = 4": None,
    "1. c when b_f = 4": None,
    "2. sign of g when w_xg = +1": None,
    "2. c when w_xg = +1": None,
    "3. o when w_xo = w_ho = b_o = 0": None,
    "3. h / tanh(c) then": None,
}


def changed(**weights):
    """i, f, g, o, c, h of section 4's cell with some of its weights changed."""
    return ll.widgets.gate_values(x=1.0, h_prev=0.5, c_prev=2.0, **{**section_4, **weights})


no_output_weights = changed(w_xo=0.0, w_ho=0.0, b_o=0.0)
ll.exercises.reveal(
    my_predictions,
    {
        "1. f when b_f = 4": changed(b_f=4.0)["f"],
        "1. c when b_f = 4": changed(b_f=4.0)["c"],
        "2. sign of g when w_xg = +1": np.sign(changed(w_xg=1.0)["g"]),
        "2. c when w_xg = +1": changed(w_xg=1.0)["c"],
        "3. o when w_xo = w_ho = b_o = 0": no_output_weights["o"],
        "3. h / tanh(c) then": no_output_weights["h"] / np.tanh(no_output_weights["c"]),
    },
    within={"1. f when b_f = 4": (0, 1), "3. o when w_xo = w_ho = b_o = 0": (0, 1)},  # gates, in (0, 1)
)

# %% [markdown]
# <details><summary>Why (after you have predicted)</summary>
#
# 1. $b_f$ adds 3 to the forget gate's pre-activation, $z_f = 2 \to 5$: $f = \sigma(5) = 0.9933$ is
#    close to 1, not 1 (no finite $z$ makes $\sigma(z) = 1$). The cell keeps more of $c_{t-1} = 2$, so
#    $c$ rises by $2\,(\sigma(5) - \sigma(2))$. (Had you taken $f = 1$, you would predict $c$ about
#    0.013 too high: the cell gives back all of $c_{t-1}$ only if $f$ is exactly 1.)
# 2. $g = \tanh(w_{xg} x)$ flips sign with $w_{xg}$: $g = \tanh(1) > 0$. The input gate now *adds*
#    $i \cdot 0.76$ instead of subtracting it, so $c$ rises by $2 \cdot 0.7311 \cdot 0.7616$.
# 3. With every weight 0, $z_o = 0$ and $o = \sigma(0) = 0.5$ exactly, whatever $x$ and $h_{t-1}$
#    are: the cell shows half of $\tanh(c)$.
#
# </details>
#
# ## 6. Gates are learned, and they work at every step
#
# The weights of a gate are learned during training, like any other weights. But the gate does
# not "decide what is important during training" and then stop: it is part of the forward pass.
# At **every** step of **every** sequence, in training and later in use, each gate recomputes its
# value from the current $x_t$ and $h_{t-1}$. The same trained network may keep a memory for one
# sequence and wipe it for another. The trace of a forward pass holds one gate value per step,
# per example and per unit:

# %% tags=["nbval-check-output"]
p = ll.init_lstm(input_size=1, hidden_size=4, rng=np.random.default_rng(5))
X = np.random.default_rng(6).normal(size=(6, 2, 1))  # T = 6 steps, B = 2 sequences
_, trace = ll.lstm_forward(X, p)
print("trace.f has shape", trace.f.shape, "= (T, B, H)")
print("forget gate of unit 0, sequence 0, steps 1..6:", np.round(trace.f[:, 0, 0], 3))
print("forget gate of unit 0, sequence 1, steps 1..6:", np.round(trace.f[:, 1, 0], 3))

# %% [markdown]
# ## Check your understanding
#
# 1. A forget gate's pre-activation is $z = 0$. What fraction of the old cell value is kept?
# 2. Why does the candidate use $\tanh$ rather than the sigmoid?
# 3. A gate has $z = 3$ for one example. Is that gate "closed", "open" or neither?
# 4. How many weight matrices and bias vectors does one LSTM layer have, counting per gate?
#
# <details><summary>Answers</summary>
#
# 1. Half: $\sigma(0) = 0.5$.
# 2. The candidate is a value to *add* to the cell, and it must be able to lower the cell as well
#    as raise it; $\tanh$ gives signed values in $(-1, 1)$, the sigmoid only positive ones.
# 3. Mostly open, not fully: $\sigma(3) \approx 0.953$, so it passes 95 % of its input.
# 4. Each of the four blocks ($i, f, g, o$: three gates and the candidate) has its own $W_x$ part
#    $(D, H)$, $W_h$ part $(H, H)$ and bias $(H,)$: eight weight matrices and four biases, stored in
#    `lstmlearn` as the three fused arrays `W_x` $(D, 4H)$, `W_h` $(H, 4H)$ and `b` $(4H,)$.
#
# </details>
#
# ## Key points
#
# * A sigmoid gate outputs a fraction in $(0, 1)$ and multiplies element by element: it is a soft
#   valve. Values near 0 or 1 happen only when training makes $|z|$ large.
# * $\tanh$ outputs signed values in $(-1, 1)$: the candidate $g$ can push a cell up or down.
# * Each gate reads the concatenation $[h_{t-1}, x_t]$ through its own weights and bias, and
#   recomputes its value at every step of every forward pass.
#
# **Next:** [04 · The cell state](04_cell_state.ipynb)
