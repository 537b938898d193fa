"""A sequence model: a recurrent core (RNN, LSTM, GRU or an LSTM variant) plus a linear
readout (notebooks 07 long lags, 08 char model, 09 variants).

    h_t = core(x_t, state_{t-1})                 lstmlearn.cores: lstm, rnn, gru, ..., (B, H)
    y_t = h_t @ W_y + b_y                        readout, (B, K)

readout "all"  (many-to-many): a prediction at every step, Y (T, B, K)
readout "last" (many-to-one):  one prediction per sequence, read at its last step,
                               Y (B, K); with `lengths`, sequence b ends at step lengths[b]-1

The loss is "mse" (Y are real targets) or "xent" (Y are class ids, predictions are
logits); see lstmlearn.losses. With one_hot=True the inputs are integer ids (T, B) and
x_t is the one-hot vector of the id (the same as picking a row of W_x: an embedding).

State is explicit. Parameters are a plain dict of arrays,

    LSTM core: W_x (D, 4H), W_h (H, 4H), b (4H,);  RNN core: W_x (D, H), W_h (H, H), b (H,)
    (other cores: see lstmlearn.cores)
    readout:   W_y (H, K),  b_y (K,)

and the recurrent state (h, c) goes in and comes out of every call, so a long text can be
cut into chunks whose final state starts the next chunk (truncated BPTT across batches).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Optional

import numpy as np

from ._checks import as_float_array, check_choice, check_finite, check_positive_int, check_shape
from .losses import check_class_ids, mse, softmax_cross_entropy
from .cores import CORES

READOUT_NAMES = ("W_y", "b_y")


@dataclass(frozen=True)
class Model:
    """What a model is (not its weights): core (a name in lstmlearn.cores.CORES: "lstm",
    "rnn", "gru", "lstm-coupled", ...), sizes, readout, loss.

    input_size D (the vocabulary size when one_hot), hidden_size H, output_size K.
    """

    core: str
    input_size: int
    hidden_size: int
    output_size: int
    readout: str = "last"
    loss: str = "mse"
    one_hot: bool = False

    def __post_init__(self):
        for name in ("core", "readout", "loss"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a name (a str), but it is {getattr(self, name)!r}.")
        if not isinstance(self.one_hot, (bool, np.bool_)):
            raise TypeError(f"one_hot must be True or False, but it is {self.one_hot!r}.")
        check_choice("core", self.core, tuple(CORES))
        check_choice("readout", self.readout, ("last", "all"))
        check_choice("loss", self.loss, ("mse", "xent"))
        for name in ("input_size", "hidden_size", "output_size"):
            check_positive_int(name, getattr(self, name))


class State(NamedTuple):
    """Recurrent state: h (B, H) and, for an LSTM, c (B, H) (None for an RNN)."""

    h: np.ndarray
    c: Optional[np.ndarray] = None  # for cores without a cell state (rnn, gru): None


class Output(NamedTuple):
    """What forward returns: predictions Y, the final state, and the trace for backward."""

    Y: np.ndarray  # (T, B, K) for readout "all", (B, K) for "last"
    state: State  # state after the last step of the (padded) input
    trace: object  # the core's trace (LSTMStep or RNNStep), stacked over time


def init_model(model: Model, rng: np.random.Generator, forget_bias: float = 1.0,
               dtype=np.float64) -> dict:
    """New parameters: the core drawn as in lstmlearn.params, W_y uniform(-1/sqrt(H), 1/sqrt(H)), b_y = 0."""
    D, H, K = model.input_size, model.hidden_size, model.output_size
    core = CORES[model.core].init(D, H, rng, forget_bias, dtype)
    k = 1.0 / np.sqrt(H)
    return {**core,
            "W_y": rng.uniform(-k, k, size=(H, K)).astype(dtype),
            "b_y": np.zeros(K, dtype=dtype)}


def initial_state(model: Model, batch_size: int, dtype=np.float64) -> State:
    """Zeros: h (B, H), and c (B, H) for a core with a cell state."""
    z = np.zeros((batch_size, model.hidden_size), dtype=dtype)
    return State(z, z.copy() if CORES[model.core].has_cell else None)


def forward(params: dict, X, model: Model, state: State | None = None, lengths=None) -> Output:
    """Run the model over X (T, B, D), or integer ids (T, B) when model.one_hot.

    state : State to start from (zeros if None).
    lengths : (B,) ints in [1, T], readout "last" only: sequence b ends at step lengths[b]-1
        (the steps after it are padding and do not affect the prediction).
    """
    params = check_model_params(params, model)
    X = _inputs(X, model, params["W_x"].dtype)
    T, B = X.shape[:2]
    h0, c0 = (None, None) if state is None else (state.h, state.c)
    Hs, trace, h_T, c_T = CORES[model.core].forward(X, params, h0, c0)
    final = State(h_T, c_T)
    if model.readout == "all":
        Y = Hs @ params["W_y"] + params["b_y"]  # (T, B, K)
    else:
        last = _last_steps(lengths, T, B)
        Y = Hs[last, np.arange(B)] @ params["W_y"] + params["b_y"]  # (B, K)
    return Output(Y, final, trace)


def loss_and_grads(params: dict, X, Y, model: Model, mask=None, lengths=None,
                   state: State | None = None, truncate: int | None = None,
                   return_state: bool = False):
    """The loss of the model on (X, Y) and its gradient for every parameter.

    Y : targets. Readout "all": (T, B, K) floats for "mse" or (T, B) class ids for "xent".
        Readout "last": (B, K) floats or (B,) class ids.
    mask : weights per prediction, (T, B) or (B,) (see lstmlearn.losses); None counts all.
    lengths, state : as in forward. truncate : k for truncated BPTT within the chunk.

    Returns (loss, grads), grads a dict with the same names as params; with
    return_state=True, (loss, grads, final_state). No gradient flows into `state`
    (it is a constant: truncated BPTT across chunks). Raises FloatingPointError if the
    loss is NaN or inf (before the backward pass, which would refuse it).
    """
    params = check_model_params(params, model)
    out = forward(params, X, model, state, lengths)
    T, B = out.trace.h.shape[:2]
    if model.loss == "mse":
        loss, dY = mse(out.Y, Y, mask)
    else:
        loss, dY = softmax_cross_entropy(out.Y, Y, mask)
    if not np.isfinite(loss):
        raise FloatingPointError(f"the loss is {loss}")
    Hs = out.trace.h  # (T, B, H)
    H = Hs.shape[-1]
    if model.readout == "all":
        K = dY.shape[-1]
        dW_y = Hs.reshape(T * B, H).T @ dY.reshape(T * B, K)  # (H, K)
        db_y = dY.reshape(T * B, K).sum(axis=0)
        dHs = dY @ params["W_y"].T  # (T, B, H)
    else:
        last = _last_steps(lengths, T, B)
        dW_y = Hs[last, np.arange(B)].T @ dY
        db_y = dY.sum(axis=0)
        dHs = np.zeros_like(Hs)
        dHs[last, np.arange(B)] = dY @ params["W_y"].T
    grads = {**CORES[model.core].backward(dHs, out.trace, params, truncate), "W_y": dW_y, "b_y": db_y}
    return (loss, grads, out.state) if return_state else (loss, grads)


def predict(params: dict, X, model: Model, state: State | None = None, lengths=None) -> np.ndarray:
    """Predictions only: forward(...).Y."""
    return forward(params, X, model, state, lengths).Y


def check_model_params(params, model: Model) -> dict:
    """`params` as a dict of float arrays, after checking that it has every name `model`
    needs, each of the right shape and finite (TypeError, KeyError or ValueError naming
    the entry otherwise)."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of named arrays (from init_model), but it is a "
                        f"{type(params).__name__}.")
    names = CORES[model.core].names + READOUT_NAMES
    missing = [k for k in names if k not in params]
    if missing:
        raise KeyError(f"params is missing {missing}; a {model.core!r} model's params have names "
                       f"{list(names)}. Make them with init_model(model, rng).")
    shapes = _shapes(model.core, model.input_size, model.hidden_size, model.output_size)
    checked = {}
    for k in names:
        w = as_float_array(f"params[{k!r}]", params[k])
        check_shape(f"params[{k!r}]", w, shapes[k],
                    f"as init_model makes it for this model (D={model.input_size}, H={model.hidden_size}, "
                    f"K={model.output_size})")
        check_finite(f"params[{k!r}]", w)
        checked[k] = w
    return checked


@lru_cache(maxsize=64)
def _shapes(core, D, H, K) -> dict:
    """name -> shape of every parameter of a model with this core and these sizes."""
    made = CORES[core].init(D, H, np.random.default_rng(0), 1.0, np.float64)
    return {**{k: v.shape for k, v in made.items()}, "W_y": (H, K), "b_y": (K,)}


def _inputs(X, model, dtype):
    if not model.one_hot:
        X = as_float_array("X", X)
        check_shape("X", X, (None, None, model.input_size), "(T, B, D) = (time steps, batch, input size)")
        return X
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X should have shape (T, B) of integer ids for a model with one_hot=True, "
                         f"but it has shape {X.shape}.")
    ids = check_class_ids("X", X, X.shape, model.input_size)
    return np.eye(model.input_size, dtype=dtype)[ids]  # (T, B, V)


def _last_steps(lengths, T, B):
    if lengths is None:
        return np.full(B, T - 1)
    lengths = np.asarray(lengths)
    if not np.issubdtype(lengths.dtype, np.integer):
        raise TypeError(f"lengths must be integers, but it has dtype {lengths.dtype}.")
    check_shape("lengths", lengths, (B,), "one length per sequence in the batch")
    if lengths.min() < 1 or lengths.max() > T:
        raise ValueError(f"lengths must lie in [1, T] with T = {T} steps in X, but they run "
                         f"from {lengths.min()} to {lengths.max()}.")
    return lengths - 1
