"""Saving and loading training runs: parameters, optimiser state, history (notebooks 07, 08).

Everything is stored as plain arrays in one .npz file, read back with allow_pickle=False
(no code runs when a checkpoint is loaded). Keys are prefixed by what they belong to:

    params/W_x ...      model parameters
    opt/t, opt/m/W_x    optimiser state (lstmlearn.optim)
    history/step ...    the History of lstmlearn.train; history/score_name, history/baseline/<k>
    state/h, state/c    a recurrent state carried across batches (text)
    step                how many training steps are done
    meta/<k>            anything else: a Model's fields, a vocabulary, hyperparameters

Writes are atomic: the file is written to a temporary file in the same folder, flushed
and fsync'ed, then renamed over the old one with os.replace. A run interrupted while
saving leaves the previous checkpoint intact.
"""

from __future__ import annotations

import os
import tempfile
from typing import NamedTuple, Optional

import numpy as np

from .models import Model, State
from .train import History


class Checkpoint(NamedTuple):
    params: dict
    opt_state: dict
    history: Optional[History]
    step: int
    state: Optional[State]
    meta: dict


def atomic_savez(path, arrays: dict) -> None:
    """np.savez `arrays` to `path` atomically (temporary file, fsync, os.replace)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_checkpoint(path, params: dict, opt_state: dict | None = None, history: History | None = None,
                    step: int = 0, state: State | None = None, meta: dict | None = None) -> None:
    """Save a training run to `path` (.npz), atomically. See the module docstring for the keys."""
    arrays = {f"params/{k}": np.asarray(v) for k, v in params.items()}
    arrays.update({f"opt/{k}": np.asarray(v) for k, v in (opt_state or {}).items()})
    if history is not None:
        for name in History.ARRAYS:
            arrays[f"history/{name}"] = np.asarray(getattr(history, name))
        arrays["history/score_name"] = np.array(history.score_name)
        arrays.update({f"history/baseline/{k}": np.array(v, dtype=np.float64)
                       for k, v in history.baseline.items()})
    if state is not None:
        arrays["state/h"] = state.h
        if state.c is not None:
            arrays["state/c"] = state.c
    arrays["step"] = np.array(step, dtype=np.int64)
    arrays.update({f"meta/{k}": np.asarray(v) for k, v in (meta or {}).items()})
    atomic_savez(path, arrays)


def load_checkpoint(path) -> Checkpoint:
    """Read a checkpoint written by save_checkpoint."""
    with np.load(path, allow_pickle=False) as f:
        d = {k: f[k] for k in f.files}

    def group(prefix):
        return {k[len(prefix):]: v for k, v in d.items() if k.startswith(prefix)}

    history = None
    if "history/step" in d:
        h = group("history/")
        history = History(**{name: h[name] for name in History.ARRAYS},
                          score_name=str(h["score_name"]),
                          baseline={k: float(v) for k, v in group("history/baseline/").items()})
    state = State(d["state/h"], d.get("state/c")) if "state/h" in d else None
    return Checkpoint(group("params/"), group("opt/"), history, int(d["step"]), state, group("meta/"))


def save_model(path, params: dict, model: Model, **meta) -> None:
    """Save trained parameters with the Model that reads them (and any extra metadata)."""
    fields = {f"model_{k}": v for k, v in model.__dict__.items()}
    save_checkpoint(path, params, meta={**fields, **meta})


def load_model(path):
    """(params, model, meta) from a file written by save_model."""
    ck = load_checkpoint(path)
    kinds = {"core": str, "readout": str, "loss": str, "one_hot": bool,
             "input_size": int, "hidden_size": int, "output_size": int}
    model = Model(**{k: t(ck.meta.pop(f"model_{k}")) for k, t in kinds.items()})
    return ck.params, model, ck.meta
