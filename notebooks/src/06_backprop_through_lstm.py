# %% [markdown]
# # 06 · Backpropagation through an LSTM
#
# | | |
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
# $v$, with the shape of $v$. Coming into step $t$ from later on we have two gradients:
#
# * $\delta h_t$: from the loss at step $t$ (if it reads $h_t$) **plus** what flows back from step
#   $t + 1$ through $h_t$;
# * $\delta c_t^{\text{next}}$: what flows back from step $t + 1$ along the cell path.
#
# Now take the forward lines from the bottom up.
#
# **$h_t = o_t \odot \tanh(c_t)$.** A product: each factor's gradient is the other factor times $\delta h_t$.
#
# $$ \delta o_t = \delta h_t \odot \tanh(c_t), \qquad
#    \delta c_t = \delta c_t^{\text{next}} + \delta h_t \odot o_t \odot \big(1 - \tanh^2(c_t)\big). $$
#
# $c_t$ is used twice (to make $h_t$, and by the next step), so its gradient is a **sum** of the two paths.
#
# **$c_t = f_t \odot c_{t-1} + i_t \odot g_t$.** A sum of two products:
#
# $$ \delta f_t = \delta c_t \odot c_{t-1}, \quad \delta i_t = \delta c_t \odot g_t, \quad
#    \delta g_t = \delta c_t \odot i_t, \quad \delta c_{t-1} = \delta c_t \odot f_t . $$
#
# The last one is the cell path of notebook 04: the gradient passes back multiplied only by $f_t$.
#
# **The gates.** Each gate is a squashing function of a pre-activation $z$. With the derivatives
# written through the stored outputs, $\sigma' = \sigma(1 - \sigma)$ and $\tanh' = 1 - \tanh^2$:
#
# $$ \delta z_i = \delta i_t \odot i_t (1 - i_t), \quad \delta z_f = \delta f_t \odot f_t (1 - f_t), \quad
#    \delta z_g = \delta g_t \odot (1 - g_t^2), \quad \delta z_o = \delta o_t \odot o_t (1 - o_t). $$
#
# **$z = x_t W_x + h_{t-1} W_h + b$** (all four gates, $\delta z = [\delta z_i \mid \delta z_f \mid \delta z_g \mid \delta z_o]$, shape $(B, 4H)$):
#
# $$ \delta W_x \mathrel{+}= x_t^\top \delta z, \quad \delta W_h \mathrel{+}= h_{t-1}^\top \delta z, \quad
#    \delta b \mathrel{+}= \textstyle\sum_{\text{batch}} \delta z, \quad
#    \delta x_t = \delta z\, W_x^\top, \quad \delta h_{t-1} = \delta z\, W_h^\top . $$
#
# The weights get a sum over steps (the same weights are used at every step), and $\delta h_{t-1}$
# joins the loss's gradient at step $t - 1$ for the next round. That is the whole backward pass.
# Open `lstmlearn/lstm.py`: `lstm_step_backward`'s docstring is this list, and its code follows
# it line by line; `lstm_backward` runs it from $t = T$ down to 1.
#
# ### Exercise 1: the cell gradients
#
# Given $\delta h_t$ (`dh`), $\delta c_t^{\text{next}}$ (`dc`) and the step's record `s` (an
# `LSTMStep` with fields `i, f, g, o, c_prev, c, tanh_c, h`), return the pair
# $(\delta c_t, \delta c_{t-1})$.

# %% tags=["exercise"]
def cell_backward(dh, dc, s):
    """Return (dc_t including both paths, dc_{t-1} along the cell path)."""
    raise NotImplementedError  # your code here


ll.exercises.check("cell_backward", cell_backward)

# %% [markdown]
# **Solution** (open after trying)

# %% tags=["solution"]
def cell_backward_solution(dh, dc, s):
    dc_t = dc + dh * s.o * (1 - s.tanh_c**2)
    return dc_t, dc_t * s.f


ll.exercises.check("cell_backward", cell_backward_solution)

# %% [markdown]
# ### Exercise 2: the gate pre-activations
#
# Same inputs; return $(\delta z_i, \delta z_f, \delta z_g, \delta z_o)$. Compute $\delta c_t$ first
# (your `cell_backward` may help).

# %% tags=["exercise"]
def gate_grads(dh, dc, s):
    """Return (dz_i, dz_f, dz_g, dz_o), each (B, H)."""
    raise NotImplementedError  # your code here


ll.exercises.check("gate_grads", gate_grads)

# %% [markdown]
# **Solution** (open after trying)

# %% tags=["solution"]
def gate_grads_solution(dh, dc, s):
    dc_t, _ = cell_backward_solution(dh, dc, s)
    dz_i = dc_t * s.g * s.i * (1 - s.i)
    dz_f = dc_t * s.c_prev * s.f * (1 - s.f)
    dz_g = dc_t * s.i * (1 - s.g**2)
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
report = ll.gradcheck(loss, dict(W_x=p.W_x, W_h=p.W_h, b=p.b, X=X, h0=h0, c0=c0),
                      dict(W_x=g.params.W_x, W_h=g.params.W_h, b=g.params.b, X=g.X, h0=g.h0, c0=g.c0))
report

# %%
# NBVAL_CHECK_OUTPUT
print("every array agrees to better than 1e-7:", report.ok(1e-7))

# %% [markdown]
# And a deliberately broken gradient, to see the check fail: at step 1, leave out the path from
# $c_1$ through $h_1$ (keep only $\delta c_1^{\text{next}}$), a classic bug, and check $\delta c_0$.

# %%
# NBVAL_CHECK_OUTPUT
wrong = ll.gradcheck(loss, dict(W_x=p.W_x, W_h=p.W_h, b=p.b, X=X, h0=h0, c0=c0),
                     dict(c0=g.c0 - g.h[0] * trace.o[0] * (1 - trace.tanh_c[0] ** 2) * trace.f[0]))
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
# For the LSTM we also show the cell path, $\lVert \partial L/\partial c_t \rVert$.

# %%
T, H = 120, 32
X = np.random.default_rng(1).normal(size=(T, 1, 1))
last_only = np.zeros((T, 1, H))
last_only[-1] = 1.0  # dL/dh_T = 1, the loss reads only h_T

p_rnn = ll.init_rnn(1, H, rng=np.random.default_rng(2))
_, tr_rnn = ll.rnn_forward(X, p_rnn)
g_rnn = ll.rnn_backward(last_only, tr_rnn, p_rnn)

p_lstm = ll.init_lstm(1, H, rng=np.random.default_rng(2), forget_bias=1.0)
_, tr_lstm = ll.lstm_forward(X, p_lstm)
g_lstm = ll.lstm_backward(last_only, tr_lstm, p_lstm)

ax = ll.plots.plot_gradient_flow(g_rnn, g_lstm)
plt.show()

# %% [markdown]
# Both decay, because nothing has been trained: these are random networks. But the LSTM's gradient,
# carried along the cell path, decays far more slowly than the RNN's, and it decays at a rate set by
# the forget gates, which training can push towards 1. How much does the forget bias matter before
# any training? Compare the gradient that reaches step 1 for several biases:

# %%
# NBVAL_CHECK_OUTPUT
flow_rnn = ll.gradflow.gradient_flow(g_rnn)
print(f"RNN:                  ||dL/dh_1|| = {flow_rnn.h[0]:.1e}")
for b_f in [0.0, 1.0, 3.0]:
    p_b = ll.init_lstm(1, H, rng=np.random.default_rng(2), forget_bias=b_f)
    _, tr_b = ll.lstm_forward(X, p_b)
    flow = ll.gradflow.gradient_flow(ll.lstm_backward(last_only, tr_b, p_b))
    print(f"LSTM, forget bias {b_f}: ||dL/dh_1|| = {flow.h[0]:.1e},  ||dL/dc_1|| = {flow.c[0]:.1e},"
          f"  mean f = {tr_b.f.mean():.2f}")

# %% [markdown]
# The explorer lets you vary the same experiment: the forget bias, the sequence length and the
# truncation (next section), with the RNN for comparison.

# %%
ll.widgets.gradient_flow_explorer()

# %% [markdown]
# ## 4. Truncated BPTT and what it cuts
#
# Backpropagating through a whole long sequence costs memory (the trace of every step) and time.
# **Truncated backpropagation through time** stops the backward pass after $k$ steps: the loss at
# step $t$ sends gradient to steps $t, t-1, \dots, t-k+1$ only, and the state entering that window is
# treated as a constant. In `lstmlearn` that is `lstm_backward(..., truncate=k)`. (Language models
# also run the forward pass in chunks and carry the state across them, notebook 08; that is the same
# cut, placed at chunk boundaries.)
#
# The cut is exact: beyond $k$ steps, no gradient arrives at all.

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.3))
for k, colour in [(None, "#0072B2"), (40, "#009E73"), (10, "#E69F00")]:
    g_k = ll.lstm_backward(last_only, tr_lstm, p_lstm, truncate=k)
    norms = ll.gradflow.gradient_flow(g_k).c
    ax.semilogy(np.arange(1, T + 1), np.maximum(norms, 1e-30), color=colour, lw=2,
                label="full BPTT" if k is None else f"truncate = {k}")
ax.set(xlabel="step $t$", ylabel=r"$\|\partial L/\partial c_t\|$", ylim=(1e-12, 10),
       title="A loss at T = 120: truncation cuts the gradient at T - k")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# What does the cut cost? The gradient of the weights from a truncated pass is an approximation.
# For a loss that depends on the distant past it misses exactly the part that would teach long-range
# memory: if a task needs information from 50 steps back, a truncation of 10 cannot learn it,
# however long it trains.

# %%
# NBVAL_CHECK_OUTPUT
full = ll.lstm_backward(last_only, tr_lstm, p_lstm).params.W_h.ravel()
for k in [5, 10, 40, 80]:
    cut = ll.lstm_backward(last_only, tr_lstm, p_lstm, truncate=k).params.W_h.ravel()
    cosine = full @ cut / (np.linalg.norm(full) * np.linalg.norm(cut))
    print(f"truncate = {k:>2}: cosine with the full dL/dW_h = {cosine:.6f},"
          f"  relative difference = {np.linalg.norm(cut - full) / np.linalg.norm(full):.1e}")

# %% [markdown]
# In this untrained network most of the gradient comes from the last few dozen steps, so a window of
# 40 recovers the full gradient's direction almost exactly, while windows of 5 or 10 steps are off
# by a visible angle. What a window always misses, however small it looks here, is precisely the
# long-range part, and that is the part a long-lag task needs.
#
# ## Check your understanding
#
# 1. Why is $\delta c_t$ a sum of two terms?
# 2. Which single factor multiplies the gradient along the cell path from $c_t$ to $c_{t-1}$?
# 3. Your analytic gradient and the numerical one differ with relative error $3 \times 10^{-3}$ in
#    float64. Is your backward pass probably right?
# 4. With `truncate=10`, can the weights learn that an input 30 steps before the loss matters?
#
# <details><summary>Answers</summary>
#
# 1. $c_t$ is used in two places, in $h_t = o_t \tanh(c_t)$ and in $c_{t+1}$; the chain rule adds the
#    gradients of all the paths from a value to the loss.
# 2. The forget gate, $f_t$: $\delta c_{t-1} = \delta c_t \odot f_t$ (plus the gradient that reaches
#    $c_{t-1}$ through $h_{t-1}$ and the gates, which is computed separately).
# 3. Almost certainly not: a correct gradient in float64 agrees to $10^{-7}$ or much better.
#    Errors of $10^{-3}$ usually mean a missing or wrong term (or a non-differentiable point).
# 4. No: the gradient of that loss never reaches 30 steps back, so nothing pushes the weights to
#    carry the information that far.
#
# </details>
#
# ## Key points
#
# * The backward step runs the forward lines in reverse: $h = o \tanh(c)$, then $c = f c_{t-1} + i g$,
#   then the gate squashings, then $z = x W_x + h_{t-1} W_h + b$; values used twice get summed gradients.
# * Along the cell path, $\delta c_{t-1} = \delta c_t \odot f_t$: the forget gate alone decides how much
#   gradient survives.
# * Check every gradient against central differences in float64; correct ones agree to about $10^{-9}$.
# * Truncated BPTT with window $k$ cuts all gradient beyond $k$ steps, and with it the ability to learn
#   dependencies longer than $k$.
#
# **Next:** [07 · Learning long time lags](07_long_time_lags.ipynb)
