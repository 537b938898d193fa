"""The windowed-LSTM control of notebook 08: how much of the character LSTM's lead is long memory?

    OPENBLAS_NUM_THREADS=1 python benchmarks/char_windowed.py    # -> data/results/char_windowed.json

The shipped model (data/models/char_lstm.npz, seed 0 of train_char_model.py) reads the held-out
text (the last 10 % of data/corpus.txt) as one stream, and its bits for every next character
are kept. Then the same model predicts each next character again from a state reset WINDOWS[k]
characters back: it reads only the last k characters from a zero state, like an n-gram with a
window of k. The gap between full context and a window of k is what memory beyond k characters
is worth. Following Karpathy, Johnson & Fei-Fei (2015), the bits are also broken down at the
characters that close a record ('}' back at depth 0) by the distance to the record's opening
brace, where a long memory should matter most.
--quick: the first 2,000 held-out characters and windows of 5 and 15 (a smoke test).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import lstmlearn as ll
from lstmlearn import tasks
from lstmlearn.interpret import text_features

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from seeded_runs import Clock, machine, write

WINDOWS = (5, 15, 50, 100)
DISTANCE_BINS = (0, 50, 100, 200, 400, 100_000)  # characters from a record's '{' to its closing '}'


def log_softmax_bits(Y, targets) -> np.ndarray:
    """Bits paid for the targets (B,) under the logits Y (B, V)."""
    z = Y - Y.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -logp[np.arange(len(targets)), targets] / np.log(2)


def full_context_bits(params, model, ids) -> np.ndarray:
    """Bits paid for ids[t + 1] after reading all of ids[: t + 1] as one stream; (N - 1,)."""
    from lstmlearn.interpret import read_text

    h = read_text(params, model, ids)["h"]  # (N, H): the state after each character
    return log_softmax_bits(h[:-1] @ params["W_y"] + params["b_y"], np.asarray(ids)[1:])


def windowed_bits(params, model, ids, window: int, batch: int = 1000) -> np.ndarray:
    """Bits paid for ids[t + 1] after reading only ids[t - window + 1 : t + 1] from a zero state,
    for t = window - 1 .. N - 2; (N - window,)."""
    ids = np.asarray(ids)
    out = []
    for start in range(window - 1, len(ids) - 1, batch):
        ends = np.arange(start, min(start + batch, len(ids) - 1))  # predict ids[end + 1]
        X = ids[ends[None, :] - np.arange(window - 1, -1, -1)[:, None]]  # (window, B): the last `window` characters
        out.append(log_softmax_bits(ll.forward(params, X, model).Y[-1], ids[ends + 1]))
    return np.concatenate(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None, help="where to write the JSON (default: data/results/...)")
    ap.add_argument("--quick", action="store_true", help="2,000 characters and two short windows: a smoke test")
    args = ap.parse_args(argv)
    clock = Clock()
    params, model, meta = ll.load_model(ROOT / "data" / "models" / "char_lstm.npz")
    params = {k: v.astype(np.float64) for k, v in params.items()}
    vocab = tasks.Vocab(str(meta["chars"]))
    ids = vocab.encode((ROOT / "data" / "corpus.txt").read_text())
    test_ids = ids[int(0.9 * len(ids)) :]
    windows = (5, 15) if args.quick else WINDOWS
    if args.quick:
        test_ids = test_ids[:2000]
    skip = max(windows) - 1  # every model is scored on the same characters: t >= skip
    full = full_context_bits(params, model, test_ids)[skip:]
    bits = {str(k): windowed_bits(params, model, test_ids, k)[skip - (k - 1) :] for k in windows}
    text = vocab.decode(test_ids)
    depth = text_features(text)["depth"]
    closes = [t for t in range(skip + 1, len(text)) if text[t] == "}" and depth[t] == 1]  # a record's last brace
    opens = [t for t in range(len(text)) if text[t] == "{" and (t == 0 or depth[t - 1] == 0)]
    distance = [t - max(o for o in opens if o < t) for t in closes]
    by_distance = []
    for lo, hi in zip(DISTANCE_BINS[:-1], DISTANCE_BINS[1:]):
        chosen = [t - 1 - skip for t, d in zip(closes, distance) if lo <= d < hi]  # index of the bits for text[t]
        by_distance.append(
            {
                "distance": [lo, hi],
                "n": len(chosen),
                "full": round(float(np.mean(full[chosen])), 4) if chosen else None,
                **{k: (round(float(np.mean(v[chosen])), 4) if chosen else None) for k, v in bits.items()},
            }
        )
    result = {
        "command": "OPENBLAS_NUM_THREADS=1 python benchmarks/char_windowed.py",
        "quick": args.quick,
        "model": "data/models/char_lstm.npz",
        "scored_characters": int(len(full)),
        "first_scored": int(skip + 1),
        "full_context_bpc": round(float(full.mean()), 4),
        "windowed_bpc": {k: round(float(v.mean()), 4) for k, v in bits.items()},
        "closing_braces_by_distance": by_distance,
        "machine": machine(),
        **clock.read(),
    }
    write(args.out or ROOT / "data" / "results" / "char_windowed.json", result)


if __name__ == "__main__":
    main()
