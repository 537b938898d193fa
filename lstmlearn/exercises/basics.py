"""The exercises of notebooks 01 to 05: each a reference answer, test inputs and known mistakes."""

import numpy as np

from ..activations import sigmoid as _sigmoid
from ..lstm import lstm_forward, lstm_step
from ..memory import half_life
from ..optim import clip_grad_norm, global_norm
from ..params import LSTMParams, RNNParams, init_lstm
from .. import engine
from ..rnn import rnn_step
from .exercise import Exercise

EXERCISES: dict[str, Exercise] = {}  # name -> exercise, the table this module exports


def _scalars_and_arrays(rng):
    # the last input reaches |z| = 800, where exp(z) overflows to inf: a sigmoid written so that
    # inf / inf = NaN fails there, while 1 / (1 + exp(-z)) gives the right 0 (and 1)
    far = np.array([-800.0, -40.0, 40.0, 800.0])
    return [dict(z=0.0), dict(z=2.0), dict(z=-3.5), dict(z=rng.normal(size=(3, 4)) * 4), dict(z=far)]


EXERCISES["sigmoid"] = Exercise(
    "03",
    "sigmoid(z) = 1 / (1 + exp(-z)), elementwise",
    _sigmoid,
    _scalars_and_arrays,
    mistakes={
        "check the sign in the exponent: sigmoid(z) = 1 / (1 + exp(-z)).": lambda z: 1 / (1 + np.exp(z)),
        "that is tanh; the sigmoid squashes into (0, 1), not (-1, 1).": lambda z: np.tanh(z),
        "a sigmoid is smooth, not a 0/1 step: it returns a fraction between 0 and 1.": lambda z: (
            np.asarray(z) > 0
        ).astype(float),
        "exp(z) / (1 + exp(z)) is the sigmoid on paper, but for large z np.exp(z) overflows to inf, "
        "and inf / inf is NaN. Divide top and bottom by exp(z): in 1 / (1 + exp(-z)) an overflow "
        "only makes the denominator inf, and the result the right 0.": lambda z: np.exp(z) / (1 + np.exp(z)),
    },
    own=(_sigmoid,),
)


def _gd_inputs(rng):
    return [
        dict(w=0.5, grad=2.0, lr=0.1),
        dict(w=-1.0, grad=-0.3, lr=0.5),
        dict(w=rng.normal(size=3), grad=rng.normal(size=3), lr=0.01),
    ]


EXERCISES["gd_step"] = Exercise(
    "01",
    "one gradient-descent step: w_new = w - lr * dL/dw",
    lambda w, grad, lr: np.asarray(w) - lr * np.asarray(grad),
    _gd_inputs,
    mistakes={
        "gradient descent goes *against* the gradient: subtract lr * grad.": lambda w, grad, lr: (
            np.asarray(w) + lr * np.asarray(grad)
        ),
        "multiply the gradient by the learning rate lr.": lambda w, grad, lr: np.asarray(w) - np.asarray(grad),
    },
)


TRANSPOSED = (
    "no transpose: with row vectors the recurrent term is h_prev @ W_h, like x @ W_x. Row j of W_h "
    "holds what unit j of h_prev sends to every new unit; h_prev @ W_h.T runs (W_h is square) but "
    "sends it along the wrong connections."
)


def _rnn_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (5, 2, 3)]:
        out.append(
            dict(
                x=rng.normal(size=(B, D)),
                h_prev=rng.normal(size=(B, H)),
                W_x=rng.normal(size=(D, H)),
                W_h=rng.normal(size=(H, H)),
                b=rng.normal(size=H),
            )
        )
    return out


EXERCISES["rnn_step"] = Exercise(
    "01",
    "h = tanh(x @ W_x + h_prev @ W_h + b)",
    lambda x, h_prev, W_x, W_h, b: rnn_step(x, h_prev, RNNParams(W_x, W_h, b)).h,
    _rnn_inputs,
    mistakes={
        "the new hidden state depends on h_prev too: add h_prev @ W_h.": lambda x, h_prev, W_x, W_h, b: np.tanh(
            x @ W_x + b
        ),
        "squash the sum with tanh.": lambda x, h_prev, W_x, W_h, b: x @ W_x + h_prev @ W_h + b,
        TRANSPOSED: lambda x, h_prev, W_x, W_h, b: np.tanh(x @ W_x + h_prev @ W_h.T + b),
    },
    own=(rnn_step,),
)


def _clip_inputs(rng):
    return [
        dict(grads={"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}, max_norm=1.0),
        dict(grads={"W": np.array([[0.3, 0.0]]), "b": np.array([0.4])}, max_norm=1.0),
        dict(grads={"W_h": rng.normal(size=(4, 4)) * 10, "W_x": rng.normal(size=(2, 4))}, max_norm=5.0),
    ]


EXERCISES["clip_grad_norm"] = Exercise(
    "02",
    "global-norm clipping: if ||g|| > c then g <- c g / ||g||; return (clipped dict, norm before)",
    clip_grad_norm,
    _clip_inputs,
    mistakes={
        "clip by the *global* norm over all arrays together, not each array on its own.": lambda grads, max_norm: (
            {k: v * min(1.0, max_norm / np.linalg.norm(v)) for k, v in grads.items()},
            global_norm(grads),
        ),
        "only rescale when the norm is larger than max_norm; small gradients stay as they are.": lambda grads, max_norm: (
            {k: v * max_norm / global_norm(grads) for k, v in grads.items()},
            global_norm(grads),
        ),
    },
    # PyTorch's clip_grad_norm_ scales by max_norm / (norm + 1e-6), which differs from
    # max_norm / norm by at most 1e-6 / max_norm relative where it clips (norm > max_norm):
    # 1e-6 here. rtol = 1e-5 accepts that and any eps up to 1e-5 max_norm; every known
    # mistake is off by more than 10 %.
    rtol=1e-5,
    own=(clip_grad_norm,),
)


def _jacobian_inputs(rng):
    return [
        dict(h=np.array([0.5]), W_h=np.array([[0.8]])),
        dict(h=np.tanh(rng.normal(size=4)), W_h=rng.normal(size=(4, 4))),
        dict(h=np.tanh(rng.normal(size=6)), W_h=rng.normal(size=(6, 6))),
    ]


EXERCISES["rnn_jacobian"] = Exercise(
    "02",
    "J = diag(1 - h^2) @ W_h.T, the Jacobian of one tanh step in the row-vector convention",
    lambda h, W_h: (1 - h**2)[:, None] * W_h.T,
    _jacobian_inputs,
    mistakes={
        "with row vectors the Jacobian uses W_h.T, the transpose (row k of J belongs to unit k of h_t).": lambda h, W_h: (
            (1 - h**2)[:, None] * W_h
        ),
        "scale the *rows* (one per unit of h_t): (1 - h**2)[:, None] * W_h.T, not the columns.": lambda h, W_h: (
            W_h.T * (1 - h**2)[None, :]
        ),
        "include tanh's derivative 1 - h**2: the Jacobian is diag(1 - h**2) @ W_h.T.": lambda h, W_h: W_h.T,
    },
)


def _gate_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (3, 2, 5)]:
        out.append(
            dict(
                x=rng.normal(size=(B, D)),
                h_prev=rng.normal(size=(B, H)),
                W_x=rng.normal(size=(D, H)),
                W_h=rng.normal(size=(H, H)),
                b=rng.normal(size=H),
            )
        )
    return out


EXERCISES["forget_gate"] = Exercise(
    "03",
    "f = sigmoid(x @ W_xf + h_prev @ W_hf + b_f)",
    lambda x, h_prev, W_x, W_h, b: _sigmoid(x @ W_x + h_prev @ W_h + b),
    _gate_inputs,
    mistakes={
        "a gate uses the sigmoid, so its values lie in (0, 1); tanh is for the candidate g.": lambda x, h_prev, W_x, W_h, b: (
            np.tanh(x @ W_x + h_prev @ W_h + b)
        ),
        "the gate sees both x and h_prev (their concatenation [h_prev, x]).": lambda x, h_prev, W_x, W_h, b: _sigmoid(
            x @ W_x + b
        ),
        "add the bias b inside the sigmoid: it sets the gate's value when the inputs are small "
        "(sigmoid(b_f) is the cell's default memory).": lambda x, h_prev, W_x, W_h, b: _sigmoid(x @ W_x + h_prev @ W_h),
        TRANSPOSED: lambda x, h_prev, W_x, W_h, b: _sigmoid(x @ W_x + h_prev @ W_h.T + b),
    },
)

EXERCISES["candidate"] = Exercise(
    "03",
    "g = tanh(x @ W_xg + h_prev @ W_hg + b_g)",
    lambda x, h_prev, W_x, W_h, b: np.tanh(x @ W_x + h_prev @ W_h + b),
    _gate_inputs,
    mistakes={
        "the candidate uses tanh (values in (-1, 1)), not the sigmoid.": lambda x, h_prev, W_x, W_h, b: _sigmoid(
            x @ W_x + h_prev @ W_h + b
        ),
        TRANSPOSED: lambda x, h_prev, W_x, W_h, b: np.tanh(x @ W_x + h_prev @ W_h.T + b),
    },
)


def _cell_inputs(rng):
    H = 4
    return [
        dict(f=np.array([1.0]), i=np.array([0.0]), g=np.array([0.7]), c_prev=np.array([2.0])),
        dict(f=rng.uniform(size=H), i=rng.uniform(size=H), g=rng.uniform(-1, 1, size=H), c_prev=rng.normal(size=H)),
    ]


EXERCISES["cell_update"] = Exercise(
    "04",
    "c = f * c_prev + i * g",
    lambda f, i, g, c_prev: f * c_prev + i * g,
    _cell_inputs,
    mistakes={
        "the input gate i scales the candidate g: add i * g, not g alone.": lambda f, i, g, c_prev: f * c_prev + g,
        "the forget gate multiplies the *old* cell state c_prev.": lambda f, i, g, c_prev: c_prev + i * g,
        "the update is additive: f * c_prev + i * g.": lambda f, i, g, c_prev: f * c_prev * i * g,
    },
)

EXERCISES["half_life"] = Exercise(
    "04",
    "the number of steps t after which f**t has fallen to one half",
    half_life,
    lambda rng: [dict(f=0.5), dict(f=0.9), dict(f=0.99), dict(f=np.array([0.7, 0.95, 0.999]))],
    mistakes={
        "your half-life gets shorter as f approaches 1, but a cell that keeps more at each step should "
        "remember longer. Try f = 0.5 by hand: after how many steps is half left?": lambda f: np.log(f) / np.log(0.5),
        "a half-life counts steps, so it must be positive. Both sides of f**t = 1/2 are below 1: "
        "what sign do their logarithms have?": lambda f: np.log(2) / np.log(f),
        "the right shape, the wrong scale: for f = 0.5 the answer must be exactly 1 step. "
        "Take the logarithm of both sides of f**t = 1/2 and solve for t.": lambda f: 1 / np.log(f),
    },
    own=(half_life,),
)


def _step_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (4, 2, 3)]:
        p = init_lstm(D, H, rng=rng)
        out.append(dict(x=rng.normal(size=(B, D)), h_prev=rng.normal(size=(B, H)), c_prev=rng.normal(size=(B, H)), p=p))
    return out


def _step_ref(x, h_prev, c_prev, p):
    s = lstm_step(x, h_prev, c_prev, p)
    return s.h, s.c


EXERCISES["lstm_step"] = Exercise(
    "05",
    "one whole LSTM step: return (h, c)",
    _step_ref,
    _step_inputs,
    mistakes={
        "h = o * tanh(c): the cell state goes through tanh before the output gate.": lambda x, h_prev, c_prev, p: (
            lambda s: (s.o * s.c, s.c)
        )(lstm_step(x, h_prev, c_prev, p)),
        "PyTorch's gate order is i, f, g, o: columns H:2H of W_x are the forget gate.": lambda x, h_prev, c_prev, p: (
            _step_ref(x, h_prev, c_prev, _with_blocks(p, [1, 0, 2, 3]))
        ),
        "you read the blocks in the order i, f, o, g (CS231n's and Karpathy's order). lstmlearn and "
        "PyTorch stack them i, f, g, o: columns 2H:3H are the candidate g, 3H:4H the output gate o.": lambda x, h_prev, c_prev, p: (
            _step_ref(x, h_prev, c_prev, _with_blocks(p, [0, 1, 3, 2]))
        ),
    },
    own=(lstm_step,),
)


def _sequence_inputs(rng):
    out = []
    for T, B, D, H in [(1, 1, 1, 1), (5, 2, 3, 4), (8, 3, 2, 3)]:
        out.append(dict(X=rng.normal(size=(T, B, D)), p=init_lstm(D, H, rng=rng)))
    return out


def _sequence_without_c(X, p):
    h, Hs = np.zeros((X.shape[1], p.hidden_size)), []
    for x in X:
        h = lstm_step(x, h, np.zeros_like(h), p).h
        Hs.append(h)
    return np.stack(Hs)


EXERCISES["lstm_sequence"] = Exercise(
    "05",
    "run lstm_step over X (T, B, D) from zeros; return Hs (T, B, H)",
    lambda X, p: lstm_forward(X, p)[0],
    _sequence_inputs,
    mistakes={
        "hand on the cell state too: each step needs the c that the previous step returned (s.c).": _sequence_without_c
    },
    own=(lstm_forward, engine.lstm_forward, engine.variant_forward),  # ll.lstm_step for each step is the exercise
)


def _with_blocks(p, order):
    """p with its four gate blocks rearranged: block k of the result is block order[k] of p
    (what a step computes when it reads the blocks in another order)."""
    H = p.hidden_size
    perm = np.concatenate([np.arange(k * H, (k + 1) * H) for k in order])
    return LSTMParams(p.W_x[:, perm], p.W_h[:, perm], p.b[perm])
