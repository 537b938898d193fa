# %% [markdown]
# # 06 · Backpropagation through an LSTM
#
# | This notebook | in short |
# |---|---|
# | **You will be able to** | derive the backward equations of one LSTM step (for $h$, $c$, each gate's pre-activation, the weights and the inputs); implement part of them; check every gradient numerically; compare gradient flow through time in an RNN and an LSTM; say what truncated BPTT cuts |
# | **Expected time** | 60 minutes |
# | **Prerequisites** | [02 · Vanishing gradients](02_vanishing_gradients.ipynb), [04 · The cell state](04_cell_state.ipynb), [05 · One LSTM step](05_lstm_step_by_step.ipynb); the chain rule for products |

# %%
import matplotlib.pyplot as plt
import numpy as np

import lstmlearn as ll

# %% [markdown]
# ## 1. The backward equations of one step
#
# Backpropagation runs the forward equations in reverse, applying the chain rule to each line.
# We write $\delta v$ for $\partial L/\partial v$, the gradient of the loss with respect to a value
# $v$, with the shape of $v$. Step $t$ receives two gradients from later on:
#
# * $\delta h_t$: from the loss at step $t$ (if it reads $h_t$) **plus** $\delta h_t^{\text{next}}$, what
#   step $t + 1$ sends back through its use of $h_t$;
# * $\delta c_t^{\text{next}}$: what step $t + 1$ sends back along the cell path.
#
# The superscript "next" marks the part of a gradient that comes back from the next step; without it,
# $\delta c_t$ is the **total**. Now take the forward lines from the bottom up.
#
# **$h_t = o_t \odot \tanh(c_t)$.** A product: each factor's gradient is the other factor times $\delta h_t$.
#
# $$ \delta o_t = \delta h_t \odot \tanh(c_t), \qquad
#    \delta c_t = \delta c_t^{\text{next}} + \delta h_t \odot o_t \odot \big(1 - \tanh^2(c_t)\big). $$
#
# $c_t$ is used twice (to make $h_t$, and by the next step), so its total gradient $\delta c_t$ is a
# **sum** of the two paths.
#
# **$c_t = f_t \odot c_{t-1} + i_t \odot g_t$.** A sum of two products:
#
# $$ \delta f_t = \delta c_t \odot c_{t-1}, \quad \delta i_t = \delta c_t \odot g_t, \quad
#    \delta g_t = \delta c_t \odot i_t, \quad \delta c_{t-1}^{\text{next}} = \delta c_t \odot f_t . $$
#
# The last one is the cell path of notebook 04: the gradient passes back to $c_{t-1}$ multiplied only
# by $f_t$. It is only part of $\delta c_{t-1}$; step $t - 1$ adds its own path through $h_{t-1}$.
#
# **The gates.** Each gate is a squashing function of its pre-activation,
# $i_t = \sigma(z_i)$, $f_t = \sigma(z_f)$, $g_t = \tanh(z_g)$, $o_t = \sigma(z_o)$. With the
# derivatives written through the stored outputs, $\sigma' = \sigma(1 - \sigma)$ and $\tanh' = 1 - \tanh^2$:
#
# $$ \delta z_i = \delta i_t \odot i_t (1 - i_t), \quad \delta z_f = \delta f_t \odot f_t (1 - f_t), \quad
#    \delta z_g = \delta g_t \odot (1 - g_t^2), \quad \delta z_o = \delta o_t \odot o_t (1 - o_t). $$
#
# **$z_k = x_t W_{xk} + h_{t-1} W_{hk} + b_k$** for each block $k$ (three gates and the candidate).
# Side by side the four are one product, $z = x_t W_x + h_{t-1} W_h + b$ with $W_x = [W_{xi} \mid W_{xf} \mid W_{xg} \mid W_{xo}]$, so with
# $\delta z = [\delta z_i \mid \delta z_f \mid \delta z_g \mid \delta z_o]$, shape $(B, 4H)$:
#
# $$ \delta W_x = x_t^\top \delta z, \quad \delta W_h = h_{t-1}^\top \delta z, \quad
#    \delta b = \textstyle\sum_{\text{batch}} \delta z, \quad
#    \delta x_t = \delta z\, W_x^\top, \quad \delta h_{t-1}^{\text{next}} = \delta z\, W_h^\top . $$
#
# $\delta h_{t-1}^{\text{next}}$ joins the loss's gradient at step $t - 1$ to make $\delta h_{t-1}$ for
# the next round, and the weights' gradients of all steps are added (the same weights act at every
# step). That is the whole backward pass.
#
# <!-- quote-all lstmlearn/lstm.py lstm_step_backward -->
# Open `lstmlearn/lstm.py` beside this page. `lstm_step_backward` is these equations, one a line, in
# the same order (the test suite fails if this table and the file drift apart):
#
# | equation | `lstm_step_backward` |
# |---|---|
# | $\delta o_t = \delta h_t \odot \tanh(c_t)$ | `do = dh * s.tanh_c` |
# | $\delta c_t = \delta c_t^{\text{next}} + \delta h_t \odot o_t \odot (1 - \tanh^2 c_t)$ | `dc = dc_next + dh * s.o * (1 - s.tanh_c**2)` |
# | $\delta f_t = \delta c_t \odot c_{t-1}$ | `df = dc * s.c_prev` |
# | $\delta i_t = \delta c_t \odot g_t$ | `di = dc * s.g` |
# | $\delta g_t = \delta c_t \odot i_t$ | `dg = dc * s.i` |
# | $\delta c_{t-1}^{\text{next}} = \delta c_t \odot f_t$ | `dc_prev = dc * s.f` |
# | $\delta z_i = \delta i_t \odot i_t (1 - i_t)$ | `dz_i = di * s.i * (1 - s.i)` |
# | $\delta z_f = \delta f_t \odot f_t (1 - f_t)$ | `dz_f = df * s.f * (1 - s.f)` |
# | $\delta z_g = \delta g_t \odot (1 - g_t^2)$ | `dz_g = dg * (1 - s.g**2)` |
# | $\delta z_o = \delta o_t \odot o_t (1 - o_t)$ | `dz_o = do * s.o * (1 - s.o)` |
# | $\delta z = [\delta z_i \mid \delta z_f \mid \delta z_g \mid \delta z_o]$ | `dz = np.concatenate([dz_i, dz_f, dz_g, dz_o], axis=-1)` |
# | $\delta W_x = x_t^\top \delta z$ | `dW_x = s.x.T @ dz` |
# | $\delta W_h = h_{t-1}^\top \delta z$ | `dW_h = s.h_prev.T @ dz` |
# | $\delta b = \sum_{\text{batch}} \delta z$ | `db = dz.sum(axis=0)` |
# | $\delta x_t = \delta z\, W_x^\top$ | `dx = dz @ p.W_x.T` |
# | $\delta h_{t-1}^{\text{next}} = \delta z\, W_h^\top$ | `dh_prev = dz @ p.W_h.T` |
#
# In the code, `s` is the step's record from the forward pass (`s.f` is $f_t$, `s.c_prev` is $c_{t-1}$),
# `dc_next` is $\delta c_t^{\text{next}}$, and what the step returns as `dh_prev`, `dc_prev` is
# $\delta h_{t-1}^{\text{next}}$, $\delta c_{t-1}^{\text{next}}$: step $t - 1$ receives them as its
# own "next" gradients. `lstm_backward` is the loop that hands them on, from $t = T$ down to 1:
#
# <!-- quote lstmlearn/lstm.py lstm_backward -->
# ```python
# for t in reversed(range(T)):
#     dh[t] = dHs[t] + dh_next  # the loss at this step, and what the next step sent back
#     steps[t] = lstm_step_backward(dh[t], dc_next, trace.at(t), p)
#     dh_next, dc_next = steps[t].dh_prev, steps[t].dc_prev
# ```
#
# **The page and the engine.** These notebooks call `ll.lstm_forward`, `ll.lstm_step_backward` and
# `ll.lstm_backward` from `lstmlearn/lstm.py`, written to be read. The models of notebooks 07 to 09
# train with `lstmlearn.engine`, which computes the same numbers with one fused matrix product per step
# written in place, faster but no longer one equation a line (`benchmarks/bench_lstm.py` measures the
# difference on your machine). The course's tests hold the two together; here is the largest
# difference between them on a small problem:

# %% tags=["nbval-check-output"]
rng = np.random.default_rng(0)
p = ll.init_lstm(3, 4, rng=rng)
X, W = rng.normal(size=(8, 2, 3)), rng.normal(size=(8, 2, 4))
g_page = ll.lstm_backward(W, ll.lstm_forward(X, p)[1], p)
g_engine = ll.engine.lstm_backward(W, ll.engine.lstm_forward(X, p)[1], p)
gap = max(np.abs(a - b).max() for a, b in zip((*g_page.dparams, g_page.dX), (*g_engine.dparams, g_engine.dX)))
print("page and engine agree to 1e-12:", gap < 1e-12)

# %% [markdown]
# ### Exercise 1: the cell gradients
#
# Given $\delta h_t$ (`dh`), $\delta c_t^{\text{next}}$ (`dc_next`) and the step's record `s` (an
# `LSTMStep` with fields `i, f, g, o, c_prev, c, tanh_c, h`), return the pair
# $(\delta c_t, \delta c_{t-1}^{\text{next}})$.


# %% tags=["exercise"]
def cell_backward(dh, dc_next, s):
    """Return (dc_t, the total through both paths; dc_{t-1}^next, along the cell path)."""
    raise NotImplementedError  # your code here


ll.exercises.check("cell_backward", cell_backward)

# %% [markdown]
# **Solution** (open after trying)


# %% tags=["solution"]
def cell_backward_solution(dh, dc_next, s):
    dc = dc_next + dh * s.o * (1 - s.tanh_c**2)
    return dc, dc * s.f


ll.exercises.check("cell_backward", cell_backward_solution)

# %% [markdown]
# ### Exercise 2: the gate pre-activations
#
# Same inputs; return $(\delta z_i, \delta z_f, \delta z_g, \delta z_o)$. Compute $\delta c_t$ first
# (your `cell_backward` may help).


# %% tags=["exercise"]
def gate_grads(dh, dc_next, s):
    """Return (dz_i, dz_f, dz_g, dz_o), each (B, H)."""
    raise NotImplementedError  # your code here


ll.exercises.check("gate_grads", gate_grads)

# %% [markdown]
# **Solution** (open after trying)


# %% tags=["solution"]
def gate_grads_solution(dh, dc_next, s):
    dc, _ = cell_backward_solution(dh, dc_next, s)
    dz_i = dc * s.g * s.i * (1 - s.i)
    dz_f = dc * s.c_prev * s.f * (1 - s.f)
    dz_g = dc * s.i * (1 - s.g**2)
    dz_o = dh * s.tanh_c * s.o * (1 - s.o)
    return dz_i, dz_f, dz_g, dz_o


ll.exercises.check("gate_grads", gate_grads_solution)

# %% [markdown]
# ## 2. Check every gradient numerically
#
# A derivation can be wrong in a way that still "trains", slowly. The standard test is to compare
# with a **numerical gradient**: nudge one number $w$ by $\pm\varepsilon$, rerun the forward pass,
# and divide the change in the loss by $2\varepsilon$,
#
# $$ \frac{\partial L}{\partial w} \approx \frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon} . $$
#
# `ll.gradcheck` does this for every entry of every array and reports the largest **relative
# error** $|a - n| / \max(|a|, |n|)$ between the analytic gradient $a$ and the numerical one $n$.
# In float64 a correct gradient gives errors around $10^{-9}$ or smaller; a wrong one, around
# $10^{-2}$ or worse. (By default it uses a four-point version of the formula above, whose error
# shrinks like $\varepsilon^4$; `lstmlearn/gradcheck.py` explains why.)
#
# The loss here is $L = \sum_t \langle W_t, h_t \rangle$ for a fixed random $W$, so that every
# hidden state matters, and we check the weights, the inputs and the initial state.

# %%
rng = np.random.default_rng(0)
T, B, D, H = 8, 2, 3, 4
p = ll.init_lstm(D, H, rng=rng)
X, h0, c0 = rng.normal(size=(T, B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H))
W = rng.normal(size=(T, B, H))


def loss(W_x, W_h, b, X, h0, c0):
    Hs, _ = ll.lstm_forward(X, ll.LSTMParams(W_x, W_h, b), h0, c0)
    return np.sum(W * Hs)


Hs, trace = ll.lstm_forward(X, p, h0, c0)
g = ll.lstm_backward(W, trace, p)  # dL/dHs = W
report = ll.gradcheck(
    loss,
    dict(W_x=p.W_x, W_h=p.W_h, b=p.b, X=X, h0=h0, c0=c0),
    dict(W_x=g.dparams.W_x, W_h=g.dparams.W_h, b=g.dparams.b, X=g.dX, h0=g.dh0, c0=g.dc0),
)
report

# %% tags=["nbval-check-output"]
print("every array agrees to better than 1e-7:", report.ok(1e-7))

# %% [markdown]
# And a deliberately broken gradient, to see the check fail: at step 1, leave out the path from
# $c_1$ through $h_1$ (use $\delta c_1^{\text{next}}$ where the total $\delta c_1$ belongs), a classic
# bug, and check $\delta c_0$.

# %% tags=["nbval-check-output"]
wrong = ll.gradcheck(
    loss,
    dict(W_x=p.W_x, W_h=p.W_h, b=p.b, X=X, h0=h0, c0=c0),
    dict(c0=g.dc0 - g.dh[0] * trace.o[0] * (1 - trace.tanh_c[0] ** 2) * trace.f[0]),
)
print(f"relative error of the broken dL/dc_0: {wrong['c0']:.1e}")

# %% [markdown]
# The course's tests run this check for the RNN, the LSTM and every variant of notebook 09, over
# many shapes, and compare all gradients with PyTorch's autograd as well.
#
# ## 3. Gradient flow: an RNN and an LSTM on the same input
#
# Notebooks 02 and 04 compared products of Jacobians. Here are the real thing: the gradient of a
# loss at the **last** step, $\lVert \partial L/\partial h_t \rVert$ for every earlier step $t$,
# from the full backward passes of an RNN and an LSTM of the same size, on the same 120-step input.
# For the LSTM we also show the cell path, $\lVert \partial L/\partial c_t \rVert$. The weights come
# from seed 0 and the inputs from seed 1, the seeds the explorer below uses, so its first picture is
# this figure.

# %%
T, H = 120, 32
X = np.random.default_rng(1).normal(size=(T, 1, 1))
last_only = np.zeros((T, 1, H))
last_only[-1] = 1.0  # dL/dh_T = 1, the loss reads only h_T

p_rnn = ll.init_rnn(1, H, rng=np.random.default_rng(0))
_, tr_rnn = ll.rnn_forward(X, p_rnn)
g_rnn = ll.rnn_backward(last_only, tr_rnn, p_rnn)

p_lstm = ll.init_lstm(1, H, rng=np.random.default_rng(0), forget_bias=1.0)
_, tr_lstm = ll.lstm_forward(X, p_lstm)
g_lstm = ll.lstm_backward(last_only, tr_lstm, p_lstm)

# the same RNN with an orthogonal W_h (Q^T Q = I, spectral radius 1) in place of init_rnn's draw
Q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(H, H)))
p_orth = ll.RNNParams(W_x=p_rnn.W_x, W_h=Q, b=p_rnn.b)
_, tr_orth = ll.rnn_forward(X, p_orth)
flow_orth = ll.gradflow.gradient_flow(ll.rnn_backward(last_only, tr_orth, p_orth))

ax = ll.plots.plot_gradient_flow(g_rnn, g_lstm)
ax.plot(np.arange(1, T + 1), flow_orth.h, color="#CC79A7", lw=2, ls=":", label=r"RNN, orthogonal $W_h$")
ax.set_ylim(top=max(ax.get_ylim()[1], 3 * flow_orth.h.max()))
ax.legend(fontsize=8)
ll.plots.show(
    ax.figure,
    alt=f"Gradient norms on a log scale against the step t = 1 .. {T}, from a loss on h_T. At t = 1: the RNN's ||dL/dh_t|| "
    f"is {ll.gradflow.gradient_flow(g_rnn).h[0]:.1e}, the LSTM's ||dL/dh_t|| "
    f"{ll.gradflow.gradient_flow(g_lstm).h[0]:.1e} and its cell path ||dL/dc_t|| "
    f"{ll.gradflow.gradient_flow(g_lstm).c[0]:.1e}; the RNN with an orthogonal W_h {flow_orth.h[0]:.1e}.",
)

# %% tags=["nbval-check-output"]
radius = {s: np.abs(np.linalg.eigvals(ll.init_rnn(1, H, rng=np.random.default_rng(s)).W_h)).max() for s in range(5)}
print(
    f"spectral radius of init_rnn's W_h (H = {H}): {radius[0]:.2f} for seed 0; seeds 0-4: "
    f"{min(radius.values()):.2f} to {max(radius.values()):.2f}"
)
print(f"spectral radius of the orthogonal W_h: {np.abs(np.linalg.eigvals(Q)).max():.2f}")
flow_rnn = ll.gradflow.gradient_flow(g_rnn)
print(f"||dL/dh_1||:  RNN {flow_rnn.h[0]:.1e},  RNN with orthogonal W_h {flow_orth.h[0]:.1e}")

# %% [markdown]
# Both random networks decay, and the RNN's rate is its **spectrum's**, not a law of RNNs:
# `init_rnn` draws $W_h$ uniformly in $\pm 1/\sqrt{H}$, as PyTorch does, and at $H = 32$ such a matrix
# has a spectral radius near 0.6 (printout), so at every step the gradient is multiplied by about
# that factor or a smaller one (notebook 02's $\rho$, lowered by the tanh slopes). The same RNN with an **orthogonal** $W_h$, spectral radius 1,
# loses only what the tanh slopes $1 - h_t^2$ take: its gradient at step 1 is many orders of
# magnitude larger, larger even than the LSTM's at this forget bias. So this figure compares
# initialisations as much as architectures. What the LSTM brings is a path whose rate is its forget
# gates, which the forget bias sets at the start and training can push towards 1 where it pays;
# nothing in training keeps an RNN's $W_h$ orthogonal. How much does the forget bias matter before
# any training? Compare the gradient that reaches step 1 for several biases:

# %% tags=["nbval-check-output"]
print(f"RNN:                  ||dL/dh_1|| = {flow_rnn.h[0]:.1e}")
for b_f in [0.0, 1.0, 3.0]:
    p_b = ll.init_lstm(1, H, rng=np.random.default_rng(0), forget_bias=b_f)
    _, tr_b = ll.lstm_forward(X, p_b)
    flow = ll.gradflow.gradient_flow(ll.lstm_backward(last_only, tr_b, p_b))
    print(
        f"LSTM, forget bias {b_f}: ||dL/dh_1|| = {flow.h[0]:.1e},  ||dL/dc_1|| = {flow.c[0]:.1e},"
        f"  mean f = {tr_b.f.mean():.2f}"
    )

# %% [markdown]
# The explorer runs the same experiment (on `lstmlearn.engine`, so that it answers at once) and lets
# you vary the forget bias, the sequence length and the truncation (next section), with the RNN for
# comparison. At its starting values it draws the curves above:

# %% tags=["nbval-check-output"]
curves = ll.gradflow.flow_curves(forget_bias=1.0, T=T, H=H, seed=0)
flow_lstm = ll.gradflow.gradient_flow(g_lstm)
print(
    "the explorer's curves are the figure's:",
    all(
        np.allclose(a, b, rtol=1e-10, atol=0)
        for a, b in [(curves.rnn_h, flow_rnn.h), (curves.lstm_h, flow_lstm.h), (curves.lstm_c, flow_lstm.c)]
    ),
)

# %%
ll.widgets.gradient_flow_explorer()

# %% [markdown]
# ## 4. Truncated BPTT: two algorithms, what they cost and what they cut
#
# A long sequence makes the full backward pass expensive, and a stream of text has no end to start it
# from. **Truncated backpropagation through time** (Williams & Peng, 1990) stops the backward pass after
# a fixed number of steps. In Sutskever's (2013) notation TBPTT$(k_1, k_2)$ runs a backward pass every
# $k_1$ steps of the forward pass, reaching back $k_2$ steps. `lstmlearn` has two of them:
#
# * **`truncate=k`**, TBPTT$(1, k)$: the loss at *every* step $t$ sends gradient to steps
#   $t, t-1, \dots, t-k+1$ and no further; the state entering that window is treated as a constant.
#   That is `lstm_backward(..., truncate=k)`, written in `lstmlearn/bptt.py` as its definition: exact
#   backpropagation over each loss's window, added up. It does about $k$ times the work of one full
#   backward pass (each loss has a backward pass of its own) and **saves no memory**: the forward trace
#   of every step is kept. What it offers is control: every loss reaches back exactly $k$ steps.
# * **Chunks**, TBPTT$(k, k)$: run the forward pass $k$ steps at a time, hand the final state $(h, c)$
#   of one chunk to the next, and backpropagate within each chunk only. The last loss of a chunk reaches
#   back $k$ steps, its first loss only one. It costs one backward pass and keeps one chunk's trace at a
#   time: this is the truncation that saves memory, and the one notebook 08 trains its text model with
#   (`lstmlearn.tasks.text` makes the chunks, `lstmlearn.train` carries the state).
#
# The two give different gradients. On the 120-step LSTM above, with a loss at every step, here is each
# against the full gradient, and the work each does, counted in calls of `lstm_step_backward`:

# %% tags=["nbval-check-output"]
k = 10
W_all = np.random.default_rng(2).normal(size=(T, 1, H))  # a loss at every step
calls = 0
step_backward = ll.lstm.lstm_step_backward


def counted(*args):
    global calls
    calls += 1
    return step_backward(*args)


ll.lstm.lstm_step_backward = counted  # count the steps each algorithm backpropagates through
try:
    calls = 0
    full = ll.lstm_backward(W_all, tr_lstm, p_lstm).dparams.W_h
    calls_full = calls
    calls = 0
    every_step = ll.lstm_backward(W_all, tr_lstm, p_lstm, truncate=k).dparams.W_h
    calls_every_step = calls
    calls, chunked, state = 0, 0, (None, None)
    for start in range(0, T, k):  # forward k steps from the carried state, backward within the chunk
        _, tr_chunk = ll.lstm_forward(X[start : start + k], p_lstm, *state)
        chunked = chunked + ll.lstm_backward(W_all[start : start + k], tr_chunk, p_lstm).dparams.W_h
        state = (tr_chunk.h[-1], tr_chunk.c[-1])
    calls_chunked = calls
finally:
    ll.lstm.lstm_step_backward = step_backward


def rel(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


print(f"full BPTT:          {calls_full:>5} step backwards")
print(
    f"truncate={k}:        {calls_every_step:>5} step backwards, dL/dW_h off the full one by {rel(every_step, full):.0%}"
)
print(f"chunks of {k} steps: {calls_chunked:>5} step backwards, dL/dW_h off the full one by {rel(chunked, full):.0%}")
print(f"the two truncations differ from each other by {rel(chunked, every_step):.0%}")

# %% [markdown]
# Whichever truncation you use, look at what it cuts: the **gradient**, never the forward state. With a
# loss at $T = 120$ only, beyond $k$ steps no gradient arrives at all:

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.3))
cut = {}  # truncate -> ||dL/dc_t||, t = 1 .. T
for n, (k_cut, colour) in enumerate([(None, "#0072B2"), (40, "#009E73"), (10, "#E69F00")]):
    g_k = ll.lstm_backward(last_only, tr_lstm, p_lstm, truncate=k_cut)
    norms = cut[k_cut] = ll.gradflow.gradient_flow(g_k).c
    ax.semilogy(
        np.arange(1, T + 1),
        np.maximum(norms, 1e-30),
        color=colour,
        lw=2,
        label="full BPTT" if k_cut is None else f"truncate = {k_cut}",
        **ll.plots.style.series_style(n, T),  # a line style and marker each, not colour alone
    )
ax.set(
    xlabel="step $t$",
    ylabel=r"$\|\partial L/\partial c_t\|$",
    ylim=(1e-12, 10),
    title="A loss at T = 120: truncation cuts the gradient at T - k",
)
ax.legend(fontsize=8)
ll.plots.show(
    fig,
    alt=f"||dL/dc_t|| on a log scale against the step t = 1 .. {T}, for a loss at T = {T}: "
    + "; ".join(
        f"{'full BPTT' if k is None else f'truncate = {k}'}: a gradient from step {np.flatnonzero(norms > 0)[0] + 1} "
        f"on, {norms[norms > 0][0]:.1e} there"
        for k, norms in cut.items()
    )
    + ".",
)

# %% [markdown]
# So the gradient of the weights from a truncated pass is an approximation, and what it leaves out is
# precisely the long-range part: nothing in it asks the weights to carry information more than $k$ steps.
# The forward pass is not cut, though. The state still flows through every step (across every chunk
# border, in notebook 08), so a network can still *use* information older than $k$ steps when the
# memory it learned for shorter spans happens to keep it: notebook 08's model, trained on chunks of 50
# characters, reads each stream continuously. What truncation removes is the training signal for longer
# dependencies, not the ability to carry state. How big is the part it leaves out here?

# %% tags=["nbval-check-output"]
full = ll.lstm_backward(last_only, tr_lstm, p_lstm).dparams.W_h.ravel()
for k_cut in [5, 10, 40, 80]:
    cut = ll.lstm_backward(last_only, tr_lstm, p_lstm, truncate=k_cut).dparams.W_h.ravel()
    cosine = full @ cut / (np.linalg.norm(full) * np.linalg.norm(cut))
    print(
        f"truncate = {k_cut:>2}: cosine with the full dL/dW_h = {cosine:.6f},"
        f"  relative difference = {np.linalg.norm(cut - full) / np.linalg.norm(full):.1e}"
    )

# %% [markdown]
# In this untrained network most of the gradient comes from the last few dozen steps, so a window of
# 40 recovers the full gradient's direction almost exactly, while windows of 5 or 10 steps are off
# by a visible angle. What a window always misses, however small it looks here, is precisely the
# long-range part, and that is the part a long-lag task needs.
#
# ## Check your understanding
#
# 1. Why is $\delta c_t$ a sum of two terms, and which of them is $\delta c_t^{\text{next}}$?
# 2. Which single factor multiplies the gradient along the cell path from $c_t$ to $c_{t-1}$?
# 3. Your analytic gradient and the numerical one differ with relative error $3 \times 10^{-3}$ in
#    float64. Is your backward pass probably right?
# 4. With `truncate=10`, does training push the weights to carry an input that a loss needs 30 steps
#    later? Could the trained network carry it all the same?
# 5. You need to train on sequences too long to keep in memory. Which truncation do you use?
#
# <details><summary>Answers</summary>
#
# 1. $c_t$ is used in two places, in $h_t = o_t \tanh(c_t)$ and in $c_{t+1}$; the chain rule adds the
#    gradients of all the paths from a value to the loss. $\delta c_t^{\text{next}}$ is the one that comes
#    back from $c_{t+1}$.
# 2. The forget gate, $f_t$: $\delta c_{t-1}^{\text{next}} = \delta c_t \odot f_t$. The total
#    $\delta c_{t-1}$ adds the gradient that reaches $c_{t-1}$ through $h_{t-1}$, computed by step $t - 1$.
# 3. Almost certainly not: a correct gradient in float64 agrees to $10^{-7}$ or much better.
#    Errors of $10^{-3}$ usually mean a missing or wrong term (or a non-differentiable point).
# 4. No: the gradient of that loss never reaches 30 steps back, so nothing pushes the weights to carry
#    the input that far. But the forward state is not cut: if memory learned for shorter spans keeps the
#    input for 30 steps, the network can use it.
# 5. Chunks (TBPTT$(k, k)$), carrying the state from chunk to chunk: it keeps one chunk's trace in memory.
#    `truncate=k` keeps the whole trace and does $k$ times the backward work.
#
# </details>
#
# ## Key points
#
# * The backward step runs the forward lines in reverse: $h = o \tanh(c)$, then $c = f c_{t-1} + i g$,
#   then the gate squashings, then $z = x W_x + h_{t-1} W_h + b$; values used twice get summed gradients.
#   `lstm_step_backward` in `lstmlearn/lstm.py` is those equations, one a line; training runs the same
#   numbers on the faster `lstmlearn.engine`.
# * Along the cell path, $\delta c_{t-1}^{\text{next}} = \delta c_t \odot f_t$: the forget gate alone decides
#   how much gradient survives.
# * Check every gradient against central differences in float64; correct ones agree to about $10^{-9}$.
# * Truncated BPTT cuts the gradient, not the state. `truncate=k` gives every loss exactly $k$ steps at
#   $k$ times the work and no memory saved; chunks with a carried state save memory at one backward pass.
#   Either way the weights get no training signal for dependencies longer than the window.
#
# **Next:** [07 · Learning long time lags](07_long_time_lags.ipynb)
