"""Train the character-level LSTM of notebook 08 on data/corpus.txt, with five seeds.

    OPENBLAS_NUM_THREADS=1 python benchmarks/train_char_model.py    # -> data/results/char_lstm.json, data/models/char_lstm.npz
    ... --quick --out /tmp/x/char_lstm.json                          # one seed, 30 steps: a smoke test (model beside --out)

The last 10 % of the corpus is held out. Each seed trains the same model (H = 128) for the same
step budget (5000 steps of 32 streams x 50 characters, truncated BPTT with the state carried
from chunk to chunk: lstmlearn.tasks.text) and is scored in bits per character on the held-out
text every 250 steps. The seed sets the initial weights and the batch stream: seed s reads the
training text rotated to start at a paragraph or record about s/5 of the way in (seed 0 at its
start), so its streams begin at other places and its chunks hold other pieces of text; the end of
the training text joins its start once in 270 000 characters. Seed 0's model is saved to data/models/char_lstm.npz (load it
with lstmlearn.load_model; meta["chars"] is the vocabulary) and samples are drawn from it; the
JSON keeps every seed's held-out score and learning curve, and the wall and CPU time.

Each seed's network, trained and as it was before training (the same shape and initial
weights: the control), then reads the held-out text as one stream, and the record keeps what
lstmlearn/interpret.py finds there for each feature: the unit of h and of tanh(c) that
correlates most strongly with it, the held-out R^2 of a linear probe on h, on tanh(c) and on
both side by side, and the switch test (lstmlearn.interpret.switch_test) of the tanh(c) unit
that tracks "inside a record"; and, as a third control, the probe on the last 1 and 7
characters themselves.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import lstmlearn as ll
from lstmlearn import tasks
from lstmlearn.interpret import (
    linear_probe,
    read_text,
    strongest_units,
    switch_test,
    text_features,
    unit_correlations,
    window_features,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from seeded_runs import Clock, machine, write

SETTINGS = dict(
    hidden_size=128,
    batch_size=32,
    seq_len=50,
    optimizer="Adam",
    lr=3e-3,
    clip=1.0,
    forget_bias=1.0,
    dtype="float32",
    steps=5000,
    eval_every=250,
)
SEEDS = range(5)
SAMPLE_SEED, SAMPLE_TEMPERATURES, SAMPLE_LENGTH, PRIME = 7, (0.5, 0.8, 1.0), 400, "The "


def corpus():
    """(vocab, train_ids, test_ids): the first 90 % of data/corpus.txt for training, the rest held out."""
    text = (ROOT / "data" / "corpus.txt").read_text()
    vocab = tasks.Vocab.from_text(text)
    ids = vocab.encode(text)
    split = int(0.9 * len(ids))
    return vocab, ids[:split], ids[split:]


def rotated(train_ids, vocab, seed, n_seeds=len(SEEDS)):
    """The training text as seed `seed` reads it: rotated to start at the first block (paragraph or
    record) at or after seed / n_seeds of the way in. Returns (ids, offset)."""
    if seed % n_seeds == 0:
        return train_ids, 0
    text = vocab.decode(train_ids)
    offset = text.index("\n\n", (seed % n_seeds) * len(text) // n_seeds) + 2
    return np.concatenate([train_ids[offset:], train_ids[:offset]]), offset


def cells(params, model, vocab, ids) -> dict:
    """What the interpretable-cell search finds when this network reads the text `ids` (float64)."""
    params = {k: v.astype(np.float64) for k, v in params.items()}
    feats = text_features(vocab.decode(ids))
    acts = read_text(params, model, ids)
    out = {
        "median_abs_c": float(np.median(np.abs(acts["c"]))),
        "saturated": float(np.mean(np.abs(acts["tanh_c"]) > 0.99)),
    }  # share of unit-steps with |tanh c| > 0.99
    for kind in ("h", "tanh_c"):
        units, r = strongest_units(unit_correlations(acts[kind], feats))
        out[kind] = {name: {"unit": int(u), "r": round(float(v), 4)} for name, u, v in zip(feats, units, r)}
    out["probe_h"] = {name: round(linear_probe(acts["h"], y), 4) for name, y in feats.items()}
    out["probe_tanh_c"] = {name: round(linear_probe(acts["tanh_c"], y), 4) for name, y in feats.items()}
    both = np.concatenate([acts["h"], acts["tanh_c"]], axis=1)  # (N, 2H)
    out["probe_h_tanh_c"] = {name: round(linear_probe(both, y), 4) for name, y in feats.items()}
    record_unit = out["tanh_c"]["in_record"]["unit"]
    out["switch"] = {"unit": record_unit, **switch_test(acts["tanh_c"][:, record_unit], vocab.decode(ids))}
    return out


def train_seed(seed, vocab, train_ids, test_ids, steps, eval_every):
    s = SETTINGS
    ids, offset = rotated(train_ids, vocab, seed)
    task = tasks.text_task(ids, vocab, s["batch_size"], s["seq_len"])
    eval_set = tasks.Batch(tasks.streams(test_ids, s["batch_size"]), None)
    model = task.model("lstm", s["hidden_size"])
    params = ll.init_model(model, np.random.default_rng(seed), forget_bias=s["forget_bias"], dtype=np.dtype(s["dtype"]))
    initial = {k: v.copy() for k, v in params.items()}
    clock = Clock()
    res = ll.train(
        model,
        params,
        task,
        ll.Adam(lr=s["lr"]),
        steps,
        batch_size=s["batch_size"],
        seed=seed + 1,
        clip=s["clip"],
        eval_set=eval_set,
        eval_every=eval_every,
        progress=False,
    )
    h = res.history
    k = max(1, len(h.step) // 250)  # the training loss, thinned to about 250 points
    run = {
        "seed": seed,
        "text_offset": offset,
        "steps": int(h.step[-1]),
        "heldout_bpc": float(h.score[-1]),
        "eval_step": np.asarray(h.eval_step).tolist(),
        "score": [round(float(v), 4) for v in h.score],
        "step": np.asarray(h.step)[::k].tolist(),
        "train_bpc": [round(float(v) / np.log(2), 4) for v in np.asarray(h.loss)[::k]],
        **clock.read(),
    }
    run["cells"] = {
        "trained": cells(res.params, model, vocab, test_ids),
        "untrained": cells(initial, model, vocab, test_ids),
    }
    print(
        f"seed {seed}: {run['steps']} steps, held-out {run['heldout_bpc']:.3f} bits/char, "
        f"{run['wall_seconds']} s wall, {run['cpu_seconds']} s CPU",
        flush=True,
    )
    return run, res.params, model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None, help="the JSON (default data/results/char_lstm.json)")
    ap.add_argument("--quick", action="store_true", help="one seed, 30 steps; the model goes beside --out")
    args = ap.parse_args(argv)
    out = args.out or ROOT / "data" / "results" / "char_lstm.json"
    model_path = out.with_suffix(".npz") if args.quick else ROOT / "data" / "models" / "char_lstm.npz"
    steps, eval_every, seeds = (30, 30, range(1)) if args.quick else (SETTINGS["steps"], SETTINGS["eval_every"], SEEDS)

    clock = Clock()
    vocab, train_ids, test_ids = corpus()
    unigram = tasks.unigram_bpc(train_ids, test_ids, vocab.size)
    runs, shipped = [], None
    for seed in seeds:
        run, params, model = train_seed(seed, vocab, train_ids, test_ids, steps, eval_every)
        runs.append(run)
        if seed == 0:
            shipped = params, model, run["heldout_bpc"]
    feats = text_features(vocab.decode(test_ids))
    window_probe = {
        f"last {k}": {
            name: round(linear_probe(window_features(test_ids, vocab.size, k), y), 4) for name, y in feats.items()
        }
        for k in (1, 7)
    }
    params, model, bpc = shipped
    model_path.parent.mkdir(parents=True, exist_ok=True)
    ll.save_model(model_path, params, model, chars=vocab.chars, heldout_bpc=bpc, unigram_bpc=unigram)  # float32
    params64 = {k: v.astype(np.float64) for k, v in params.items()}
    samples = {
        str(t): tasks.sample_text(
            params64, model, vocab, np.random.default_rng(SAMPLE_SEED), SAMPLE_LENGTH, t, prime=PRIME
        )
        for t in SAMPLE_TEMPERATURES
    }
    for t, s in samples.items():
        print(f"--- temperature {t} ---\n{s}\n")
    result = {
        "command": "OPENBLAS_NUM_THREADS=1 python benchmarks/train_char_model.py",
        "quick": args.quick,
        "corpus": "data/corpus.txt",
        "corpus_chars": len(train_ids) + len(test_ids),
        "vocab_size": vocab.size,
        "train_chars": len(train_ids),
        "heldout_chars": len(test_ids),
        "hyperparameters": {**SETTINGS, "steps": steps, "eval_every": eval_every},
        "seeds": {
            "init": list(seeds),
            "batches": "the training text's chunks in order, the text rotated to "
            "start at runs[k]['text_offset'] for seed k",
            "samples": SAMPLE_SEED,
        },
        "heldout_bpc": bpc,
        "shipped_seed": 0,
        "heldout_bpc_seeds": [r["heldout_bpc"] for r in runs],
        "unigram_bpc": unigram,
        "model": str(model_path.relative_to(ROOT)) if not args.quick else str(model_path),
        "samples": samples,
        "sample_prime": PRIME,
        "interpretation": {
            "text": "the held-out text, read as one stream from a zero state",
            "features": list(feats),
            "window_probe": window_probe,
            "probe": "ridge 1e-3 on standardised units, fitted on the first half of the text, "
            "R^2 on the second (lstmlearn.interpret.linear_probe)",
        },
        "runs": runs,
        "machine": machine(),
        **clock.read(),
    }
    write(out, result)


if __name__ == "__main__":
    main()
