# %% [markdown]
# # 05 · One LSTM step, then a sequence
#
# | This notebook | in short |
# |---|---|
# | **You will be able to** | walk through a full LSTM step equation by equation, matching each to a line of `lstmlearn`; compute a step by hand; run a sequence and step through it; move weights between `lstmlearn` and PyTorch's `nn.LSTM` |
# | **Expected time** | 45 minutes |
# | **Prerequisites** | [03 · Gates](03_gates.ipynb) and [04 · The cell state](04_cell_state.ipynb) |

# %%
import matplotlib.pyplot as plt
import numpy as np

import lstmlearn as ll

# %% [markdown]
# ## 1. The step-by-step list, made exact
#
# Many people first learn the LSTM as a list of steps in words. Here is such a list (from the
# study notes this course grew from), each step next to its equation and the line of
# `lstmlearn/lstm.py` (function `lstm_step`) that does it. Where the words are loose, the third
# column says what actually happens.
#
# <!-- quote lstmlearn/lstm.py lstm_step -->
# | # | in words | equation | what is exact | `lstmlearn` |
# |---|---|---|---|---|
# | 1 | "Combine hidden state and input into a vector" | $[h_{t-1}, x_t]$ | a **concatenation**; each gate has its own weights over it (in code, split into a $W_x$ and a $W_h$ block) | `z_f = x @ p.W_xf + h_prev @ p.W_hf + p.b_f` |
# | 2 | "Feed this into forget gate which has a sigmoid function" | $f_t = \sigma(x_t W_{xf} + h_{t-1} W_{hf} + b_f)$ | $f_t$ is a **fraction in (0, 1)** per cell, not a 0/1 decision | `f = sigmoid(z_f)` |
# | 3 | "Vector is now passed to input gate's sigmoid function (outputs 0 or 1)" | $i_t = \sigma(x_t W_{xi} + h_{t-1} W_{hi} + b_i)$ | a fraction in (0, 1), never exactly 0 or 1; computed from the **same** $[h_{t-1}, x_t]$ as $f_t$, beside it, not after it | `i = sigmoid(z_i)` |
# | 4 | "Vector is also passed to input gate's tanh function (outputs 0 or -1)" | $g_t = \tanh(x_t W_{xg} + h_{t-1} W_{hg} + b_g)$ | the **candidate values**, anywhere in $(-1, 1)$; a block of its own (PyTorch's "cell gate"), again from $[h_{t-1}, x_t]$ | `g = np.tanh(z_g)` |
# | 5 | "Multiply these two results" | $i_t \odot g_t$ | how much of each candidate is written | (inside the next line) |
# | 6 | "Cell State and vector are multiplied" | $f_t \odot c_{t-1}$ | the vector is the forget gate's $f_t$: how much of each old value is kept | (inside the next line) |
# | 7 | "This ^ value and input gate output are pointwise added to update cell state to new values" | $c_t = f_t \odot c_{t-1} + i_t \odot g_t$ | the additive update of notebook 04 | `c = f * c_prev + i * g` |
# | 8 | "Pass the vector into the output gate's sigmoid" | $o_t = \sigma(x_t W_{xo} + h_{t-1} W_{ho} + b_o)$ | a fraction in (0, 1) per cell, again from $[h_{t-1}, x_t]$ | `o = sigmoid(z_o)` |
# | 9 | "Pass newly modified cell state into output gate's tanh" | $\tanh(c_t)$ | squashes the cell into $(-1, 1)$; no weights, and not part of the output gate | `tanh_c = np.tanh(c)` |
# | 10 | "Multiply both these outputs" | $h_t = o_t \odot \tanh(c_t)$ | the new hidden state | `h = o * tanh_c` |
# | 11 | "Output gate outputs the new hidden state which will be passed into the network once again" | $(h_t, c_t) \to$ step $t + 1$ | the output gate outputs $o_t$, not $h_t$: $h_t$ is $o_t \odot \tanh(c_t)$. **Both** $h_t$ and $c_t$ go on; $h_t$ is also the step's output | `return LSTMStep(..., c, tanh_c, h)` |
#
# The same eleven rows on the cell diagram of notebook 03's gate explorer: in each small copy, the parts
# that row's equation touches (what it reads, the gate or operation that computes it, the line its
# result leaves by) are drawn thick and dark, and everything else is faded.

# %%
axes = ll.plots.plot_walkthrough()
alt = ll.plots.walkthrough_alt()  # the figure's text alternative
ll.plots.show(axes[0].figure, alt=alt)

# %% tags=["nbval-check-output"]
rows = ll.plots.EQUATION_PARTS  # row -> (equation, the parts of the diagram it touches)
gates = [r for r, row in rows.items() if set(row.parts) & {"to_f", "to_i", "to_g", "to_o"}]
fed_by_a_gate = [r for r in gates if set(rows[r].parts) & {"f_out", "i_out", "g_out", "o_out"}]
print(
    f"rows that compute a gate from [h_(t-1), x_t]: {gates}; of these, rows fed by another gate: {fed_by_a_gate or 'none'}"
)

# %% [markdown]
# Read as a list, the notes make the gates a pipeline: the input gate "Decides what values should
# be updated in info passed from forget gate", and the vector is "now passed" on from gate to gate.
# In the LSTM nothing is passed from one gate to the next. $f_t$, $i_t$, $g_t$ and $o_t$ are computed
# **side by side** from the same $[h_{t-1}, x_t]$, in one matrix product (section 2): in the pictures,
# rows 2, 3, 4 and 8 each start from the same thick line along the bottom and end at their own gate,
# and no gate's output feeds another gate. Only then do they meet, in the two lines that compute $c_t$
# (rows 5 to 7, up to the cell line along the top) and $h_t$ (rows 9 and 10, on the right).
#
# The notes end with a memory aid: "Sigmoid is always used to determine what is dropped or
# forgotten". Closer to the truth: *every sigmoid decides how much of something passes*: $f$ how
# much of the old memory is kept, $i$ how much of the candidate is written, $o$ how much of the
# memory is shown. And the gates act at every step, in use as much as in training.
#
# The per-gate weights in the code (`p.W_xf`, `p.W_hf`, `p.b_f`, ...) are blocks of fused arrays:
# `p.W_x` has $4H$ columns, in the order $i, f, g, o$ (PyTorch's order). Open `lstmlearn/lstm.py` now
# and find the lines of `lstm_step`; they are this table's equations.
#
# ## 2. One full step by hand
#
# A cell with $D = 1$ input and $H = 2$ units. The fused weights have columns $i_1 i_2 \mid f_1 f_2 \mid g_1 g_2 \mid o_1 o_2$:

# %% tags=["nbval-check-output"]
p = ll.LSTMParams(
    W_x=np.array([[1.0, -1.0, 0.0, 0.0, 2.0, 1.0, 0.5, 0.5]]),  # (D, 4H) = (1, 8)
    W_h=np.zeros((2, 8)),  # (H, 4H): h_prev = 0 below, so these do not matter
    b=np.array([0.0, 0.0, 2.0, -2.0, 0.0, 0.0, 0.0, 0.0]),  # (4H,): forget biases +2 and -2
)
x, h_prev, c_prev = np.array([[1.0]]), np.zeros((1, 2)), np.array([[1.0, 1.0]])
z = x @ p.W_x + h_prev @ p.W_h + p.b
print("z =", z[0], "  (i | f | g | o pre-activations)")

# %% [markdown]
# Reading off $z$ gate by gate, and applying the squashing functions:
#
# | quantity | unit 1 | unit 2 |
# |---|---|---|
# | $i = \sigma(z_i)$ | $\sigma(1) = 0.7311$ | $\sigma(-1) = 0.2689$ |
# | $f = \sigma(z_f)$ | $\sigma(2) = 0.8808$ | $\sigma(-2) = 0.1192$ |
# | $g = \tanh(z_g)$ | $\tanh(2) = 0.9640$ | $\tanh(1) = 0.7616$ |
# | $o = \sigma(z_o)$ | $\sigma(0.5) = 0.6225$ | $\sigma(0.5) = 0.6225$ |
# | $c = f c_{t-1} + i g$ | $0.8808 + 0.7048 = 1.5856$ | $0.1192 + 0.2048 = 0.3240$ |
# | $h = o \tanh(c)$ | $0.6225 \cdot 0.9195 = 0.5723$ | $0.6225 \cdot 0.3131 = 0.1949$ |
#
# Unit 1 keeps its memory and writes a large positive candidate; unit 2 forgets most of its memory
# and writes a little. `ll.lstm_step` returns every one of these numbers:

# %% tags=["nbval-check-output"]
s = ll.lstm_step(x, h_prev, c_prev, p)
for name in ["i", "f", "g", "o", "c", "tanh_c", "h"]:
    print(f"{name:>6} = {np.round(getattr(s, name)[0], 4)}")

# %% [markdown]
# ### Exercise 1: one whole step
#
# Write the whole step with the fused parameters `p` (an `LSTMParams`): compute `z`, split it into
# the four blocks (three gates and the candidate) in the order $i, f, g, o$, and return the pair
# `(h, c)`. Use `ll.sigmoid` or your sigmoid from notebook 03.


# %% tags=["exercise"]
def lstm_step(x, h_prev, c_prev, p):
    """One LSTM step; x (B, D), h_prev and c_prev (B, H). Returns (h, c), both (B, H)."""
    H = p.hidden_size
    raise NotImplementedError  # your code here


ll.exercises.check("lstm_step", lstm_step)


# %% tags=["solution"]
def lstm_step(x, h_prev, c_prev, p):
    H = p.hidden_size
    z = x @ p.W_x + h_prev @ p.W_h + p.b  # (B, 4H)
    i = ll.sigmoid(z[:, 0 * H : 1 * H])
    f = ll.sigmoid(z[:, 1 * H : 2 * H])
    g = np.tanh(z[:, 2 * H : 3 * H])
    o = ll.sigmoid(z[:, 3 * H : 4 * H])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c


ll.exercises.check("lstm_step", lstm_step)

# %% [markdown]
# ## 3. From one step to a sequence
#
# A sequence is the same step applied $T$ times, with the state handed on: $(h_0, c_0) \to (h_1, c_1)
# \to \dots \to (h_T, c_T)$, all with the same weights.
#
# ### Exercise 2: run a sequence
#
# Use `ll.lstm_step` (or your own step) in a loop to run the LSTM over `X` of shape $(T, B, D)$,
# starting from zeros, and return all hidden states as an array $(T, B, H)$. `ll.lstm_step`
# returns a record `s`; its new states are `s.h` and `s.c`.


# %% tags=["exercise"]
def lstm_sequence(X, p):
    """Hidden states h_1 .. h_T, shape (T, B, H), from h_0 = c_0 = 0."""
    raise NotImplementedError  # your code here


ll.exercises.check("lstm_sequence", lstm_sequence)


# %% tags=["solution"]
def lstm_sequence(X, p):
    T, B, _ = X.shape
    h = np.zeros((B, p.hidden_size))
    c = np.zeros((B, p.hidden_size))
    Hs = []
    for t in range(T):
        s = ll.lstm_step(X[t], h, c, p)
        h, c = s.h, s.c
        Hs.append(h)
    return np.stack(Hs)


ll.exercises.check("lstm_sequence", lstm_sequence)

# %% [markdown]
# `ll.lstm_forward(X, p)` is the same loop over `ll.lstm_step`, and returns a **trace**: every value
# of every step, stacked over time, so that `trace.f[t - 1]` is the forget gate at step $t$. (The
# models of notebooks 07-09 train with `ll.engine.lstm_forward`, which computes the same numbers
# faster, with all input products in one matrix product and the gates computed in place.)
#
# ### A cell that accumulates
#
# To see a sequence do something meaningful, set the weights of a two-unit LSTM by hand. Unit 0 is
# an **accumulator**: its input gate opens only when the input is large ($z_i = 10x - 5$) and its
# forget gate is nearly 1 ($b_f = 6$), so whatever it writes, it keeps, and the next write is added
# to it. Unit 1 is the same but with $b_f = 0$, so it forgets half of its content at each step. The
# input is zero except for two spikes.

# %%
accumulator = ll.LSTMParams(
    #            i0    i1    f0   f1   g0   g1   o0   o1
    W_x=np.array([[10.0, 10.0, 0.0, 0.0, 2.0, 2.0, 0.0, 0.0]]),
    W_h=np.zeros((2, 8)),
    b=np.array([-5.0, -5.0, 6.0, 0.0, 0.0, 0.0, 4.0, 4.0]),
)
T = 30
X = np.zeros((T, 1, 1))
X[4, 0, 0] = 1.0  # a spike at step 5
X[19, 0, 0] = 0.6  # a smaller one at step 20
Hs, trace = ll.lstm_forward(X, accumulator)

fig, ax = plt.subplots(figsize=(7, 3))
steps = np.arange(1, T + 1)
ax.bar(steps, X[:, 0, 0], color="0.8", label="input $x_t$")
ax.plot(steps, trace.c[:, 0, 0], "o-", ms=3, color="#0072B2", label="$c_t$, unit 0 ($b_f = 6$)")
ax.plot(steps, trace.c[:, 0, 1], "s--", ms=3, color="#E69F00", label="$c_t$, unit 1 ($b_f = 0$)")
ax.set(xlabel="step $t$", ylabel="value", title="Unit 0 accumulates what it is given; unit 1 lets it fade")
ax.legend(fontsize=8)
ll.plots.show(
    fig,
    alt=f"The input x_t as bars over {T} steps, spikes of {X[4, 0, 0]:g} at step 5 and {X[19, 0, 0]:g} at step 20, "
    f"and the cell state c_t of two units: unit 0 (b_f = 6) steps up to {trace.c[4, 0, 0]:.2f} at step 5 and "
    f"{trace.c[19, 0, 0]:.2f} at step 20 and ends at {trace.c[-1, 0, 0]:.2f}; unit 1 (b_f = 0) reaches "
    f"{trace.c[4, 0, 1]:.2f} and {trace.c[19, 0, 1]:.2f} and ends at {trace.c[-1, 0, 1]:.2g}.",
)


# %% tags=["nbval-check-output"]
def four_digits(a):
    """Each value with 4 significant digits (np.round(a, 4) would print 5.84e-05 as 1.000e-04)."""
    return "  ".join(f"{v:.4g}" for v in a)


print("input gate of unit 0 at steps 4, 5, 6:", four_digits(trace.i[3:6, 0, 0]))
print("cell of unit 0 at steps 5, 19, 20, 30:", four_digits(trace.c[[4, 18, 19, 29], 0, 0]))
print("cell of unit 1 at steps 5, 10, 19:    ", four_digits(trace.c[[4, 9, 18], 0, 1]))

# %% [markdown]
# Unit 0 holds the first spike's write through the quiet steps, and at step 20 it adds the second
# one to it: its cell is a running sum of what the input gate lets in, the accumulator of notebook 04.
# Unit 1 has lost most of the first write within a few steps.
#
# Now step through the same forward pass. The slider (or the play button) picks the step $t$; the
# diagram shows that step of one unit, and the heatmaps show every gate and state over the whole
# sequence with a cursor at $t$. The stepper starts at step 20, the second spike: the input gate of
# unit 0 is open and adds to the memory kept since step 5. Go back to step 5 and forward from there,
# watch the forget gate of unit 0 stay near 1 and its cell hold its value in between, then switch to
# unit 1 to compare.

# %%
stepper = ll.widgets.sequence_stepper(trace)
stepper.controls["t"].value = 20  # start at the second spike
stepper

# %% [markdown]
# ## 4. The same weights in PyTorch
#
# `lstmlearn` computes exactly what PyTorch's `torch.nn.LSTM` computes; only the storage differs.
# PyTorch keeps the transposed weights and **two** bias vectors per layer:
#
# | PyTorch (layer 0) | shape | `lstmlearn` |
# |---|---|---|
# | `weight_ih_l0` | $(4H, D)$, rows stacked $i \mid f \mid g \mid o$ | `p.W_x.T` |
# | `weight_hh_l0` | $(4H, H)$ | `p.W_h.T` |
# | `bias_ih_l0`, `bias_hh_l0` | $(4H,)$ each | their **sum** is `p.b` |
#
# Only the sum of the two biases matters, so `LSTMParams.from_pytorch` adds them, and
# `LSTMParams.to_pytorch` writes `b` into `bias_ih_l0` and zeros into `bias_hh_l0`. (CS231n's
# assignment and Karpathy's numpy LSTM stack the gates as $i, f, o, g$: when you compare with those,
# the last two blocks are swapped.)

# %% tags=["nbval-check-output"]
sd = accumulator.to_pytorch()  # numpy arrays, no torch needed
for name, value in sd.items():
    print(f"{name:<14} {value.shape}")
print("round trip exact:", all(np.array_equal(a, b) for a, b in zip(ll.LSTMParams.from_pytorch(sd), accumulator)))

# %% [markdown]
# If you have PyTorch installed, you can check the claim yourself. This code is not run here
# (the course does not need torch), but the course's tests run the same comparison, outputs and
# every gradient, to about $10^{-12}$:
#
# ```python
# import torch
# lstm = torch.nn.LSTM(input_size=1, hidden_size=2).double()
# lstm.load_state_dict(accumulator.to_pytorch(tensors=True))  # or {k: torch.from_numpy(v) ...}
# out, (h_T, c_T) = lstm(torch.from_numpy(X))                  # X is (T, B, D): PyTorch's default layout
# print(np.abs(out.detach().numpy() - Hs).max())              # about 1e-16
#
# p_back = ll.LSTMParams.from_pytorch(lstm.state_dict())       # and back again
# ```
#
# ## Check your understanding
#
# 1. In the fused matrix `W_x` of shape $(D, 4H)$, which columns belong to the output gate?
# 2. Which of $h_t$ and $c_t$ is the step's output, and which are passed on to the next step?
# 3. A PyTorch LSTM has `bias_ih_l0 = 0.3` and `bias_hh_l0 = 0.2` for one unit's forget gate. What
#    is that unit's $b_f$ in `lstmlearn`?
#
# <details><summary>Answers</summary>
#
# 1. The last block, columns $3H$ to $4H - 1$ (`W_x[:, 3 * H:]`, or `p.W_xo`).
# 2. $h_t$ is the output (what a layer above or a readout sees); both $h_t$ and $c_t$ are passed to
#    step $t + 1$.
# 3. $0.5$: only the sum of the two PyTorch biases enters the equations.
#
# </details>
#
# ## Key points
#
# * One step is six equations: three sigmoid gates, one tanh candidate, the additive cell update and
#   $h_t = o_t \odot \tanh(c_t)$; in code, one line each, the per-gate weights being blocks $i, f, g, o$
#   of fused arrays.
# * A sequence repeats the step with the same weights, handing on $(h_t, c_t)$; `ll.lstm_forward`
#   records every value in a trace.
# * `lstmlearn` and `torch.nn.LSTM` compute the same function; PyTorch stores the transposes and two
#   biases whose sum is `b`.
#
# **Next:** [06 · Backpropagation through an LSTM](06_backprop_through_lstm.ipynb)
