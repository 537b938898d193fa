"""Input checks that speak to a learner.

Every public function of lstmlearn checks its arguments here before doing any maths,
so a wrong shape or a NaN is reported where it enters, with the argument's name, what
was expected, what came, and how to fix it.
"""

from __future__ import annotations

import numpy as np

FLOAT_DTYPES = (np.float16, np.float32, np.float64)


def as_float_array(name: str, value, dtype=None) -> np.ndarray:
    """Return `value` as a floating-point ndarray (cast to `dtype` if given).

    Raises TypeError for integer, boolean, complex or object input: silently turning
    the integers 0 and 1 into floats hides mistakes such as passing token ids where
    one-hot vectors were meant.
    """
    arr = np.asarray(value)
    if arr.dtype.type not in FLOAT_DTYPES:
        raise TypeError(
            f"{name} must be a floating-point array (float32 or float64), "
            f"but it has dtype {arr.dtype}. "
            f"Convert it first, for example {name} = np.asarray({name}, dtype=np.float64)."
        )
    if dtype is not None and arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr


def check_finite(name: str, arr: np.ndarray) -> None:
    """Raise ValueError if `arr` holds NaN or inf, saying where the first one is."""
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = tuple(int(k) for k in bad)
        raise ValueError(
            f"{name} contains {float(arr[where])} at index {where} "
            f"({int((~np.isfinite(arr)).sum())} non-finite value(s) in all). "
            f"NaN and inf would spread through every later step; find where they "
            f"were produced (a learning rate that is too large is a common cause)."
        )


def check_shape(name: str, arr: np.ndarray, expected: tuple, meaning: str, hint: str = "") -> None:
    """Check `arr.shape` against `expected`, where None in `expected` matches any size.

    `meaning` names the axes, e.g. "(T, B, D) = (time steps, batch, input size)".
    """
    ok = arr.ndim == len(expected) and all(
        e is None or e == s for e, s in zip(expected, arr.shape)
    )
    if not ok:
        want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        if len(expected) == 1:
            want = want[:-1] + ",)"
        raise ValueError(
            f"{name} should have shape {want}, {meaning}, but it has shape {arr.shape}."
            + (f" {hint}" if hint else "")
        )


def check_choice(name: str, value, choices) -> None:
    """Raise ValueError unless `value` is one of `choices`."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, but it is {value!r}.")


def check_array_fields(record, name: str = "p") -> None:
    """Every field of a parameter record (a NamedTuple such as LSTMParams) must be a numpy array."""
    for field, a in zip(record._fields, record):
        if not isinstance(a, np.ndarray):
            raise TypeError(f"{name}.{field} should be a numpy array, but it is a {type(a).__name__}. "
                            f"Convert it: {name} = {name}._replace({field}=np.asarray({name}.{field}, dtype=float)).")


def check_positive_int(name: str, value, allow_none: bool = False) -> None:
    """Raise ValueError unless `value` is an int >= 1 (or None when allowed)."""
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, but it is {value!r}.")


def check_rng(rng) -> None:
    """Raise TypeError unless `rng` is a numpy Generator: randomness only through an explicit rng."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0), "
                        f"but it is {type(rng).__name__}.")


def check_sequence(name: str, X, p) -> np.ndarray:
    """Check a time-major input sequence X (T, B, D) against params p; return it as p.dtype."""
    X = as_float_array(name, X, p.dtype)
    D = p.input_size
    hint = ""
    if X.ndim == 2:
        hint = (f"For one sequence of shape (T, D) add a batch axis: {name}[:, None, :]. "
                f"For a batch of single steps (B, D) add a time axis: {name}[None].")
    check_shape(name, X, (None, None, D),
                f"that is (T, B, D) = (time steps, batch, input size) with D = p.input_size = {D}", hint)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} has shape {X.shape}: it needs at least one time step and one example.")
    check_finite(name, X)
    return X


def state_or_zeros(name: str, value, shape: tuple, dtype) -> np.ndarray:
    """A (B, H) state or state gradient (h0, c0, dh_T, dc_T): zeros if None, else checked.

    Returns `value` as a float array of `dtype` after checking its shape and that it is finite.
    """
    if value is None:
        return np.zeros(shape, dtype=dtype)
    value = as_float_array(name, value, dtype)
    check_shape(name, value, shape, "that is (B, H)")
    check_finite(name, value)
    return value


def check_backward_inputs(dHs, hidden_shape: tuple, dtype, truncate=None, **final) -> tuple:
    """The checks every backward pass through time starts with.

    dHs : dL/dh_t for every step, which must have `hidden_shape` (T, B, H), the shape of the
        hidden states the forward pass returned
    truncate : None or a whole number >= 1
    final : the gradients into the final state, e.g. dh_T=None, dc_T=None, each (B, H)

    Returns (dHs, *final values) as checked arrays of `dtype`, zeros where None was given.
    """
    dHs = as_float_array("dHs", dHs, dtype)
    check_shape("dHs", dHs, hidden_shape, "the shape of the hidden states Hs the forward pass returned")
    check_finite("dHs", dHs)
    check_positive_int("truncate", truncate, allow_none=True)
    return (dHs, *(state_or_zeros(name, v, hidden_shape[1:], dtype) for name, v in final.items()))
