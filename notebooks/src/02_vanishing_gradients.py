# %% [markdown]
# # 02 · Vanishing (and exploding) gradients
#
# | This notebook | in short |
# |---|---|
# | **You will be able to** | derive why $\partial h_T/\partial h_t$ is a product of Jacobians; measure its norm against the distance $T - t$ for several recurrent weight scales; explain why early time steps stop learning; clip an exploding gradient by its global norm, and show on a loss surface with a cliff why clipping keeps the direction and limits the step |
# | **Expected time** | 45 minutes |
# | **Prerequisites** | [01 · Gradients and recurrent networks](01_gradients_and_rnns.ipynb); matrix products; the chain rule |

# %%
import matplotlib.pyplot as plt
import numpy as np

import lstmlearn as ll

# %% [markdown]
# Notebook 01 ended with a picture: in a small RNN, the difference made by $x_1$ shrinks by about
# the same factor at every step. Here we find that factor in the gradient, where it decides what
# the network can learn.
#
# ## 1. The gradient through time is a product of Jacobians
#
# The vanilla RNN computes, for $t = 1, \dots, T$,
#
# $$ a_t = x_t W_x + h_{t-1} W_h + b, \qquad h_t = \tanh(a_t). $$
#
# Suppose the loss $L$ reads only the last state $h_T$ (as when a sequence is classified at its
# end). How does $L$ depend on an earlier state $h_t$? Only through $h_{t+1}$, which depends on
# $h_t$ only through $h_{t+2}$, and so on. The chain rule multiplies one factor per step:
#
# $$ \frac{\partial h_T}{\partial h_t} = \frac{\partial h_T}{\partial h_{T-1}}\,
#    \frac{\partial h_{T-1}}{\partial h_{T-2}} \cdots \frac{\partial h_{t+1}}{\partial h_t} . $$
#
# Each factor is an $H \times H$ **Jacobian**. With row vectors, as in the code, a gradient moves
# back one step as
#
# $$ \frac{\partial L}{\partial h_{t-1}} = \frac{\partial L}{\partial h_t}\, J_t, \qquad
#    J_t = \operatorname{diag}\!\left(1 - h_t^2\right) W_h^\top , $$
#
# because $\tanh'(a) = 1 - \tanh(a)^2$. These are two lines of `rnn_step_backward` in
# <!-- quote lstmlearn/rnn.py rnn_step_backward -->
# `lstmlearn/rnn.py`: `da = dh * dphi(s.h)` is $\partial L/\partial h_t \odot (1 - h_t^2)$, and
# `dh_prev = da @ p.W_h.T` multiplies it by $W_h^\top$.
#
# **Why it vanishes.** The size of a product is at most the product of the sizes. The tanh factor
# $1 - h_t^2$ lies in $(0, 1]$, so $\lVert J_t \rVert \le \lVert W_h \rVert_2$, where
# $\lVert W_h \rVert_2$ is the **spectral norm** of $W_h$ (its largest singular value: the most it can
# stretch a vector in one multiplication), and
#
# $$ \left\lVert \frac{\partial h_T}{\partial h_t} \right\rVert \le \lVert W_h \rVert_2^{\,T - t} . $$
#
# If $\lVert W_h \rVert_2 < 1$ the bound shrinks geometrically with the distance $T - t$: **vanishing
# gradients**. If the recurrent weights are large, the product *can* grow geometrically instead:
# **exploding gradients** (saturating tanh units, where $1 - h_t^2 \approx 0$, often pull it back
# down).
#
# ### Exercise 1: one Jacobian
#
# Write the Jacobian $J_t = \operatorname{diag}(1 - h_t^2)\, W_h^\top$ of one tanh step, given the
# step's output `h` (shape $(H,)$) and `W_h` (shape $(H, H)$). Hint: multiplying by a diagonal
# matrix on the left scales the rows, which numpy does by broadcasting with `h[:, None]`.


# %% tags=["exercise"]
def rnn_jacobian(h, W_h):
    """J = diag(1 - h**2) @ W_h.T, shape (H, H)."""
    raise NotImplementedError  # your code here


ll.exercises.check("rnn_jacobian", rnn_jacobian)


# %% tags=["solution"]
def rnn_jacobian(h, W_h):
    return (1 - h**2)[:, None] * W_h.T


ll.exercises.check("rnn_jacobian", rnn_jacobian)

# %% [markdown]
# Let us confirm the formula on a real sequence: the backward pass in `lstmlearn` moves the
# gradient from $h_T$ to $h_{T-1}$, and so does one Jacobian.

# %% tags=["nbval-check-output"]
rng = np.random.default_rng(0)
T, D, H = 30, 1, 8
p = ll.init_rnn(D, H, rng=rng)
X = rng.normal(size=(T, 1, D))
Hs, trace = ll.rnn_forward(X, p)

dHs = np.zeros_like(Hs)
dHs[-1] = rng.normal(size=(1, H))  # a loss that reads only h_T
grads = ll.rnn_backward(dHs, trace, p)
J_T = (1 - Hs[-1, 0] ** 2)[:, None] * p.W_h.T  # diag(1 - h_T^2) @ W_h.T
print(
    "dL/dh_{T-1} from rnn_backward equals dL/dh_T @ J_T:",
    np.allclose(grads.dh[-2, 0], grads.dh[-1, 0] @ J_T, rtol=1e-12),
)

# %% [markdown]
# ## 2. Measuring the norm against the distance
#
# How fast does $\lVert \partial h_T / \partial h_t \rVert$ shrink or grow in practice? It depends
# on the scale of $W_h$, which we set through its **spectral radius** $\rho$ (its largest
# eigenvalue in absolute value; not the spectral norm of the bound above, which the printout shows
# next to it). `ll.gradflow.rnn_with_spectral_radius` draws a random RNN with a
# chosen $\rho$, and `ll.gradflow.rnn_jacobian_norms` multiplies the Jacobians of a recorded
# forward pass, returning the spectral norm of the product for every $t$.

# %%
T = 100
curves, W_hs = {}, {}
for rho in [0.5, 0.9, 1.2, 2.0]:
    p_rho = ll.gradflow.rnn_with_spectral_radius(1, 32, rho, rng=np.random.default_rng(1))
    X = np.random.default_rng(2).normal(size=(T, 1, 1))
    _, trace_rho = ll.rnn_forward(X, p_rho)
    curves[rho] = ll.gradflow.rnn_jacobian_norms(trace_rho, p_rho)  # (T + 1,): t = 0 .. T
    W_hs[rho] = p_rho.W_h

ax = ll.plots.plot_gradient_norms(
    {f"RNN, $\\rho = {rho}$": norms for rho, norms in curves.items()},
    t=np.arange(T + 1),
    ylabel=r"$\|\partial h_T / \partial h_t\|$",
)
ax.set_title(f"tanh RNN, H = 32, T = {T}: the gradient reaching step t")
ll.plots.show(
    ax.figure,
    alt=f"The gradient norm ||dh_T/dh_t|| of a tanh RNN (H = 32, T = {T}) on a log scale against t = 0 .. {T}, "
    "one curve per spectral radius rho, each 1 at t = T. At t = 0: "
    + ", ".join(f"rho = {rho}: {norms[0]:.1e}" for rho, norms in curves.items())
    + ".",
)

# %% tags=["nbval-check-output"]
for rho, norms in curves.items():
    per_step = norms[T - 20] ** (1 / 20)  # geometric mean factor over the last 20 steps
    print(
        f"rho = {rho}:  ||W_h||_2 = {np.linalg.norm(W_hs[rho], 2):.2f},  "
        f"||dh_T/dh_(T-20)|| = {norms[T - 20]:.1e},  about x{per_step:.2f} per step"
    )
far = curves[2.0][: T - 40 + 1]  # t = 0 .. T - 40: 40 or more steps back
print(f"rho = 2.0, 40 or more steps back: the norm stays between {far.min():.0f} and {far.max():.0f}")

# %% [markdown]
# Read the plot from right to left, from the loss at $t = T$ back to the start:
#
# * With $\rho = 0.5$ and $0.9$ the norm falls on a straight line on the log scale: it is
#   multiplied by roughly the same factor below 1 at every step (the printed factors). After a few
#   dozen steps nothing is left: the gradient has **vanished**.
# * $\rho = 1.2$ is above 1 and *still* vanishes, only more slowly: the tanh derivatives
#   $1 - h_t^2 < 1$ pull the rate below $\rho$ (see *Why $\rho$* below).
# * With $\rho = 2$ the product grows as it goes back: the **exploding** regime. Here it levels off
#   between a few tens and a few hundred (the last line printed), because the tanh units saturate
#   (their outputs approach $\pm 1$, where $1 - h_t^2 \approx 0$) and damp the growth; a ReLU RNN,
#   which does not saturate, explodes without limit (section 4).
# * For a tanh RNN with random weights, no setting of one scale makes the signal travel 100 steps
#   *unchanged*: each Jacobian is a different matrix, and the products shrink or grow on average.
#   Specially built recurrences can do it (last cell of this section). Notebook 04 shows how the LSTM
#   escapes instead: it gives the gradient a path whose Jacobian is the forget gate itself.
# * The deeper reason was found before the conditions below. **Hochreiter (1991)**, in his diploma
#   thesis, analysed how error signals decay or blow up as they flow back through a recurrent net.
#   **Bengio, Simard and Frasconi (1994)** then showed that the trouble is built in: for a network to
#   store a piece of information *robustly*, so that small disturbances of its state do not erase
#   it, its Jacobians near the stored state must shrink vectors, and then the gradient that would
#   teach it to store that information vanishes. Remembering robustly and learning by gradient
#   descent pull in opposite directions, whatever single scale one chooses.
#
# ### Why $\rho$, and not the norm in the bound?
#
# Section 1's bound uses $\lVert W_h \rVert_2$, the largest singular value, but the dial we set is the
# spectral radius $\rho$, the largest $|\text{eigenvalue}|$. The printout shows that they differ: for
# this random matrix (the four are one matrix, scaled) the norm is close to twice the radius. At $\rho = 0.9$ the bound
# $\lVert W_h \rVert_2^{\,T-t}$ therefore *grows* with the distance, while the measured gradient shrinks
# at every step. The bound is true, and useless here. Three facts explain the slopes:
#
# * **One step is not the long run.** $\lVert W_h \rVert_2$ is the most one multiplication can stretch a
#   vector; repeated multiplications cannot keep stretching it that much. The long-run rate of matrix
#   powers is the spectral radius: $\lVert W^k \rVert^{1/k} \to \rho(W)$ as $k \to \infty$ (**Gelfand's
#   formula**). The next cell shows it for our four matrices: the one-step stretch at $k = 1$ settles
#   to $\rho$. This is the matrix-power argument for vanishing gradients: with $\rho < 1$ the powers of
#   $W_h$ die out geometrically, at the rate $\rho$.
# * **tanh lowers the rate further.** Each Jacobian scales the rows of $W_h^\top$ by
#   $1 - h_t^2 \le 1$. For one step that can only shrink the norm; over many steps it is not guaranteed
#   for every matrix, but in these runs every measured rate lies below $\rho$, and furthest below
#   where the units are busiest ($\rho = 2$).
# * **Pascanu, Mikolov and Bengio (2013)** state the conditions. For a *linear* RNN, $\rho < 1$ is
#   sufficient for the gradient's long-term components to vanish, and $\rho > 1$ is necessary for them
#   to explode. With an activation whose slope is at most $\gamma$ ($\gamma = 1$ for tanh, $1/4$ for
#   the sigmoid), every Jacobian has norm at most $\gamma \lVert W_h \rVert_2$, so
#   $\lVert W_h \rVert_2 < 1/\gamma$ is *sufficient* for vanishing (section 1's bound), and exploding
#   *needs* $\lVert W_h \rVert_2 > 1/\gamma$.
#
# So $\rho$ is the dial for the long-run slope, and $\lVert W_h \rVert_2$ the one for a guarantee.

# %% tags=["nbval-check-output"]
for rho, W_h in W_hs.items():  # Gelfand's formula: ||W_h^k||^(1/k) -> rho
    rates = [np.linalg.norm(np.linalg.matrix_power(W_h, k), 2) ** (1 / k) for k in (1, 10, 100, 500)]
    print(f"rho = {rho}:  ||W_h^k||_2^(1/k) for k = 1, 10, 100, 500:  " + "  ".join(f"{r:.3f}" for r in rates))

# %% [markdown]
# **Recurrences that keep the gradient's size.** An orthogonal matrix ($Q^\top Q = I$) changes no
# vector's length, so all its powers have norm 1. Le, Jaitly and Hinton (2015) start an RNN of ReLU
# units with $W_h = I$ (the "IRNN"): while the units stay active every Jacobian is the identity.
# Arjovsky, Shah and Bengio (2016) build unitary recurrences on the same idea and test them on the
# copy task that notebook 07 uses. With tanh units, the slopes $1 - h_t^2$ still shrink an orthogonal
# RNN's gradient a little at every step:

# %% tags=["nbval-check-output"]
H_q, T_q = 32, 100
Q, _ = np.linalg.qr(np.random.default_rng(5).normal(size=(H_q, H_q)))  # a random orthogonal matrix
print(f"orthogonal W_h, linear units:  ||W_h^{T_q}||_2 = {np.linalg.norm(np.linalg.matrix_power(Q, T_q), 2):.4f}")
p_irnn = ll.RNNParams(W_x=np.full((1, H_q), 0.1), W_h=np.eye(H_q), b=np.zeros(H_q))
X_pos = np.abs(np.random.default_rng(4).normal(size=(T_q, 1, 1)))  # positive inputs keep every ReLU unit on
_, trace_irnn = ll.rnn_forward(X_pos, p_irnn, activation="relu")
print(f"identity W_h, ReLU (IRNN):     ||dh_T/dh_0|| = {ll.gradflow.rnn_jacobian_norms(trace_irnn, p_irnn)[0]:.4f}")
p_orth = ll.RNNParams(W_x=np.full((1, H_q), 0.1), W_h=Q, b=np.zeros(H_q))
_, trace_orth = ll.rnn_forward(np.random.default_rng(2).normal(size=(T_q, 1, 1)), p_orth)
n_orth = ll.gradflow.rnn_jacobian_norms(trace_orth, p_orth)[0]
print(f"orthogonal W_h, tanh units:    ||dh_T/dh_0|| = {n_orth:.4f}, about x{n_orth ** (1 / T_q):.3f} per step")

# %% [markdown]
# ### Try it yourself
#
# The explorer draws the same curve for a random RNN (vermillion) next to the gradient along an
# LSTM's cell path with a constant forget value $f$ (blue), which is simply $f^{T - t}$.
# Move $\rho$ across 1, switch the activation to ReLU (which does not saturate, so it explodes
# readily), make the sequence longer, and compare with $f = 0.99$.

# %%
ll.widgets.vanishing_gradient_explorer()

# %% [markdown]
# ## 3. What a vanishing gradient does to learning
#
# The gradient of the loss with respect to the shared weights is a **sum over time steps**:
#
# $$ \frac{\partial L}{\partial W_h} = \sum_{t=1}^{T} h_{t-1}^\top\, \frac{\partial L}{\partial a_t} , $$
#
# one term per step: in `rnn_step_backward` (`lstmlearn/rnn.py`) the line
# <!-- quote lstmlearn/rnn.py rnn_step_backward -->
# `dW_h = s.h_prev.T @ da` is the term of one step, and `rnn_backward` adds them up. The term
# of step $t$ is how the loss would like $W_h$ to change *because of what happened at step $t$*. If $\partial L/\partial a_t$ has vanished, the early steps add
# nothing: the update is decided entirely by the last few steps, and the network cannot learn
# that something at step 5 matters at step 100.

# %%
T = 100
p_v = ll.gradflow.rnn_with_spectral_radius(1, 32, 0.9, rng=np.random.default_rng(1))
X = np.random.default_rng(2).normal(size=(T, 1, 1))
Hs_v, trace_v = ll.rnn_forward(X, p_v)
dHs = np.zeros_like(Hs_v)
dHs[-1] = 1.0  # the loss reads h_T
g_v = ll.rnn_backward(dHs, trace_v, p_v)
dA = g_v.dh * (1 - Hs_v**2)  # dL/da_t, (T, B, H)
terms = np.stack([trace_v.h_prev[t].T @ dA[t] for t in range(T)])  # (T, H, H): the term of each step
term = np.linalg.norm(terms, axis=(1, 2))  # ||h_{t-1}^T dL/da_t||

fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.semilogy(np.arange(2, T + 1), term[1:], color="#D55E00")  # step 1's term is 0: h_0 = 0
ax.set(
    xlabel="step $t$",
    ylabel=r"$\|h_{t-1}^\top\, \partial L/\partial a_t\|$",
    title=r"Each step's share of $\partial L/\partial W_h$ ($\rho = 0.9$)",
)
ll.plots.show(
    fig,
    alt=f"Each step's share ||h_(t-1)^T dL/da_t|| of dL/dW_h on a log scale against t = 2 .. {T} (rho = 0.9): "
    f"{term[1]:.1e} at t = 2, {term[T // 2]:.1e} at t = {T // 2 + 1}, {term[-1]:.1e} at t = {T}; the last 10 steps "
    f"hold {term[-10:].sum() / term.sum():.0%} of the sum.",
)

# %% tags=["nbval-check-output"]
print("the terms add up to dL/dW_h of rnn_backward:", np.allclose(terms.sum(axis=0), g_v.dparams.W_h))
share_of_sizes = term[: T - 20].sum() / term.sum()
share_of_gradient = np.linalg.norm(terms[: T - 20].sum(axis=0)) / np.linalg.norm(terms.sum(axis=0))
print(f"steps 1..{T - 20}: the sizes of their terms add up to {share_of_sizes:.1e} of the sizes of all terms;")
print(f"             their terms together have {share_of_gradient:.1e} of the size of dL/dW_h")

# %% [markdown]
# Measured either way, the first 80 of the 100 steps make up a few parts in ten thousand of the
# gradient: the update is decided by the last 20 steps.
#
# ## 4. Exploding gradients and clipping
#
# Vanishing gradients silently stop learning; exploding ones are loud. One huge gradient throws
# the weights far away in a single step and the loss jumps or becomes NaN. The standard remedy
# (Pascanu, Mikolov and Bengio, 2013) is **clipping by the global norm**: treat all gradient
# arrays together as one long vector $g$, and if its length exceeds a threshold $c$, scale it
# down to length $c$:
#
# $$ \text{if } \lVert g \rVert > c: \qquad g \leftarrow c\, \frac{g}{\lVert g \rVert} . $$
#
# The direction is kept; only the step size is limited. Clipping does nothing for vanishing
# gradients: a tiny vector stays tiny.
#
# ### Exercise 2: clip by the global norm
#
# `grads` is a dict of arrays, e.g. `{"W_x": ..., "W_h": ..., "b": ...}`. Return a pair: a new
# dict with the clipped arrays, and the global norm *before* clipping (training code records it to
# show when gradients explode).


# %% tags=["exercise"]
def clip_grad_norm(grads, max_norm):
    """Return (clipped grads, global norm before clipping)."""
    raise NotImplementedError  # your code here


ll.exercises.check("clip_grad_norm", clip_grad_norm)


# %% tags=["solution"]
def clip_grad_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {name: g * scale for name, g in grads.items()}, norm


ll.exercises.check("clip_grad_norm", clip_grad_norm)

# %% [markdown]
# Now an exploding case: a ReLU RNN with $\rho = 1.5$ over 60 steps, a loss on the last state.

# %% tags=["nbval-check-output"]
T = 60
p_e = ll.gradflow.rnn_with_spectral_radius(1, 32, 1.5, rng=np.random.default_rng(3))
X = np.abs(np.random.default_rng(4).normal(size=(T, 1, 1)))
Hs_e, trace_e = ll.rnn_forward(X, p_e, activation="relu")
dHs = np.zeros_like(Hs_e)
dHs[-1] = 1.0
g_e = ll.rnn_backward(dHs, trace_e, p_e)
grads = g_e.dparams._asdict()
clipped, norm = ll.clip_grad_norm(grads, max_norm=1.0)  # lstmlearn's version, in lstmlearn/optim.py
flat = lambda d: np.concatenate([a.ravel() for a in d.values()])
cosine = flat(grads) @ flat(clipped) / (np.linalg.norm(flat(grads)) * np.linalg.norm(flat(clipped)))
print(
    f"global norm before clipping: {norm:.2e}; after: {np.linalg.norm(flat(clipped)):.3f}; "
    f"direction kept (cosine = {cosine:.6f})"
)

# %% [markdown]
# ### The picture behind clipping: a cliff in the loss
#
# Why does clipping keep the direction and limit only the length? Pascanu, Mikolov and Bengio
# (2013, figure 6) answered with a picture of the smallest recurrent network there is: one unit, a
# weight $w$ and a bias $b$, no input, and a loss on the last state,
#
# $$ x_t = w\, \sigma(x_{t-1}) + b, \qquad x_0 = 0.5, \qquad L = (x_T - 0.7)^2 . $$
#
# For some $(w, b)$ the map $x \mapsto w\,\sigma(x) + b$ has two stable fixed points, and which one
# $x_T$ ends near changes across a line in the $(w, b)$ plane. There the loss has a **wall**: a high
# plateau on one side, a valley on the other, and between them a strip so thin and steep that the
# gradient on it is many times its size anywhere near. (The gradient is again built from products
# of up to $T$ factors $w\,\sigma'(x_{t-1})$, the Jacobians of section 1.) `ll.cliff.cliff_loss`
# computes $L$ and its gradient for $T = 15$ (the paper used 50, whose wall is too thin to draw);
# `ll.cliff.descend` runs gradient descent on it, once plainly and once with the gradient clipped to
# norm $c = 10$, above the gradient's size on the way down to the wall.

# %% tags=["nbval-check-output"]
lr, c, steps = 0.01, 10.0, 30
runs = {
    "without clipping": ll.cliff.descend(5.5, -2.0, lr, steps, T=15),
    f"clipped to norm c = {c:g}": ll.cliff.descend(5.5, -2.0, lr, steps, max_norm=c, T=15),
}
free, clipped = runs.values()
k = int(np.argmax(free.grad_norm > c))  # the first step clipping changes: the step on the wall
step_free, step_clipped = free.path[k + 1] - free.path[k], clipped.path[k + 1] - clipped.path[k]
cosine = step_free @ step_clipped / (np.linalg.norm(step_free) * np.linalg.norm(step_clipped))

fig, (ax_surface, ax_loss) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained", width_ratios=[1.3, 1])
ll.plots.plot_cliff(runs, ax=ax_surface, T=15)
ax_surface.set_title(f"The loss over $(w, b)$, T = 15: {steps} steps of gradient descent", fontsize=10)
ll.plots.plot_cliff_losses(runs, ax=ax_loss)
ax_loss.set_title("The loss at each step", fontsize=10)
alt = (
    f"Left: the loss of a one-unit RNN over w and b, a valley beside a steep wall. From (5.5, -2.0) both runs "
    f"descend together for {k} steps; at step {k} the gradient's norm is {free.grad_norm[k]:.0f}. Without "
    f"clipping the step is {np.linalg.norm(step_free):.2f} long and throws w, b to ({free.path[k + 1][0]:.2f}, "
    f"{free.path[k + 1][1]:.2f}); clipped, it is {np.linalg.norm(step_clipped):.2f} long, in the same direction. "
    f"Right: the loss against the step; without clipping it jumps from {free.loss[k]:.2f} to {free.loss[k + 1]:.1f}."
)
ll.plots.show(fig, alt=alt)
print(f"start: loss {free.loss[0]:.2f}; after {k} steps together the runs have walked {free.step_norm[:k].sum():.2f}")
print(
    f"steps 0 to {k - 1}: gradient norms {free.grad_norm[:k].min():.1f} to {free.grad_norm[:k].max():.1f}, below c: both runs take the same steps"
)
print(f"step {k}, on the wall: gradient norm {free.grad_norm[k]:.0f}, loss {free.loss[k]:.2f}")
print(f"  without clipping: a step of {np.linalg.norm(step_free):.2f}, the loss goes to {free.loss[k + 1]:.1f}")
print(
    f"  clipped:          a step of {np.linalg.norm(step_clipped):.2f} (lr * c), the loss goes to {clipped.loss[k + 1]:.2f}; same direction, cosine = {cosine:.6f}"
)
print(f"after {steps} steps: loss {free.loss[-1]:.2f} without clipping, {clipped.loss[-1]:.2f} clipped")

# %% [markdown]
# Both runs walk down the slope together towards the valley at the foot of the wall, with gradients
# below $c$, so clipping does nothing. At the step printed above the descent reaches the wall: the
# gradient is about thirty times larger, and the plain step is longer than the whole walk so far. It
# throws $(w, b)$ away from the wall, far up the slope it came down, to a loss higher than at the
# start, and the way back takes the rest of the budget. The clipped step points the same way
# (cosine 1: the direction the gradient gives is still the right one) but is only
# $\text{lr} \cdot c$ long.
#
# Clipping is no cure for the wall: the clipped run strikes it again and again (the spikes on the
# right), but each time it moves at most $\text{lr} \cdot c$, and it never leaves the foot of the
# wall. Is that more than luck from one starting point? The same two runs from five starting
# points, read by the course's standard of evidence (`lstmlearn.evidence`; the starting points play
# the part of seeds):

# %% tags=["nbval-check-output"]
rows, longest, loss_after = [], {"free": [], "clipped": []}, {"free": [], "clipped": []}
for w0 in (5.3, 5.4, 5.5, 5.6, 5.7):
    pair = {
        "free": ll.cliff.descend(w0, -2.0, lr, steps, T=15),
        "clipped": ll.cliff.descend(w0, -2.0, lr, steps, max_norm=c, T=15),
    }
    first = int(np.argmax(pair["free"].grad_norm > c))
    crossings = {}  # how often x_T changes sign along the run: (w, b) crossed the wall
    for name, run in pair.items():
        longest[name].append(run.step_norm.max())
        loss_after[name].append(np.median(run.loss[first + 1 :]))
        x_T = ll.cliff.cliff_loss(run.path[:, 0], run.path[:, 1], T=15).x_T
        crossings[name] = np.count_nonzero(np.diff(np.sign(x_T)))
    rows.append(
        [f"({w0}, -2.0)", first]
        + [f"{longest[n][-1]:.2f}" for n in pair]
        + [f"{loss_after[n][-1]:.2f}" for n in pair]
        + [f"{crossings['free']} / {crossings['clipped']}"]
    )
verdict = ll.evidence.compare(
    loss_after["clipped"], loss_after["free"], ("clipped", "plain"), higher_is_better=False, fmt="{:.2f}"
)
print(f"median loss after the first step on the wall: {verdict}")
ll.evidence.table(
    [
        "start (w, b)",
        "first step on the wall",
        "longest step, plain",
        "longest step, clipped",
        "median loss after it, plain",
        "median loss after it, clipped",
        "wall crossings, plain / clipped",
    ],
    rows,
)

# %% [markdown]
# From every start the clipped run's steps are at most $\text{lr} \cdot c = 0.1$ long (that much
# holds by construction); the plain run's longest step is 7 to 36 times that. The last column shows
# what the clipped runs do instead: they hop over the wall and back, 15 to 21 times in 30 steps,
# each hop short, so they stay at its foot, where the valley is; the plain runs cross it two to four
# times, onto it and back off with the long throw. Over the steps after the first one on the wall,
# the clipped run's median loss is lower from four of the five starts, and by the standard the
# difference is real. From $(5.4, -2.0)$ it is higher: there the hops land on the plateau's side
# about half of the time. What clipping buys is not a smoother surface but a bounded step: where
# the gradient is right about the direction and wrong about the distance, as on a wall, it keeps
# the first and discards the second.

# %% [markdown]
# > **Layers or time steps?** Vanishing gradients are often introduced with deep feed-forward
# > networks, where the gradient reaching the *first layers* shrinks. An RNN unrolled over $T$
# > steps looks like a $T$-layer network, and the mathematics (a product of Jacobians) is the same.
# > But in the RNN every "layer" is the same step with the same weights, and what vanishes is the
# > contribution of early **time steps** to the gradient of those shared weights. The weights
# > themselves still get gradient (from the recent steps); what the network cannot learn is
# > anything that needs information from far back in the sequence.
#
# ## Check your understanding
#
# 1. A tanh RNN has $\lVert W_h \rVert_2 = 0.8$. Give an upper bound for
#    $\lVert \partial h_{T}/\partial h_{T-30} \rVert$.
# 2. Why does clipping help with exploding gradients but not with vanishing ones?
# 3. True or false: in a vanilla RNN with vanishing gradients, the weights receive no gradient at all.
# 4. A random $W_h$ has spectral radius $\rho = 0.9$ and spectral norm $\lVert W_h \rVert_2 = 1.6$. Does
#    the bound of section 1 tell you whether a tanh RNN with this $W_h$ has vanishing gradients? What does?
#
# <details><summary>Answers</summary>
#
# 1. $0.8^{30} \approx 1.2 \times 10^{-3}$: each of the 30 Jacobians has norm at most $0.8$.
# 2. Clipping only ever scales a gradient *down*, to a maximum length. A vanishing gradient is
#    already tiny, and scaling it down changes nothing; the information it lacks is not there.
# 3. False. The gradient of the shared weights is a sum over steps, and the recent steps still
#    contribute. What vanishes is the part that comes from distant steps, so the network cannot
#    learn long-range dependencies.
# 4. No: the bound $1.6^{T-t}$ grows, so it allows anything. The long-run rate of the Jacobian product
#    is set by the spectral radius (Gelfand's formula: $\lVert W_h^k \rVert^{1/k} \to \rho$), and the tanh
#    slopes usually lower it further; so expect it to vanish at about $0.9$ per step or faster, and
#    measure it as in section 2. (Pascanu et al.: $\lVert W_h \rVert_2 < 1$ would *guarantee* vanishing.)
#
# </details>
#
# ## Key points
#
# * $\partial h_T/\partial h_t$ is a product of $T - t$ Jacobians $J_s = \operatorname{diag}(1 - h_s^2) W_h^\top$;
#   its norm typically shrinks or grows geometrically with the distance $T - t$.
# * The long-run rate is set by the spectral radius $\rho$ of $W_h$ ($\lVert W_h^k \rVert^{1/k} \to \rho$),
#   lowered further by the tanh slopes; the spectral norm $\lVert W_h \rVert_2 \ge \rho$ gives a guarantee
#   ($< 1$: vanishing) that can be far too loose to predict the slope.
# * Vanishing gradients mean that early time steps contribute (almost) nothing to the weight
#   updates: the network cannot learn from information that lies far back.
# * A recurrent network's loss can have walls: thin strips where the gradient is hundreds of times its
#   usual size. A plain step taken on one is thrown far; clipping keeps the step's direction and
#   limits its length to $\text{lr} \cdot c$, so the descent stays where it was (Pascanu et al., 2013).
# * Exploding gradients are tamed by clipping the global norm; vanishing ones need a different
#   architecture: the LSTM, from the next notebook on.
#
# **Next:** [03 · Gates](03_gates.ipynb)
