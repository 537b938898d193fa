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


def check_positive_int(name: str, value, allow_none: bool = False) -> None:
    """Raise ValueError unless `value` is an int >= 1 (or None when allowed)."""
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, but it is {value!r}.")
