"""Looking for interpretable cells in a character model (notebook 08).

Karpathy, Johnson & Fei-Fei (2015) found LSTM cells that track the position in a line, an
open quote, or the depth of nested brackets. To search for such cells, describe every
character of a text by a few features a learner can name, and correlate each unit's
activation with each feature:

    column        characters since the last newline
    in_quote      1 inside "double quotes", 0 outside
    depth         how many { or [ are open
    in_number     1 on the digits (and decimal point) of a number

unit_correlations gives an (H, n_features) table; highlight() renders a text with each
character's background coloured by a unit's value, the way such cells are usually shown.
"""

from __future__ import annotations

import html

import numpy as np

FEATURES = ("column", "in_quote", "depth", "in_number")


def text_features(text: str) -> dict:
    """name -> (len(text),) array of the features above, one value per character."""
    n = len(text)
    out = {k: np.zeros(n) for k in FEATURES}
    column, quote, depth = 0, False, 0
    for k, ch in enumerate(text):
        if ch == '"':
            quote = not quote  # the closing quote itself counts as outside
        if ch in "{[":
            depth += 1
        out["column"][k], out["in_quote"][k], out["depth"][k] = column, quote, depth
        out["in_number"][k] = ch.isdigit() or (ch == "." and 0 < k < n - 1 and text[k - 1].isdigit()
                                               and text[k + 1].isdigit())
        if ch in "}]":
            depth = max(depth - 1, 0)
        column = 0 if ch == "\n" else column + 1
    return out


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
