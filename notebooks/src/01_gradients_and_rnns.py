# %% [markdown]
# # 01 · Gradients and recurrent networks
#
# | This notebook | in short |
# |---|---|
# | **You will be able to** | explain how a gradient updates a weight; run a vanilla RNN by hand and with `lstmlearn`; say what the hidden state carries and watch a small RNN forget the start of a sequence |
# | **Expected time** | 40 minutes |
# | **Prerequisites** | [00 · Start here](00_start_here.ipynb); the derivative of $x^2$ and the chain rule |

# %%
import matplotlib.pyplot as plt
import numpy as np

import lstmlearn as ll

rng = np.random.default_rng(1)

# %% [markdown]
# ## 1. A gradient is how a weight learns
#
# Take the smallest model there is: one weight $w$ that predicts $\hat y = w x$. On one example
# $(x, y)$ the squared error is
#
# $$ L(w) = (w x - y)^2, \qquad \frac{dL}{dw} = 2 (w x - y)\, x .$$
#
# The derivative says how fast the loss changes when $w$ moves. If it is negative, a slightly
# larger $w$ gives a smaller loss; if positive, a smaller $w$ does. **Gradient descent** moves
# the weight a small step *against* the gradient:
#
# $$ w \leftarrow w - \eta \, \frac{dL}{dw} $$
#
# where $\eta$ (`lr`, the learning rate) sets the step size. With $x = 2$, $y = 3$ and $w = 0.5$:
# the prediction is $1$, the loss is $(1 - 3)^2 = 4$ and the gradient is $2 \cdot (1 - 3) \cdot 2 = -8$.
# Let us confirm the derivative numerically, by nudging $w$ a little each way
# (notebook 06 makes this the standard test of every gradient in the course):

# %% tags=["nbval-check-output"]
x, y = 2.0, 3.0


def loss(w):
    return (w * x - y) ** 2


w = np.array(0.5)
by_hand = 2 * (w * x - y) * x
numerical = ll.numerical_gradient(loss, {"w": w}, "w")
print(f"L(w) = {loss(w):.4f}   dL/dw by hand = {by_hand:.6f}   numerically = {float(numerical):.6f}")

# %% [markdown]
# ### Exercise 1: one gradient-descent step
#
# Complete `gd_step` so that it returns the new weight $w - \eta\, dL/dw$. It should work for a
# single number and for an array of weights alike.


# %% tags=["exercise"]
def gd_step(w, grad, lr):
    """Return w after one step of gradient descent with learning rate lr."""
    raise NotImplementedError  # your code here


ll.exercises.check("gd_step", gd_step)


# %% tags=["solution"]
def gd_step(w, grad, lr):
    return w - lr * grad


ll.exercises.check("gd_step", gd_step)

# %% [markdown]
# Now take twenty steps from $w = 0.5$ and watch the loss fall. The best weight is $w^* = y/x = 1.5$.
# Try a larger learning rate in the cell (say `lr=0.2`): the steps overshoot and the weight
# oscillates around $w^*$; beyond `lr=0.25` it diverges. (Here each step multiplies the distance
# to $w^*$ by $1 - 2\eta x^2 = 1 - 8\eta$.) A learning rate is a step size, and a step can be too big.


# %%
def descend(w, lr, steps=20):
    ws = [w]
    for _ in range(steps):
        w = w - lr * 2 * (w * x - y) * x
        ws.append(w)
    return np.array(ws)


ws = descend(0.5, lr=0.05)
grid = np.linspace(0, 2.5, 200)
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(grid, loss(grid), color="0.4", label="$L(w) = (wx - y)^2$")
ax.plot(ws, loss(ws), "o-", color="#0072B2", ms=4, label="gradient descent, $\\eta = 0.05$")
ax.set(xlabel="$w$", ylabel="$L$", title="Each step moves $w$ against the gradient")
ax.legend()
ll.plots.show(
    fig,
    alt=f"The loss L(w) = (wx - y)^2 against w, a parabola with its minimum at w = {y / x:g}, and {len(ws) - 1} "
    f"steps of gradient descent with learning rate 0.05 on it: from w = {ws[0]:g} (loss {loss(ws[0]):.2f}) to "
    f"w = {ws[-1]:.4f} (loss {loss(ws[-1]):.1e}), "
    + (
        "each step shorter than the one before."
        if np.all(np.diff(np.abs(np.diff(ws))) < 0)
        else "in steps of uneven length."
    ),
)
print(f"after 20 steps: w = {ws[-1]:.4f} (best: {y / x}), loss = {loss(ws[-1]):.2e}")

# %% [markdown]
# A network has thousands of weights instead of one, but the rule is the same for each of them:
# compute $\partial L / \partial w$ (backpropagation does that efficiently) and step against it.
# **If a weight's gradient is tiny, that weight barely changes: it does not learn.** Keep that
# sentence in mind; notebook 02 is about where tiny gradients come from.
#
# ## 2. A recurrent network reads a sequence one step at a time
#
# A feed-forward network sees its whole input at once. A **recurrent neural network (RNN)** reads
# a sequence $x_1, x_2, \dots, x_T$ one element at a time and carries a **hidden state**
# $h_t$ from each step to the next:
#
# $$ h_t = \tanh\left(x_t W_x + h_{t-1} W_h + b\right), \qquad t = 1, \dots, T, $$
#
# starting from an initial state $h_0$ (usually zeros; `h0` in the code).
#
# The *same* weights $W_x$ (shape $(D, H)$), $W_h$ ($(H, H)$) and $b$ ($(H,)$) are used at every
# step. Drawn out ("unrolled") over time, the RNN is a deep network with one layer per time step
# and shared weights:
#
# ```
#            x_1             x_2             x_3
#             │               │               │
#             ▼               ▼               ▼
# h_0 ───▶ [tanh] ──h_1──▶ [tanh] ──h_2──▶ [tanh] ──h_3──▶ ...
# ```
#
# ### By hand, with one unit
#
# With $D = H = 1$, $W_x = 0.5$, $W_h = 0.8$, $b = 0$, $h_0 = 0$ and the inputs $1, 0, 0$:
#
# * $h_1 = \tanh(0.5 \cdot 1 + 0.8 \cdot 0) = \tanh(0.5) \approx 0.4621$
# * $h_2 = \tanh(0.5 \cdot 0 + 0.8 \cdot 0.4621) = \tanh(0.3697) \approx 0.3537$
# * $h_3 = \tanh(0.8 \cdot 0.3537) = \tanh(0.2830) \approx 0.2757$
#
# The input arrived only at step 1, yet $h_2$ and $h_3$ still carry a trace of it, fading a little
# at every step. `lstmlearn` computes the same numbers (in code, arrays count from 0: `Hs[t - 1]` is $h_t$):

# %% tags=["nbval-check-output"]
p1 = ll.RNNParams(W_x=np.array([[0.5]]), W_h=np.array([[0.8]]), b=np.array([0.0]))
X1 = np.array([1.0, 0.0, 0.0]).reshape(3, 1, 1)  # (T, B, D) = (3, 1, 1)
Hs1, trace1 = ll.rnn_forward(X1, p1)
print("h_1, h_2, h_3 =", np.round(Hs1[:, 0, 0], 4))

# %% [markdown]
# ### Exercise 2: one RNN step
#
# Write one step of the RNN for a batch: `x` is $(B, D)$, `h_prev` is $(B, H)$, and the result is
# the new hidden state $(B, H)$. (`lstmlearn`'s own version is `ll.rnn_step`; open
# `lstmlearn/rnn.py` to compare afterwards.)


# %% tags=["exercise"]
def rnn_step(x, h_prev, W_x, W_h, b):
    """h = tanh(x @ W_x + h_prev @ W_h + b)"""
    raise NotImplementedError  # your code here


ll.exercises.check("rnn_step", rnn_step)


# %% tags=["solution"]
def rnn_step(x, h_prev, W_x, W_h, b):
    return np.tanh(x @ W_x + h_prev @ W_h + b)


ll.exercises.check("rnn_step", rnn_step)

# %% [markdown]
# ## 3. What the hidden state carries
#
# The hidden state is the network's only memory: everything the RNN knows about
# $x_1, \dots, x_t$ must fit into the $H$ numbers of $h_t$. It is a *summary* of the past,
# and the weights decide what the summary keeps.
#
# With small inputs, tanh is close to the identity and a one-unit RNN is a **leaky running sum**,
# $h_t \approx W_h h_{t-1} + W_x x_t$: each step keeps the fraction $W_h$ of the old state and adds
# the new input. Unrolled, $h_t \approx W_x\,(x_t + W_h x_{t-1} + W_h^2 x_{t-2} + \dots)$: an average of
# the past whose weights fall by the factor $W_h$ per step, so it reaches back about $1/(1 - W_h)$ steps.
# A constant input $x$ makes it settle at $W_x x / (1 - W_h)$, so $W_x/(1 - W_h)$ is its **gain**. Below,
# $W_x = 1 - W_h$ gives every curve a gain of 1: they differ only in how much of the past they average.
#
# The noisy input switches from negative to positive half-way. With $W_h = 0.5$ the hidden state
# follows every wiggle; with $W_h = 0.9$ it is smoother, and slower to follow the switch. (Add `0.98`
# to the list in the cell and run it again.)

# %%
T = 60
steps = np.arange(1, T + 1)  # step t reads x_t = signal[t - 1]
signal = np.where(steps <= T // 2, -0.3, 0.3) + 0.3 * rng.normal(size=T)
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(steps, signal, color="0.7", label="input $x_t$")
leaky = {}  # W_h -> h_t, t = 1 .. T
for n, (W_h, colour) in enumerate([(0.5, "#E69F00"), (0.9, "#0072B2")]):
    p_leaky = ll.RNNParams(W_x=np.array([[1 - W_h]]), W_h=np.array([[W_h]]), b=np.array([0.0]))
    Hs_leaky, _ = ll.rnn_forward(signal.reshape(T, 1, 1), p_leaky)
    leaky[W_h] = Hs_leaky[:, 0, 0]
    ax.plot(
        steps,
        leaky[W_h],
        color=colour,
        lw=2,
        label=f"$h_t$: $W_h = {W_h}$, $W_x = {1 - W_h:.2g}$, reaches back ~{1 / (1 - W_h):.0f} steps",
        **ll.plots.style.series_style(n, T),  # a line style and marker each, not colour alone
    )
ax.set(xlabel="time step $t$", ylabel="value", title="The hidden state summarises the past")
ax.legend(fontsize=8)
ll.plots.show(
    fig,
    alt=f"A noisy input x_t over {T} steps that switches from negative to positive after step {T // 2}, and the "
    "hidden state of two leaky RNNs reading it. "
    + " ".join(
        f"W_h = {W_h}: moves by {np.abs(np.diff(h)).mean():.3f} per step on average and first turns positive "
        f"at step {steps[T // 2 :][h[T // 2 :] > 0][0]}."
        for W_h, h in leaky.items()
    ),
)

# %% [markdown]
# ## 4. A small RNN forgets the start of a long sequence
#
# Why would a network need step 1 at step 40? Language is full of such distances. A paragraph
# begins "I grew up in France", goes on about school, friends and moving abroad, and ends "... so I
# still speak fluent ___". The missing word is *French*, and the clue is a word dozens of words
# back: an RNN that reads one word per step has to carry it across every step in between. (The
# study notes this course grew from say it in their own words: an RNN "may leave out important
# information from the beginning when analyzing a huge paragraph"; the example follows Christopher
# Olah's *Understanding LSTM Networks*, 2015.)
#
# How long does a trace of $x_1$ survive? Run a random RNN with $H = 16$ units on two input
# sequences that are identical except at step 1, and measure how far apart their hidden states
# are at each later step, $\lVert h_t - h'_t \rVert$.

# %%
H, D, T = 16, 4, 50
p = ll.init_rnn(D, H, rng=np.random.default_rng(2))
X_a = rng.normal(size=(T, 1, D))
X_b = X_a.copy()
X_b[0] += 1.0  # the two sequences differ only in x_1
Hs_a, _ = ll.rnn_forward(X_a, p)
Hs_b, _ = ll.rnn_forward(X_b, p)
gap = np.linalg.norm(Hs_a - Hs_b, axis=(1, 2))  # gap[t - 1] = ||h_t - h'_t||
steps = np.arange(1, T + 1)

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.semilogy(steps, gap, color="#D55E00")
ax.set(
    xlabel="time step $t$",
    ylabel=r"$\|h_t - h'_t\|$ (log scale)",
    title="The difference made by $x_1$ fades step by step",
)
ll.plots.show(
    fig,
    alt=f"The difference ||h_t - h'_t|| made by x_1, on a log scale against t = 1 .. {T}: close to a straight "
    f"falling line, from {gap[0]:.1e} at t = 1 to {gap[19]:.1e} at t = 20 and {gap[-1]:.1e} at t = {T}.",
)
print(f"difference at t=1: {gap[0]:.1e}, t=20: {gap[19]:.1e}, t=40: {gap[39]:.1e}")

# %% [markdown]
# On a log scale the decay is close to a straight line: the difference shrinks by roughly the
# same *factor* at every step, so it vanishes exponentially. After a few dozen steps, what
# happened at step 1 is invisible in $h_t$. The same factor appears in the gradient: the weights
# can only learn from $x_1$ to the extent that $x_1$ changes the loss, so a loss at step 40
# sends almost no learning signal back to step 1.
#
# ### Try it yourself
#
# How long the trace lasts depends on the size of the recurrent weights. The explorer repeats the
# experiment for an RNN whose $W_h$ is scaled to a chosen **spectral radius** $\rho$ (the size of its
# largest eigenvalue; notebook 02 explains why this is the right dial). Slide $\rho$ from 0.3 to 1.5
# and watch the slope change; switch to ReLU and push $\rho$ above 1.

# %%
ll.widgets.rnn_memory_explorer()

# %% [markdown]
# > **A note on words.** You may read that "early *layers* of an RNN suffer from vanishing
# > gradients". For an RNN unrolled through time, it is the contribution of early **time steps**
# > whose gradient vanishes: the "layers" of the unrolled picture are steps in time that share
# > one set of weights. Deep feed-forward networks have a related problem across their layers,
# > but the two are not the same thing, and notebook 02 keeps them apart.
#
# ## Check your understanding
#
# 1. The gradient $dL/dw$ at the current weight is $+4$ and the learning rate is $0.1$. Does $w$
#    go up or down, and by how much?
# 2. An RNN has $D = 3$ inputs and $H = 8$ hidden units. What are the shapes of $W_x$, $W_h$ and
#    $b$? Do they depend on the sequence length $T$?
# 3. Why can't an RNN whose hidden state forgets $x_1$ within 20 steps learn a task whose answer
#    depends on $x_1$ after 100 steps?
#
# <details><summary>Answers</summary>
#
# 1. Down, by $\eta \cdot 4 = 0.4$: gradient descent moves against the gradient.
# 2. $W_x$ is $(3, 8)$, $W_h$ is $(8, 8)$, $b$ is $(8,)$; none depends on $T$, because the same
#    weights are used at every step.
# 3. If $x_1$ no longer changes $h_{100}$, it cannot change the prediction or the loss at step 100,
#    so the gradient that would teach the weights to keep $x_1$ is (nearly) zero: there is no signal
#    to learn from.
#
# </details>
#
# ## Key points
#
# * Gradient descent changes each weight by $-\eta\, \partial L/\partial w$; a weight with a tiny
#   gradient does not learn.
# * An RNN applies the same step $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$ at every time step;
#   the hidden state $h_t$ is its only memory, a fixed-size summary of the past.
# * In a plain RNN the influence of an early input fades roughly exponentially with distance, and
#   so does the gradient that would teach the network to use it: this is short-term memory.
#
# **Next:** [02 · Vanishing (and exploding) gradients](02_vanishing_gradients.ipynb)
