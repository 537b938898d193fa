"""What every task provides: batches of time-major arrays and a way to score a model on them.

A Batch holds inputs X, targets Y and whatever is needed to score them; a Task bundles the
batch generator with the shape of model it needs, its score and its chance baselines,
so lstmlearn.train.train can run any of them (notebook 07).
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Callable, NamedTuple, Optional

import numpy as np

from .._checks import check_rng  # noqa: F401  (the tasks import it from here)
from ..losses import mse, softmax_cross_entropy
from ..models import Model, forward


class Batch(NamedTuple):
    """One batch of a task.

    X : (T, B, D) floats, or (T, B) integer ids for one-hot inputs
    Y : targets, (B, K) / (B,) for many-to-one tasks, (T, B, K) / (T, B) for many-to-many
    mask : (T, B) or (B,) 1 where a prediction counts, or None for all
    lengths : (B,) true sequence lengths when sequences are padded (many-to-one), or None
    info : dict of extra arrays a score or a test needs (marker positions, allowed symbols, ...),
        or None
    """

    X: np.ndarray
    Y: np.ndarray
    mask: Optional[np.ndarray] = None
    lengths: Optional[np.ndarray] = None
    info: Optional[dict] = None


@dataclass(frozen=True)
class Task:
    """A learning task: how to draw batches, what model it needs, how to score it.

    sample(rng, batch_size, step) -> Batch. Synthetic tasks ignore `step`; the text task
        uses it to pick the next chunk of each stream.
    score_fn(Y_pred, batch) -> float, the task's score (higher_is_better says which way).
    baseline : what chance (or a memoryless model) achieves, e.g. {"loss": 1/24, "score": 0.154}.
    carry_state : the final state of one batch starts the next (truncated BPTT over a text);
        a batch with info["reset"] True starts from zeros.
    evaluate : optional (params, model, batch) -> (loss, score) replacing the default.
    """

    name: str
    input_size: int
    output_size: int
    readout: str
    loss: str
    one_hot: bool
    sample: Callable
    score_fn: Callable
    score_name: str
    baseline: dict = field(default_factory=dict)
    higher_is_better: bool = True
    carry_state: bool = False
    evaluate: Optional[Callable] = None

    def model(self, core: str = "lstm", hidden_size: int = 32) -> Model:
        """The Model this task needs, with the given core ("lstm" or "rnn") and H."""
        return Model(core, self.input_size, hidden_size, self.output_size,
                     self.readout, self.loss, self.one_hot)

    def score(self, params: dict, model: Model, batch: Batch):
        """(loss, score) of the model on a batch, e.g. a fixed evaluation set."""
        if self.evaluate is not None:
            return self.evaluate(params, model, batch)
        Y_pred = forward(params, batch.X, model, lengths=batch.lengths).Y
        loss_fn = mse if self.loss == "mse" else softmax_cross_entropy
        loss, _ = loss_fn(Y_pred, batch.Y, batch.mask)
        return loss, float(self.score_fn(Y_pred, batch))


def save_batch(path, batch: Batch, **meta) -> None:
    """Save a Batch (and scalar metadata) to an .npz file without pickles."""
    arrays = {"X": batch.X, "Y": batch.Y}
    for k in ("mask", "lengths"):
        if getattr(batch, k) is not None:
            arrays[k] = getattr(batch, k)
    arrays.update({f"info/{k}": np.asarray(v) for k, v in (batch.info or {}).items()})
    arrays.update({f"meta/{k}": np.asarray(v) for k, v in meta.items()})
    np.savez_compressed(path, **arrays)


def load_batch(path) -> Batch:
    """Load a Batch saved by save_batch (metadata is in batch.info under 'meta/...').

    A file that is not such an archive (damaged, truncated, holding pickled objects, or
    without the arrays X and Y) raises ValueError naming the file and how to restore it;
    a missing file raises FileNotFoundError.
    """
    def refuse(reason):
        return ValueError(
            f"{path} is not a readable evaluation set ({reason}). Expected an .npz archive written by "
            f"lstmlearn.tasks.save_batch, with arrays X and Y and no pickled objects. The file may be "
            f"damaged: restore the course's copy (in a clone: git checkout -- data/; in a course folder "
            f"laid out by python -m lstmlearn course: delete the file and run that command again).")

    unreadable = (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error)
    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except unreadable as err:
        pickled = "pickled" in str(err) or "allow_pickle" in str(err)
        raise refuse("it holds pickled Python objects" if pickled else f"{type(err).__name__}: {err}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise refuse(f"it holds a single array of shape {np.shape(archive)}, not an .npz archive")
    with archive:
        if not {"X", "Y"} <= set(archive.files):
            raise refuse(f"it holds {', '.join(archive.files) or 'no arrays'}, not the arrays X and Y of a Batch")
        try:
            d = {k: archive[k] for k in archive.files}
        except unreadable as err:
            pickled = "allow_pickle" in str(err)
            raise refuse("it holds pickled Python objects" if pickled else f"{type(err).__name__}: {err}") from None
    info = {k[5:]: v for k, v in d.items() if k.startswith("info/")}
    info.update({k: v for k, v in d.items() if k.startswith("meta/")})
    return Batch(d["X"], d["Y"], d.get("mask"), d.get("lengths"), info)
