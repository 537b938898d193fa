"""Looking for interpretable cells in a character model, and the controls that keep the
search honest (notebook 08).

Karpathy, Johnson & Fei-Fei (2015) found LSTM cells that track the position in a line, an
open quote, or the depth of nested brackets. To search for such cells, describe every
character of a text by a few features a learner can name,

    column        characters since the last newline
    in_quote      1 inside "double quotes", 0 outside
    depth         how many { or [ are open
    in_record     1 inside a record { ... } (depth > 0), 0 in the prose
    in_number     1 on the digits (and decimal point) of a number

read the text with the network, and correlate each unit's activation with each feature.
Correlate what the network can use: the rest of the network (the readout and the next
step's gates) sees only h_t = o_t * tanh(c_t), so look at h_t or tanh(c_t). The raw cell
c_t can grow far beyond 1, where tanh saturates, and then its variation never reaches h.

Two controls say whether a correlation means the training taught the network something:

    the same search in untrained networks of the same shape: a random network's units
        already respond to the current and recent characters, and inside a record the
        characters differ from the prose, so some correlation comes for free;
    a linear probe: ridge regression from all units at once to the feature, fitted on the
        first part of the text and scored (R^2) on the rest, for the trained network, for
        untrained ones, and for the last few characters themselves (what any model that
        sees a short window could know).

    read_text(params, model, ids)      {"h", "c", "tanh_c"}: (N, H) each
    unit_correlations(A, features)     (H, n_features) Pearson correlations
    strongest_units(corr)              the unit with the largest |r| for each feature
    linear_probe(A, y)                 held-out R^2 of a ridge regression of y on A
    window_features(ids, V, k)         one-hot of the last k characters, (N, k V)
    switch_test(a, text)               does a unit switch sign at each record's braces? (a dict of counts)
    highlight(text, values)            HTML with each character coloured by a value
"""

from __future__ import annotations

import html

import numpy as np

FEATURES = ("column", "in_quote", "depth", "in_record", "in_number")


def text_features(text: str) -> dict:
    """name -> (len(text),) array of the features above, one value per character.

    A bracket counts as inside what it opens or closes; an opening quote counts as inside,
    a closing one as outside."""
    n = len(text)
    out = {k: np.zeros(n) for k in FEATURES}
    column, quote, depth = 0, False, 0
    for k, ch in enumerate(text):
        if ch == '"':
            quote = not quote  # the closing quote itself counts as outside
        if ch in "{[":
            depth += 1
        out["column"][k], out["in_quote"][k], out["depth"][k] = column, quote, depth
        out["in_record"][k] = depth > 0
        out["in_number"][k] = ch.isdigit() or (
            ch == "." and 0 < k < n - 1 and text[k - 1].isdigit() and text[k + 1].isdigit()
        )
        if ch in "}]":
            depth = max(depth - 1, 0)
        column = 0 if ch == "\n" else column + 1
    return out


def read_text(params: dict, model, ids, chunk: int = 1000) -> dict:
    """Run a character model (an LSTM core) over ids (N,) from a zero state, as one stream.

    Returns {"h": h_t, "c": c_t, "tanh_c": tanh(c_t)}, each (N, H): row t is the state after
    reading character t. The text is read `chunk` characters at a time, the state carried from
    one chunk to the next (the same numbers as one forward pass over all of it), so that the
    forward trace of only one chunk is in memory at a time."""
    from .models import forward

    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"ids should be one text as a 1-D array of character ids, but it has shape {ids.shape}.")
    hs, cs, state = [], [], None
    for start in range(0, len(ids), chunk):
        out = forward(params, ids[start : start + chunk, None], model, state=state)
        if getattr(out.trace, "c", None) is None:
            raise ValueError(
                f"read_text needs a core with a cell state (an LSTM); this model's core is {model.core!r}."
            )
        hs.append(out.trace.h[:, 0])
        cs.append(out.trace.c[:, 0])
        state = out.state
    h, c = np.concatenate(hs), np.concatenate(cs)  # (N, H)
    return {"h": h, "c": c, "tanh_c": np.tanh(c)}


def unit_correlations(activations, features: dict) -> np.ndarray:
    """Pearson correlation of each unit (columns of activations, (N, H)) with each feature.

    Returns (H, len(features)); units or features that never change get 0.
    """
    A = np.asarray(activations, dtype=float)
    F = np.stack([np.asarray(v, dtype=float) for v in features.values()], axis=1)  # (N, n_features)
    if len(A) != len(F):
        raise ValueError(f"activations has {len(A)} rows but the features describe {len(F)} characters.")
    A = A - A.mean(0)
    F = F - F.mean(0)
    norms = np.outer(np.linalg.norm(A, axis=0), np.linalg.norm(F, axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norms > 0, (A.T @ F) / norms, 0.0)


def strongest_units(corr) -> tuple:
    """For each column (feature) of corr (H, n_features): the unit with the largest |r| and its r.

    Returns (units (n_features,) ints, r (n_features,))."""
    corr = np.asarray(corr, dtype=float)
    if corr.ndim != 2:
        raise ValueError(f"corr should be (H, n_features) from unit_correlations, but it has shape {corr.shape}.")
    units = np.argmax(np.abs(corr), axis=0)
    return units, corr[units, np.arange(corr.shape[1])]


def linear_probe(A, y, train_fraction: float = 0.5, ridge: float = 1e-3) -> float:
    """Held-out R^2 of a ridge regression of y (N,) on the columns of A (N, H).

    The first train_fraction of the rows fit it (each column standardised with the fitting
    rows' mean and spread; the penalty ridge * ||w||^2 is added to the mean squared error); the
    remaining rows score it: R^2 = 1 - mean squared error / variance of y there. The text is
    split in two contiguous parts, not shuffled, so neighbouring characters (which share most
    of their context) do not sit on both sides. R^2 can be negative: worse than the mean.
    """
    A, y = np.asarray(A, dtype=float), np.asarray(y, dtype=float)
    if A.ndim != 2 or y.shape != (len(A),):
        raise ValueError(f"A should be (N, H) and y (N,), but they have shapes {A.shape} and {y.shape}.")
    if not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction should lie strictly between 0 and 1, but it is {train_fraction}.")
    n = int(train_fraction * len(y))
    mean, scale = A[:n].mean(0), A[:n].std(0)
    scale = np.where(scale > 0, scale, 1.0)
    Z = A - mean  # (N, H), standardised in place below (A can be large: no second copy)
    Z /= scale
    y_mean = y[:n].mean()
    w = np.linalg.solve(Z[:n].T @ Z[:n] / n + ridge * np.eye(Z.shape[1]), Z[:n].T @ (y[:n] - y_mean) / n)
    residual = y[n:] - (Z[n:] @ w + y_mean)
    variance = np.var(y[n:])
    return float(1.0 - np.mean(residual**2) / variance) if variance > 0 else 0.0


def window_features(ids, vocab_size: int, k: int) -> np.ndarray:
    """One-hot codes of the current and the k - 1 previous characters, side by side: (N, k V).

    Before the start of the text the code is all zeros."""
    ids = np.asarray(ids)
    N = len(ids)
    out = np.zeros((N, k * vocab_size))
    for lag in range(k):
        out[np.arange(lag, N), lag * vocab_size + ids[: N - lag]] = 1.0
    return out


def switch_test(activation, text: str, max_delay: int = 20) -> dict:
    """Is a unit a switch for "inside a record"? activation (N,): one unit's tanh(c) (or h) over text.

    The unit's sign is turned so that it is positive on average inside records. Returns
        sign               +1 or -1, the turn applied
        wrong_side         characters where the turned sign disagrees with in_record
        records            how many records the text holds (a '{' opening at depth 0)
        on_at_brace        records whose opening brace turns the sign from - to +
        off_after          per record: characters after its last '}' until the sign is - again
                           (max_delay + 1 when it stays + that long)
    """
    a = np.asarray(activation, dtype=float)
    if a.shape != (len(text),):
        raise ValueError(f"activation should be one value per character, ({len(text)},), but it has shape {a.shape}.")
    inside = text_features(text)["in_record"] > 0
    if not inside.any() or inside.all():
        raise ValueError("text should hold both prose and at least one record {...} to test a record switch.")
    sign = 1.0 if a[inside].mean() >= a[~inside].mean() else -1.0
    on = sign * a > 0
    opens = [k for k, ch in enumerate(text) if ch == "{" and (k == 0 or not inside[k - 1])]
    closes = [k for k, ch in enumerate(text) if ch == "}" and (k + 1 == len(text) or not inside[k + 1])]
    off_after = []
    for k in closes:
        after = ~on[k + 1 : k + 1 + max_delay]
        off_after.append(int(np.argmax(after)) + 1 if after.any() else max_delay + 1)
    return {
        "sign": int(sign),
        "wrong_side": int(np.sum(on != inside)),
        "records": len(opens),
        "on_at_brace": int(sum(k > 0 and not on[k - 1] and on[k] for k in opens)),
        "off_after": off_after,
    }


def highlight(text: str, values, vmin: float = -1.0, vmax: float = 1.0) -> str:
    """HTML for `text` with each character's background coloured by `values` (one per character):
    orange for low, white for the middle, purple for high (the "PuOr" map, readable by
    colour-blind readers)."""
    from matplotlib import colormaps

    values = np.asarray(values, dtype=float)
    if len(values) != len(text):
        raise ValueError(f"values has {len(values)} entries but text has {len(text)} characters.")
    cmap = colormaps["PuOr"]
    cells = []
    for ch, v in zip(text, np.clip((values - vmin) / (vmax - vmin), 0, 1)):
        r, g, b, _ = cmap(float(v))
        shown = "⏎<br>" if ch == "\n" else html.escape(ch).replace(" ", "&nbsp;")
        cells.append(f'<span style="background:rgb({int(255 * r)},{int(255 * g)},{int(255 * b)})">{shown}</span>')
    return '<div style="font-family:monospace;line-height:1.5">' + "".join(cells) + "</div>"
