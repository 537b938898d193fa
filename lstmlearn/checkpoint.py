"""Saving and loading training runs: parameters, optimiser state, history (notebooks 07, 08).

Everything is stored as plain arrays in one .npz file, read back with allow_pickle=False
(no code runs when a checkpoint is loaded). Keys are prefixed by what they belong to:

    params/W_x ...      model parameters
    opt/t, opt/m/W_x    optimiser state (lstmlearn.optim)
    history/step ...    the History of lstmlearn.history; history/score_name, history/baseline/<k>
    state/h, state/c    a recurrent state carried across batches (text)
    step                how many training steps are done
    meta/<k>            anything else: a Model's fields, a vocabulary, hyperparameters;
                        meta/run/<k> is what defines a training run (see lstmlearn.train)

Writes are atomic (lstmlearn.atomic): a run interrupted or killed while saving leaves the
previous checkpoint intact, and the next save or load removes the temporary file a killed
writer left behind (never a live writer's).

A checkpoint path that is a symbolic link is written through: the link's target gets the new file.

Every way a load can fail says which file, what was expected and what to do
(CheckpointError); a missing file is a FileNotFoundError naming it. Sizes are checked
before anything is read: a file whose arrays declare more bytes than it holds, or more than
this machine's memory, is refused, not allocated. A save that fails (a full disk, a folder
replaced by a file, no permission) raises CheckpointSaveError naming the checkpoint, what
failed and what to do; from train it carries everything trained in `.result`.
"""

from __future__ import annotations

import errno
import math
import os
import zipfile
from typing import NamedTuple, Optional

import numpy as np

from .atomic import atomic_savez, remove_orphans
from .history import History
from .models import Model, State


class Checkpoint(NamedTuple):
    """A training run read back from a file (load_checkpoint).

    params : name -> array, the model's parameters
    opt_state : name -> array, the optimiser's state ({} if none was saved)
    history : the History so far, or None
    step : how many training steps are done
    state : the recurrent State carried across batches (text tasks), or None
    meta : name -> array, everything saved under meta/ (a Model's fields, a run's settings ...)
    """

    params: dict
    opt_state: dict
    history: Optional[History]
    step: int
    state: Optional[State]
    meta: dict


class CheckpointError(ValueError):
    """A file that cannot be read as a checkpoint: truncated, not an .npz archive, or an
    archive of something else. The message names the file and says what to do."""


class CheckpointSaveError(CheckpointError):
    """A checkpoint could not be written (no space, not a folder, no permission ...).

    `.path` is the checkpoint path as given, `.reason` what failed. From train, `.result` is
    the TrainResult of every step finished (as TrainingInterrupted carries it), so nothing that
    trained is lost; save it elsewhere with save_checkpoint, or keep training from it.
    """

    def __init__(self, message: str, path=None, reason: str = "", result=None):
        super().__init__(message)
        self.path, self.reason, self.result = path, reason, result


class CheckpointMismatch(CheckpointError):
    """A checkpoint written by a run with other settings than the one asked to resume it."""


# --- saving and loading ------------------------------------------------------------------


def save_checkpoint(
    path,
    params: dict,
    opt_state: dict | None = None,
    history: History | None = None,
    step: int = 0,
    state: State | None = None,
    meta: dict | None = None,
) -> None:
    """Save a training run to `path` (.npz), atomically. See the module docstring for the keys."""
    arrays = {f"params/{k}": np.asarray(v) for k, v in params.items()}
    arrays.update({f"opt/{k}": np.asarray(v) for k, v in (opt_state or {}).items()})
    if history is not None:
        for name in History.ARRAYS:
            arrays[f"history/{name}"] = np.asarray(getattr(history, name))
        arrays["history/score_name"] = np.array(history.score_name)
        arrays.update({f"history/baseline/{k}": np.array(v, dtype=np.float64) for k, v in history.baseline.items()})
    if state is not None:
        arrays["state/h"] = state.h
        if state.c is not None:
            arrays["state/c"] = state.c
    arrays["step"] = np.array(step, dtype=np.int64)
    arrays.update({f"meta/{k}": np.asarray(v) for k, v in (meta or {}).items()})
    try:
        atomic_savez(path, arrays)
    except OSError as err:
        reason, todo = _why_not_saved(path, err)
        raise CheckpointSaveError(
            f"The checkpoint {os.fspath(path)} could not be saved: {reason}. The previous checkpoint "
            f"there, if any, is intact. {todo}",
            path,
            reason,
        ) from err


def _why_not_saved(path, err: OSError) -> tuple:
    """(what failed, what to do) for an OSError raised while saving to `path`."""
    folder = os.path.dirname(os.path.abspath(os.fspath(path))) or "."
    elsewhere = "or give another checkpoint_path"
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full (no space left on it)", f"Free some space there and save again, {elsewhere}."
    blocked = [p for p in _parents(folder) if os.path.lexists(p) and not os.path.isdir(p)]
    if err.errno in (errno.ENOTDIR, errno.EEXIST) or blocked or not os.path.isdir(folder):
        what = f"{blocked[-1]} is a file, not a folder" if blocked else f"its folder {folder} does not exist any more"
        return what, f"Move that file away (the checkpoint needs a folder there), {elsewhere}."
    if err.errno in (errno.EACCES, errno.EPERM):
        return f"there is no permission to write in {folder}", f"Make the folder writable, {elsewhere}."
    if err.errno == errno.EROFS:
        return f"{folder} is on a read-only file system", f"Save it on a writable disk: {elsewhere}."
    if err.errno == errno.EISDIR:
        return "the path is a folder", "Give a file name, e.g. checkpoint_path='run.npz'."
    return f"{err.strerror or err}", f"Fix the cause and save again, {elsewhere}."


def _parents(folder: str) -> list:
    """`folder` and the folders above it, the top one first."""
    out, here = [], os.path.abspath(folder)
    while True:
        out.append(here)
        up = os.path.dirname(here)
        if up == here:
            return out[::-1]
        here = up


_EXPECTED = (
    "an .npz archive written by lstmlearn's save_checkpoint (or by train with "
    "checkpoint_path=...), holding params/..., step and, from train, opt/... and history/..."
)


def _not_a_checkpoint(path, what) -> CheckpointError:
    return CheckpointError(
        f"{os.fspath(path)} is not a checkpoint that can be read: {what}. Expected {_EXPECTED}. "
        f"If it is a checkpoint cut short (a full disk, a copy that did not finish), it cannot be "
        f"repaired: delete it, or give train another checkpoint_path (resume=False starts afresh "
        f"and overwrites it)."
    )


def load_checkpoint(path) -> Checkpoint:
    """Read a checkpoint written by save_checkpoint.

    Raises FileNotFoundError if there is no file, and CheckpointError (naming the file,
    what was expected and what to do) for a file that is not such a checkpoint.
    No data in the file is ever unpickled.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"There is no checkpoint at {os.fspath(path)}: check the path (the folder holds {_listing(path)})."
        )
    remove_orphans(path)
    d = _read_arrays(path)
    if "step" not in d or d["step"].shape != () or d["step"].dtype.kind not in "iu":
        raise _not_a_checkpoint(
            path,
            f"it is an .npz archive, but of other arrays ({', '.join(sorted(d)[:5]) or 'none'}), with no step count",
        )

    def group(prefix):
        return {k[len(prefix) :]: v for k, v in d.items() if k.startswith(prefix)}

    history = None
    if "history/step" in d:
        h = group("history/")
        missing = [name for name in History.ARRAYS + ("score_name",) if name not in h]
        if missing:
            raise _not_a_checkpoint(path, f"its history lacks {missing}")
        history = History(
            **{name: h[name] for name in History.ARRAYS},
            score_name=str(h["score_name"]),
            baseline={k: float(v) for k, v in group("history/baseline/").items()},
        )
    state = State(d["state/h"], d.get("state/c")) if "state/h" in d else None
    return Checkpoint(group("params/"), group("opt/"), history, int(d["step"]), state, group("meta/"))


def _read_arrays(path) -> dict:
    """Every array of the .npz at `path`, or a CheckpointError saying why not."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
        if head[:2] != b"PK":
            what = (
                "it is empty"
                if not head
                else "it is a single .npy array, not an .npz archive"
                if head.startswith(b"\x93NUM")
                else "it is not an .npz (zip) archive"
            )
            raise _not_a_checkpoint(path, what)
        _check_declared_sizes(path)
        with np.load(path, allow_pickle=False) as f:
            if not hasattr(f, "files"):
                raise _not_a_checkpoint(path, "it is not an .npz archive")
            return {k: f[k] for k in f.files}
    except CheckpointError:
        raise
    except (zipfile.BadZipFile, EOFError) as err:
        reason = f"it is truncated or damaged ({type(err).__name__})"
    except ValueError as err:
        reason = (
            "it holds Python objects, which lstmlearn never loads (loading them could run code)"
            if "pickle" in str(err)
            else f"numpy could not read it ({type(err).__name__})"
        )
    except OSError as err:
        reason = f"it could not be read ({type(err).__name__}: {err.strerror or err})"
    raise _not_a_checkpoint(path, reason) from None


def _memory_bytes() -> float:
    """This machine's physical memory in bytes (inf where it cannot be told)."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return math.inf


def _check_declared_sizes(path) -> None:
    """Refuse, before anything is allocated, an archive whose arrays declare more bytes than the
    file holds (a damaged or crafted header) or more than this machine's memory."""
    size = os.path.getsize(path)
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        if declared > _memory_bytes():
            raise _too_big(path, size, f"its arrays declare {declared:,} bytes, more than this machine's memory")
        for m in members:
            if m.compress_type == zipfile.ZIP_STORED and m.file_size != m.compress_size:
                raise _too_big(path, size, f"{m.filename} declares {m.file_size:,} bytes but holds {m.compress_size:,}")
            if not m.filename.endswith(".npy"):
                continue
            with archive.open(m) as f:
                version = np.lib.format.read_magic(f)
                read_header = (
                    np.lib.format.read_array_header_2_0 if version >= (2, 0) else np.lib.format.read_array_header_1_0
                )
                shape, _, dtype = read_header(f)
                if dtype.hasobject:
                    continue  # refused below: lstmlearn never unpickles
                wanted = math.prod(shape) * dtype.itemsize
                holds = m.file_size - f.tell()
            if wanted != holds:
                raise _too_big(
                    path,
                    size,
                    f"{m.filename} declares {math.prod(shape):,} values of {dtype} ({wanted:,} bytes) but holds {holds:,} bytes",
                )


def _too_big(path, size: int, what: str) -> CheckpointError:
    return _not_a_checkpoint(path, f"the file is {size:,} bytes and {what}; it was not loaded")


def _listing(path) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".npz"))
    except OSError:
        return "nothing readable"
    return ", ".join(names[:8]) + (" ..." if len(names) > 8 else "") if names else "no .npz file"


def save_model(path, params: dict, model: Model, **meta) -> None:
    """Save trained parameters with the Model that reads them (and any extra metadata)."""
    fields = {f"model_{k}": v for k, v in model.__dict__.items()}
    save_checkpoint(path, params, meta={**fields, **meta})


_MODEL_FIELDS = {
    "core": str,
    "readout": str,
    "loss": str,
    "one_hot": bool,
    "input_size": int,
    "hidden_size": int,
    "output_size": int,
}


def load_model(path):
    """(params, model, meta) from a file written by save_model."""
    ck = load_checkpoint(path)
    missing = [k for k in _MODEL_FIELDS if f"model_{k}" not in ck.meta]
    if missing:
        raise CheckpointError(
            f"{os.fspath(path)} is a checkpoint but not a model file: it has no "
            f"model_{missing[0]} (a file from save_model stores the Model beside the "
            f"parameters). Load it with load_checkpoint, or save the model with "
            f"save_model(path, params, model)."
        )
    model = Model(**{k: t(ck.meta.pop(f"model_{k}")) for k, t in _MODEL_FIELDS.items()})
    return ck.params, model, ck.meta


# --- the run a checkpoint belongs to -----------------------------------------------------

RUN_PREFIX = "run/"


def check_same_run(path, ck: Checkpoint, run: dict) -> None:
    """Raise CheckpointMismatch unless checkpoint `ck` (read from `path`) was written by a run
    with the settings `run` (name -> text; see lstmlearn.train)."""
    saved = {k[len(RUN_PREFIX) :]: str(v) for k, v in ck.meta.items() if k.startswith(RUN_PREFIX)}
    ways_out = (
        "To start this run afresh, pass resume=False (the checkpoint is then overwritten) or "
        "another checkpoint_path; to continue the saved run, call train with its settings."
    )
    if not saved:
        raise CheckpointMismatch(
            f"{os.fspath(path)} has no record of the run that wrote it (it was not "
            f"written by train), so it cannot be resumed safely. {ways_out}"
        )
    differ = [
        f"{k}: {saved.get(k, 'not recorded')!s} in the checkpoint, {v} now" for k, v in run.items() if saved.get(k) != v
    ]
    if differ:
        raise CheckpointMismatch(
            f"{os.fspath(path)} belongs to another run, so it is not resumed. "
            f"Settings that differ: " + "; ".join(differ) + f". {ways_out}"
        )
