"""Character-level text: vocabulary, batches for truncated BPTT, sampling, bits per
character (notebook 08).

Batches. The corpus (N characters) is cut into B parallel streams, one per batch row,
each a contiguous piece of the text of length N // B:

    streams (N//B, B):  streams[:, b] = ids[b * (N//B) : (b+1) * (N//B)]

Chunk j of length S gives X = streams[j S : (j+1) S], Y = streams[j S + 1 : (j+1) S + 1]
(the next character). Consecutive chunks continue each stream, so the final state of
chunk j is the right initial state of chunk j+1 (truncated BPTT across batches: the
gradient stops at the chunk border, the state does not). Training step k uses chunk
k mod n_chunks; chunk 0 starts from a zero state (info["reset"]).

Bits per character: cross-entropy in nats / log(2). The unigram baseline predicts every
character with its frequency in the training text (add-one smoothed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_positive_int
from ..losses import softmax, softmax_cross_entropy
from ..models import Model, forward
from .base import Batch, Task, check_rng


@dataclass(frozen=True)
class Vocab:
    """The characters of a text, in sorted order; id k is chars[k]."""

    chars: str

    @classmethod
    def from_text(cls, text: str) -> "Vocab":
        """The vocabulary of `text`: its distinct characters, sorted."""
        return cls("".join(sorted(set(text))))

    @property
    def size(self) -> int:
        """The number of characters V (the one-hot length)."""
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """Integer ids (len(text),) of the characters of `text`."""
        index = {ch: k for k, ch in enumerate(self.chars)}
        unknown = sorted(set(text) - set(index))
        if unknown:
            raise ValueError(f"text contains characters that are not in the vocabulary: {unknown[:10]}.")
        return np.array([index[ch] for ch in text], dtype=np.int64)

    def decode(self, ids) -> str:
        """The text of integer ids (any shape, read in order)."""
        return "".join(self.chars[int(k)] for k in np.ravel(ids))


def streams(ids, batch_size: int) -> np.ndarray:
    """The text as B parallel streams, (N // B, B), time-major (see the module docstring)."""
    check_positive_int("batch_size", batch_size)
    ids = np.asarray(ids)
    n = len(ids) // batch_size
    if n < 2:
        raise ValueError(f"the text ({len(ids)} characters) is too short for {batch_size} streams.")
    return ids[: n * batch_size].reshape(batch_size, n).T  # (n, B)


def text_batch(stream_ids: np.ndarray, step: int, seq_len: int) -> Batch:
    """Chunk step mod n_chunks of the streams: X, Y (seq_len, B); info["reset"] at chunk 0."""
    n_chunks = (len(stream_ids) - 1) // seq_len
    if n_chunks < 1:
        raise ValueError(f"seq_len = {seq_len} is longer than each stream ({len(stream_ids)} characters).")
    j = step % n_chunks
    X = stream_ids[j * seq_len : (j + 1) * seq_len]
    Y = stream_ids[j * seq_len + 1 : (j + 1) * seq_len + 1]
    return Batch(X, Y, None, None, {"reset": j == 0, "chunk": j})


def bits_per_char(nats: float) -> float:
    """Convert a cross-entropy in nats per character to bits per character."""
    return float(nats / np.log(2))


def unigram_bpc(train_ids, test_ids, vocab_size: int) -> float:
    """Bits per character of predicting each character by its (add-one) training frequency."""
    counts = np.bincount(np.asarray(train_ids), minlength=vocab_size) + 1.0
    p = counts / counts.sum()
    return float(-np.mean(np.log2(p[np.asarray(test_ids)])))


def evaluate_bpc(params: dict, model: Model, stream_ids: np.ndarray, seq_len: int = 200) -> float:
    """Bits per character over all the streams, carrying the state from chunk to chunk."""
    state, total, count = None, 0.0, 0
    for start in range(0, len(stream_ids) - 1, seq_len):
        X = stream_ids[start : start + seq_len]
        Y = stream_ids[start + 1 : start + seq_len + 1]
        X = X[: len(Y)]
        out = forward(params, X, model, state)
        loss, _ = softmax_cross_entropy(out.Y, Y)
        total, count, state = total + loss * Y.size, count + Y.size, out.state
    return bits_per_char(total / count)


def sample_text(
    params: dict,
    model: Model,
    vocab: Vocab,
    rng: np.random.Generator,
    n: int,
    temperature: float = 1.0,
    prime: str = "",
) -> str:
    """Generate n characters, each drawn from softmax(logits / temperature).

    Low temperatures (0.5) pick likely characters, high ones (1.5) wander. `prime` is fed
    first to set the state (a random first character if empty).
    """
    check_rng(rng)
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, but it is {temperature!r}.")
    ids = list(vocab.encode(prime)) if prime else [int(rng.integers(vocab.size))]
    out = forward(params, np.array(ids)[:, None], model)
    state, logits = out.state, out.Y[-1, 0]
    text = []
    for _ in range(n):
        k = int(rng.choice(vocab.size, p=softmax(logits / temperature)))
        text.append(vocab.chars[k])
        out = forward(params, np.array([[k]]), model, state)
        state, logits = out.state, out.Y[-1, 0]
    return prime + "".join(text)


def text_task(train_ids, vocab: Vocab, batch_size: int, seq_len: int) -> Task:
    """Next-character prediction on a text as a Task (fixed batch_size: the streams).

    The score is bits per character (lower is better); its baseline the unigram bpc.
    Evaluate on held-out text with Batch(X=streams(test_ids, B), Y=...) via task.score.
    """
    S = streams(train_ids, batch_size)

    def sample(rng, bs, step=0):
        if bs != batch_size:
            raise ValueError(
                f"this text task was built for batch_size={batch_size} streams, but batch_size={bs} was asked for."
            )
        return text_batch(S, step, seq_len)

    def evaluate(params, model, batch):
        bpc = evaluate_bpc(params, model, batch.X)
        return bpc * np.log(2), bpc

    return Task(
        name="characters",
        input_size=vocab.size,
        output_size=vocab.size,
        readout="all",
        loss="xent",
        one_hot=True,
        sample=sample,
        score_fn=None,
        score_name="bits per character",
        baseline={"score": unigram_bpc(train_ids, train_ids, vocab.size)},
        higher_is_better=False,
        carry_state=True,
        evaluate=evaluate,
    )
