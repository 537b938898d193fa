# %% [markdown]
# # 04 · The cell state
#
# | This notebook | in short |
# |---|---|
# | **You will be able to** | follow the update $c_t = f_t \odot c_{t-1} + i_t \odot g_t$; relate a forget value to a memory half-life; explain why gradients survive along the cell path, where $\partial c_t / \partial c_{t-1} = \operatorname{diag}(f_t)$; say what the 1997 LSTM did without a forget gate |
# | **Expected time** | 40 minutes |
# | **Prerequisites** | [03 · Gates](03_gates.ipynb) |

# %%
import matplotlib.pyplot as plt
import numpy as np

import lstmlearn as ll

# %% [markdown]
# The **cell state** $c_t$ is the LSTM's long-term memory: a vector of $H$ numbers that runs
# through the whole sequence like a conveyor belt. At each step the gates of notebook 03 act on it
# in exactly one line:
#
# $$ c_t = f_t \odot c_{t-1} + i_t \odot g_t . $$
#
# * $f_t \odot c_{t-1}$: the forget gate keeps a fraction of each cell's old content;
# * $i_t \odot g_t$: the input gate scales the candidate values, which are then **added**.
#
# Nothing else touches $c_t$: no weight matrix, no squashing function. That simplicity is the whole
# trick of the LSTM, and this notebook looks at it from three sides: what it remembers, how long,
# and what it does to gradients.
#
# ## 1. The update, by hand
#
# Three cells with old contents $c_{t-1} = (2, -1, 0.5)$:
#
# | cell | $f$ | $c_{t-1}$ | kept $f\,c_{t-1}$ | $i$ | $g$ | written $i\,g$ | $c_t$ |
# |---|---|---|---|---|---|---|---|
# | 1 | 0.95 | 2.0 | 1.90 | 0.05 | 0.8 | 0.04 | 1.94 |
# | 2 | 0.10 | -1.0 | -0.10 | 0.90 | 0.6 | 0.54 | 0.44 |
# | 3 | 0.50 | 0.5 | 0.25 | 0.50 | -0.9 | -0.45 | -0.20 |
#
# Cell 1 holds on to its memory and ignores the new input; cell 2 mostly forgets and overwrites;
# cell 3 does a bit of both, and its negative candidate pulls it below zero.

# %% tags=["nbval-check-output"]
f = np.array([0.95, 0.10, 0.50])
i = np.array([0.05, 0.90, 0.50])
g = np.array([0.8, 0.6, -0.9])
c_prev = np.array([2.0, -1.0, 0.5])
print("c_t =", f * c_prev + i * g)

# %% [markdown]
# ### Exercise 1: the cell update
#
# Write the update for arrays of any (matching) shape.


# %% tags=["exercise"]
def cell_update(f, i, g, c_prev):
    """c = f * c_prev + i * g"""
    raise NotImplementedError  # your code here


ll.exercises.check("cell_update", cell_update)


# %% tags=["solution"]
def cell_update(f, i, g, c_prev):
    return f * c_prev + i * g


ll.exercises.check("cell_update", cell_update)

# %% [markdown]
# ## 2. How long does a cell remember? The half-life
#
# Suppose the input gate stays shut ($i_t = 0$) and the forget gate sits at a constant value $f$.
# Then $c_t = f\, c_{t-1}$ and after $t$ steps
#
# $$ c_t = f^{\,t}\, c_0 . $$
#
# The memory decays geometrically. The number of steps after which half of it is gone, the
# **half-life**, solves $f^{\,t} = \tfrac12$:
#
# $$ t_{1/2} = \frac{\ln(1/2)}{\ln f} . $$
#
# The closer $f$ is to 1, the longer the memory, and the relation is steep: $f = 0.9$ remembers for
# a handful of steps, $f = 0.99$ for about seventy, $f = 0.999$ for about seven hundred.

# %% [markdown]
# ### Exercise 2: the half-life
#
# Write `half_life(f)` for a number or an array of forget values in $(0, 1)$. (`np.log` is the natural
# logarithm.)


# %% tags=["exercise"]
def half_life(f):
    """Steps until f**t falls to 1/2."""
    raise NotImplementedError  # your code here


ll.exercises.check("half_life", half_life)


# %% tags=["solution"]
def half_life(f):
    return np.log(0.5) / np.log(f)


ll.exercises.check("half_life", half_life)

# %% tags=["nbval-check-output"]
for f_value in [0.5, 0.9, 0.99, 0.999]:
    print(f"f = {f_value:<6} half-life = {float(ll.memory.half_life(f_value)):7.1f} steps")

# %%
T = 200
fig, ax = plt.subplots(figsize=(6.5, 3.2))
ends = {}  # f -> c_t, t = 0 .. T
for n, (f_value, colour) in enumerate([(0.9, "#E69F00"), (0.97, "#009E73"), (0.99, "#0072B2"), (0.999, "#CC79A7")]):
    c = ends[f_value] = ll.memory.cell_trajectory(f=f_value, i=0.0, g=0.0, T=T, c0=1.0)
    ax.plot(
        np.arange(T + 1),
        c,
        color=colour,
        lw=2,
        label=f"$f = {f_value}$, half-life {float(ll.memory.half_life(f_value)):.0f}",
        **ll.plots.style.series_style(n, T + 1),  # a line style and marker each, not colour alone
    )
ax.axhline(0.5, color="0.5", lw=0.8, ls=":")
ax.set(xlabel="step $t$", ylabel="$c_t$", title="What is left of $c_0 = 1$ without new input")
ax.legend(fontsize=8)
ll.plots.show(
    fig,
    alt=f"What is left of c_0 = 1 without new input: c_t against t = 0 .. {T}, one curve per forget value f, "
    "a dotted line at 0.5 where each curve's half-life ends. "
    + "; ".join(
        f"f = {f_value}: half-life {float(ll.memory.half_life(f_value)):.0f} steps, c_{T} = {c[-1]:.2g}"
        for f_value, c in ends.items()
    )
    + ".",
)

# %% [markdown]
# **The forget bias.** The forget gate is $f_t = \sigma(x_t W_{xf} + h_{t-1} W_{hf} + b_f)$. When the
# weighted inputs are small, $f_t \approx \sigma(b_f)$, so the bias $b_f$ sets the cell's default
# memory. With $b_f = 0$ a fresh network forgets half of each cell at every step, which is why
# `ll.init_lstm` adds `forget_bias=1.0` by default ($\sigma(1) = 0.73$), as Gers et al. (2000)
# and Jozefowicz et al. (2015) recommend.
#
# The table below shows that $b_f = 1$ hardly lengthens the memory: a half-life of about two steps
# instead of one. What it changes at the start of training is the **gradient**. Along the cell path
# (section 4) a gradient is multiplied by $f$ at every step, so over 20 steps by $f^{20}$: compare
# that column for $b_f = 0$ and $b_f = 1$. $b_f = 1$ buys about 2,000 times as much gradient as
# $b_f = 0$, and that is still only 0.2 %: about what notebook 02 calls vanished (a tanh RNN at
# $\rho = 0.9$ keeps $7.5 \times 10^{-4}$ over 20 steps). The starting bias alone does not carry an
# error far. The LSTM's edge is what training can do with this path: push $f$ towards 1 in the cells
# that need a long memory, and, since $\operatorname{diag}(f) \le 1$, the path can never explode.
# Notebook 09 measures what the starting bias changes in training.

# %% tags=["nbval-check-output"]
for b_f in [0.0, 1.0, 3.0, 5.0]:
    f_value = float(ll.sigmoid(b_f))
    print(
        f"b_f = {b_f}:  f = sigma(b_f) = {f_value:.4f},  half-life {float(ll.memory.half_life(f_value)):6.1f} steps,"
        f"  gradient along the cell path over 20 steps f^20 = {f_value**20:.1e}"
        + (f" ({f_value**20 / 0.5**20:,.0f} times b_f = 0's)" if b_f > 0 else "")
    )

# %% [markdown]
# **Writing.** With a steady write $i\,g$ each step, the cell moves towards the fixed point where
# forgetting and writing balance, $c^* = f c^* + i g$, that is $c^* = \dfrac{i\,g}{1 - f}$. With
# $f$ near 1 that fixed point is far away and the cell acts as an **accumulator**: it adds up what
# it is given. Notebook 07 shows a trained LSTM using exactly this on the adding problem: it adds two
# marked numbers from the first half of a long sequence and holds their sum until the sequence ends.
#
# ## 3. Explore the cell state
#
# The explorer shows $c_t$ under constant gates, what is left of $c_0$ without input (with the
# half-life marked), and, on the right, the gradient along the cell path, the subject of the next
# section. Things to try: push $f$ to 0.99 and then 1.0; set $i = 0$; make $g$ negative.

# %%
ll.widgets.cell_state_explorer()

# %% [markdown]
# ## 4. Why gradients survive along the cell path
#
# Notebook 02 showed that in a vanilla RNN the gradient reaching an earlier step is multiplied at
# each step by a Jacobian $\operatorname{diag}(1 - h_t^2)\,W_h^\top$, and so shrinks or grows
# geometrically. Differentiate the cell update with respect to the old cell state, holding the
# gates fixed:
#
# $$ \frac{\partial c_t}{\partial c_{t-1}} = \operatorname{diag}(f_t) . $$
#
# No weight matrix, no derivative of a squashing function: only the forget gate itself. Along the
# cell path, the gradient from step $T$ back to step $t$ is
#
# $$ \frac{\partial c_T}{\partial c_t} = \operatorname{diag}\!\left(f_{t+1} \odot f_{t+2} \odot \cdots \odot f_T\right). $$
#
# If the network keeps $f \approx 1$ for a cell, the gradient passes back along this path **almost
# unchanged** over distances short against $1/(1 - f)$ steps; over far longer ones even $f = 0.99$
# lets it fade (printout below), and only $f = 1$ exactly keeps it whole, however far. Hochreiter
# and Schmidhuber called this path the **constant error carousel**.
# The cell can carry information for hundreds of steps, and the gradient that teaches it to do so
# travels the same distance. (The gates also depend on $h_{t-1}$, which depends on $c_{t-1}$, so
# the full gradient has further paths through the gates; the cell path is the one that need not
# vanish.)
#
# %% tags=["nbval-check-output"]
for f_value in [0.99, 0.999]:
    print(
        f"f = {f_value}: 1/(1 - f) = {1 / (1 - f_value):.0f} steps;  "
        f"f^100 = {f_value**100:.2f},  f^1000 = {f_value**1000:.1e}"
    )

# %% [markdown]
# That is one line of the backward step in `lstmlearn/lstm.py` (`lstm_step_backward`, notebook 06):
# <!-- quote lstmlearn/lstm.py lstm_step_backward -->
# `dc_prev = dc * s.f`.
#
# Let us measure it on real, untrained networks reading the same 150 random inputs: an LSTM whose
# forget gates start near 1 ($b_f = 5$), one whose forget gates start near one half ($b_f = 0$), and a
# vanilla RNN. The left panel multiplies Jacobians along one path, as notebook 02 did: for each LSTM
# the cell path's $\operatorname{diag}(f_{t+1} \odot \cdots \odot f_T)$, from the forget values the
# network actually computed (its largest entry), and for the RNN the whole $\partial h_T/\partial h_t$.
# The right panel is what backpropagation delivers for a loss on the last hidden state $h_T$.

# %%
T, H = 150, 16
X = np.random.default_rng(1).normal(size=(T, 1, 1))
dHs = np.zeros((T, 1, H))
dHs[-1] = 1.0  # a loss that reads only h_T
traces, cell_paths, flows = {}, {}, {}
for b_f in [5.0, 0.0]:
    p = ll.init_lstm(1, H, rng=np.random.default_rng(0), forget_bias=b_f)
    _, traces[b_f] = ll.lstm_forward(X, p)
    grads = ll.lstm_backward(dHs, traces[b_f], p)
    cell_paths[b_f] = ll.memory.cell_path_gradient(traces[b_f].f[:, 0]).max(axis=1)  # t = 0 .. T
    flows[b_f] = ll.gradflow.gradient_flow(grads).c  # ||dL/dc_t||, t = 1 .. T
p_rnn = ll.init_rnn(1, H, rng=np.random.default_rng(0))
_, trace_rnn = ll.rnn_forward(X, p_rnn)
rnn_path = ll.gradflow.rnn_jacobian_norms(trace_rnn, p_rnn)  # ||dh_T/dh_t||, t = 0 .. T
rnn_flow = ll.gradflow.gradient_flow(ll.rnn_backward(dHs, trace_rnn, p_rnn)).h  # ||dL/dh_t||, t = 1 .. T

paths = {f"LSTM cell path $\\partial c_T/\\partial c_t$, $b_f = {b_f:g}$": v for b_f, v in cell_paths.items()}
paths[r"RNN $\|\partial h_T/\partial h_t\|$"] = rnn_path
delivered = {f"LSTM $\\|\\partial L/\\partial c_t\\|$, $b_f = {b_f:g}$": v for b_f, v in flows.items()}
delivered[r"RNN $\|\partial L/\partial h_t\|$"] = rnn_flow
shown = np.concatenate([v[v > 0] for v in [*paths.values(), *delivered.values()]])
ylim = (shown.min() / 3, shown.max() * 3)  # one scale for both panels

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.8), layout="constrained")
ll.plots.plot_gradient_norms(
    paths, t=np.arange(T + 1), ax=left, regimes=False, ylim=ylim, ylabel="size of the Jacobian product"
)
left.set_title("The paths alone: products of Jacobians back to step t")
ll.plots.plot_gradient_norms(
    delivered, t=np.arange(1, T + 1), ax=right, regimes=False, ylim=ylim, ylabel="gradient norm at step $t$"
)
right.set_title(f"A loss on $h_T$ (T = {T}): the gradient reaching step t")
ll.plots.show(
    fig,
    alt=f"Two panels on one log scale against the step t, T = {T}. Left, the paths alone, at t = 0: "
    + ", ".join(f"LSTM cell path (b_f = {b_f:g}) {v[0]:.1e}" for b_f, v in cell_paths.items())
    + f", RNN {rnn_path[0]:.1e}. Right, the gradient a loss on h_T delivers, at t = 1: "
    + ", ".join(f"LSTM (b_f = {b_f:g}) {v[0]:.1e}" for b_f, v in flows.items())
    + f", RNN {rnn_flow[0]:.1e}.",
)

# %% tags=["nbval-check-output"]
for b_f, trace in traces.items():
    c_T, f_mean = trace.c[-1, 0], trace.f.mean()  # c_T: (H,)
    flat = int(np.sum(1 - np.tanh(c_T) ** 2 < 0.01))  # units where tanh'(c_T) < 0.01
    print(
        f"b_f = {b_f:g}: mean f = {f_mean:.3f}, 1/(1 - f) = {1 / (1 - f_mean):.0f};  largest |c_T| = "
        f"{np.abs(c_T).max():.1f}, tanh'(c_T) < 0.01 in {flat} of {H} units"
    )
    print(
        f"         cell path over {T} steps: {cell_paths[b_f][0]:.1e};  "
        f"||dL/dc_T|| = {flows[b_f][-1]:.1e}, ||dL/dc_1|| = {flows[b_f][0]:.1e}"
    )
low = int(np.argmin(flows[5.0]))  # flows[b_f][t - 1] = ||dL/dc_t||
print(
    f"b_f = 5: ||dL/dc_t|| is lowest at t = {low + 1}, {flows[5.0][-1] / flows[5.0][low]:.1f} times below "
    f"||dL/dc_T||; at t = 1 it is {flows[5.0][0] / flows[5.0][-1]:.1f} times ||dL/dc_T||"
)
print(
    f"RNN:     path over {T} steps: {rnn_path[0]:.1e};  ||dL/dh_T|| = {rnn_flow[-1]:.1e}, ||dL/dh_1|| = {rnn_flow[0]:.1e}"
)

# %% [markdown]
# **Left: the paths alone.** With $b_f = 5$ the forget gates sit near 0.99 and the cell path still
# carries a sizeable fraction after 150 steps: the constant error carousel, measured. With $b_f = 0$
# the cell path shrinks by about half at every step, and the RNN's Jacobian product falls about as
# steeply.
#
# **Right: a loss on $h_T$.** Backpropagation delivers what the paths allow, with one surprise: with
# $b_f = 5$ the gradient that reaches $c_T$ is already hundreds of times smaller than with $b_f = 0$.
# The cells of this untrained network have **filled up**. Their forget gates keep almost everything
# and they are written to at every step, so each cell drifts towards $i g/(1 - f)$, here $1/(1 - f)$
# times a typical write $i g$ (printout): the largest $|c_T|$ is in the tens, where tanh is flat. The
# loss reads $h_T = o_T \odot \tanh(c_T)$, and $\partial h_T/\partial c_T = o_T (1 - \tanh^2 c_T)$ is
# close to 0 in every unit, so almost no gradient enters the cells at step $T$. What does enter is
# carried back with little loss per step: it dips about 2.6 times over a hundred steps (printout),
# where the RNN's falls by orders of magnitude, and then rises again, because gradient also enters
# the cells at earlier steps (through $h_t$ and the gates), where they had not yet saturated.
#
# Both panels are true at once: the cell path keeps what it is given, and a cell that keeps
# everything and is written to at every step fills up until its output stops responding. The second
# half is the weakness of the 1997 LSTM (section 5), and the reason $b_f = 1$, not 5, is the usual
# starting point: training then learns, unit by unit, where a forget value near 1 is worth it.

# %% [markdown]
# > **What the forget gate is for.** You may read that the forget gate "uses the vanishing gradient
# > problem to our advantage" because anything multiplied by 0 is forgotten. That mixes up two
# > things. The forget gate's multiplication lets the network **choose** to reset a memory (and,
# > along with it, the gradient through that memory), which is useful when a new sentence or
# > episode begins. The LSTM's **protection against vanishing gradients** comes from the *additive*
# > update, whose Jacobian along the cell path is $\operatorname{diag}(f_t)$: when the network keeps
# > $f_t \approx 1$, gradients flow back undiminished. The vanishing gradient problem is not being
# > used; it is being avoided.
#
# ## 5. The 1997 LSTM had no forget gate
#
# The original LSTM (Hochreiter and Schmidhuber, 1997) had input and output gates only; its cell
# update was $c_t = c_{t-1} + i_t \odot g_t$, which is our update with $f_t = 1$ fixed. That is the
# constant error carousel in its purest form.
#
# The paper also says why the carousel needs gates. A unit that only keeps its value, with plain
# weights into and out of it, meets two **weight conflicts**. The *input weight conflict*: the same
# incoming weight must write the input that is to be stored and, at every other step, keep the
# carousel safe from inputs that would disturb it. The *output weight conflict*: the same outgoing
# weight must read the stored value when it is needed and, at every other step, keep it from
# disturbing the rest of the network. Training pulls each weight both ways. The input gate $i_t$
# and the output gate $o_t$ resolve the conflicts: they decide, step by step, when to write and when
# to show, and the weights are free to do one job each.
#
# The 1997 LSTM's weakness showed on long, continuous input streams: with nothing to empty them,
# cell states kept growing. Gers, Schmidhuber and Cummins (2000) added the forget gate so that a
# cell can learn to reset itself. Compare a cell that is written to a little at every step:

# %%
T = 300
fig, ax = plt.subplots(figsize=(6.5, 3.2))
writes = {}  # f -> c_t, t = 0 .. T
i_w, g_w = 0.5, 0.2  # the gates of the steady write
for n, (f_value, label, colour) in enumerate(
    [
        (1.0, "no forget gate ($f = 1$, 1997)", "#D55E00"),
        (0.99, "$f = 0.99$", "#0072B2"),
        (0.9, "$f = 0.9$", "#E69F00"),
    ]
):
    c = writes[f_value] = ll.memory.cell_trajectory(f=f_value, i=i_w, g=g_w, T=T, c0=0.0)
    ax.plot(np.arange(T + 1), c, color=colour, lw=2, label=label, **ll.plots.style.series_style(n, T + 1))
ax.set(xlabel="step $t$", ylabel="$c_t$", title=rf"A steady write $i\,g = {i_w * g_w:g}$ per step")
ax.legend(fontsize=8)
ll.plots.show(
    fig,
    alt=f"A steady write i g = {i_w * g_w:g} per step: c_t against t = 0 .. {T} from c_0 = 0. "
    + "; ".join(
        f"f = {f_value:g}: c_{T} = {c[-1]:.1f}"
        + (
            f", still growing by {c[-1] - c[-2]:.2f} per step"
            if f_value == 1
            else f", its fixed point i g / (1 - f) being {i_w * g_w / (1 - f_value):.1f}"
        )
        for f_value, c in writes.items()
    )
    + ".",
)

# %% [markdown]
# Without a forget gate the cell grows without bound (here linearly, by $0.1$ per step); with one,
# it settles at $c^* = i g/(1 - f)$: 10 for $f = 0.99$, 1 for $f = 0.9$. A cell that grows without
# bound saturates the tanh in $h_t = o_t \odot \tanh(c_t)$, and then neither its output nor its gradient
# responds to it any more: what section 4 showed for $b_f = 5$, where $f \approx 0.993$ was close
# enough to 1. Gers, Schmidhuber and Cummins describe exactly this saturation as the failure the
# forget gate cures.
#
# ### A residual connection in time, and what $f$ slightly below 1 buys
#
# With $f = 1$ the cell update $c_t = c_{t-1} + i_t \odot g_t$ has the form of a **residual
# connection**, $x_{l+1} = x_l + F(x_l)$ (He et al., 2016, ResNet): the Jacobian of the skip path is the
# identity, so the gradient crosses any number of layers, or steps, unchanged. **Highway networks**
# (Srivastava, Greff and Schmidhuber, 2015), which were modelled on the LSTM, put gates on that path,
# $y = t(x) \odot F(x) + (1 - t(x)) \odot x$, as the forget gate does on the cell path. CS231n makes the
# same comparison: the cell state gives the gradient an uninterrupted highway, like a ResNet's skip
# connections. The difference is time: a residual network is only as deep as it is built, while an
# LSTM's cell path is as long as the sequence, so whatever $f$ keeps, it keeps step after step.
#
# A forget value slightly below 1 trades a little of the carousel for two things $f = 1$ cannot do:

# %% tags=["nbval-check-output"]
for f_value in [1.0, 0.99, 0.9]:
    limit = "grows without limit" if f_value == 1 else f"settles at {0.1 / (1 - f_value):g}"
    print(
        f"f = {f_value:<4}  half-life {float(ll.memory.half_life(f_value)):5.1f} steps,  gradient kept over "
        f"100 steps f^100 = {f_value**100:.1e},  a cell written 0.1 per step {limit}"
    )

# %% [markdown]
# $f = 0.99$ keeps a memory with a half-life of about seventy steps and over a third of the gradient
# across a hundred; in return, its cell stays bounded, and the gate can drop towards 0 to **reset**
# the cell when the context changes (a new sentence, a new episode). A trained LSTM chooses this
# trade-off per unit and per step, since $f_t$ is computed from $x_t$ and $h_{t-1}$.
#
# ## Check your understanding
#
# 1. A cell has $f = 0.95$ at every step and no input. Roughly what fraction of $c_0$ is left
#    after 14 steps?
# 2. Why is $\partial c_t/\partial c_{t-1} = \operatorname{diag}(f_t)$ better news for gradients
#    than the RNN's $\operatorname{diag}(1 - h_t^2)\, W_h^\top$?
# 3. A network sets $f_t \approx 0$ for a cell at some step. What happens to the cell's memory,
#    and to the gradient flowing back through the cell past that step?
# 4. In section 4 the untrained LSTM with $b_f = 5$ has the best-preserved cell path, yet almost no
#    gradient reaches its $c_T$. Why?
#
# <details><summary>Answers</summary>
#
# 1. About half: the half-life is $\ln(0.5)/\ln(0.95) \approx 13.5$ steps.
# 2. It contains no weight matrix and no squashing derivative, only the forget values, which the
#    network can learn to hold near 1 for the cells that must remember; then the product over many
#    steps stays near 1 instead of shrinking geometrically.
# 3. The memory is reset (its old content is multiplied by about 0), and the gradient along the
#    cell path stops there too: the network has chosen that what came before does not matter for
#    this cell.
# 4. Its cells filled up: with $f \approx 0.993$ and a write at every step, each cell drifts towards
#    $i g/(1 - f)$, far into the flat part of tanh, so $\partial h_T/\partial c_T = o_T(1 - \tanh^2 c_T)
#    \approx 0$. The cell path would carry the gradient back, but very little enters it at step $T$.
#
# </details>
#
# ## Key points
#
# * $c_t = f_t \odot c_{t-1} + i_t \odot g_t$: keep a fraction, add a scaled candidate.
# * With a constant forget value $f$ a memory has a half-life of $\ln(1/2)/\ln f$ steps; the
#   forget bias sets the default.
# * Along the cell path $\partial c_t/\partial c_{t-1} = \operatorname{diag}(f_t)$: with $f \approx 1$
#   gradients survive over distances short against $1/(1 - f)$ (the constant error carousel), and
#   since $f \le 1$ they never explode. A starting bias $b_f = 1$ does not carry them far (0.2 % over
#   20 steps); training can push $f$ towards 1 where a long memory pays.
# * The 1997 paper's reason for the input and output gates: without them, the weights into and out
#   of a carousel face input and output weight conflicts (write or protect, read or stay quiet).
# * The 1997 LSTM had no forget gate ($f = 1$); it was added in 2000 so that cells can reset. With $f$
#   near 1 and a write at every step a cell fills up and saturates tanh; $f$ slightly below 1 trades a
#   little memory for a bounded cell and the ability to reset.
# * The cell path is a residual connection in time (compare ResNet's skip connections and highway
#   networks' gated ones), as long as the sequence.
#
# **Next:** [05 · One LSTM step, then a sequence](05_lstm_step_by_step.ipynb)
