"""What the character LSTM of notebook 08 is measured against: the unigram, a smoothed n-gram
model, and the floor no model can go below, the entropy rate of the text's generator.

    OPENBLAS_NUM_THREADS=1 python benchmarks/char_baselines.py            # -> data/results/char_baselines.json
    ... --quick --out /tmp/x/char_baselines.json                           # orders 1-3 only, a smoke test

Every number is scored the way the LSTM is (lstmlearn.tasks.text.evaluate_bpc): the held-out
text (the last 10 % of data/corpus.txt) is cut into the same 32 streams, and every character
of a stream but its first is predicted from the characters before it in that stream.

n-gram. Interpolated Kneser-Ney models (lstmlearn/ngram.py) of orders 1 to 9 are fitted on the
first 90 % of the training text and scored on its last 10 % (the validation text); the order
that scores best there is refitted on the whole training text and scored on the held-out text.
The held-out text plays no part in the choice.

The floor. data/make_corpus.py writes the corpus from random choices: which word of a list
(uniform), whether to add an adjective (probability 0.6), which number, and so on. Rerunning it
with a random generator that records the probability of every choice it hands out gives each
character's share of the information: the ideal code length of the text under its own
generator, -log2 P(choices). The text is a function of the choices, so P(text) >= P(choices)
and these bits are an upper bound on what a perfect model (one that knows the generator) pays;
they are equal when the text determines the choices, which holds here (the word lists share no
word, every sentence ends in . or ?, the line breaks of textwrap replace single spaces, every
number is printed in full). Blocks (a paragraph or a record) are independent and identically
distributed, so bits per character over many blocks estimate the generator's entropy rate.
The script checks that the traced rerun writes data/corpus.txt byte for byte.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
from pathlib import Path

import numpy as np

from lstmlearn import tasks
from lstmlearn.ngram import fit_ngram, ngram_bpc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from seeded_runs import Clock, machine, write

ORDERS = range(1, 10)
STREAMS = 32  # as the LSTM is scored (benchmarks/train_char_model.py)


# ---------------------------------------------------------------- the generator's information


class TracingRNG:
    """A numpy Generator that adds up the information, -log2 P, of every choice it hands out.

    Only the calls data/make_corpus.py makes are supported: integers(n) or integers(lo, hi),
    random() (compared with thresholds: r < p), choice(list) and choice(list, size, replace=False),
    and uniform(a, b) (printed with a fixed number of decimals)."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.bits = 0.0

    def integers(self, low, high=None):
        n = low if high is None else high - low
        self.bits += math.log2(n)
        return self.rng.integers(low, high)

    def choice(self, options, size=None, replace=True):
        n = len(options)
        if size is None:
            self.bits += math.log2(n)
        else:  # an ordered draw of `size` distinct items
            assert not replace, "TracingRNG.choice supports size only with replace=False"
            self.bits += sum(math.log2(n - j) for j in range(size))
        return self.rng.choice(options, size=size, replace=replace)

    def random(self):
        return _Uniform(self.rng.random(), self)

    def uniform(self, low, high):
        return _Printed(self.rng.uniform(low, high), self, low, high)


class _Uniform(float):
    """A uniform draw in [0, 1) that is only ever compared with thresholds (r < p). The
    information of the comparisons is -log2 of the width of the interval they leave."""

    def __new__(cls, value, tracer):
        u = super().__new__(cls, value)
        u.tracer, u.lo, u.hi = tracer, 0.0, 1.0
        return u

    def __lt__(self, p):
        below = float(self) < p
        lo, hi = (self.lo, min(self.hi, p)) if below else (max(self.lo, p), self.hi)
        self.tracer.bits += math.log2((self.hi - self.lo) / (hi - lo))
        self.lo, self.hi = lo, hi
        return below


class _Printed(float):
    """A uniform draw in [low, high) that is printed with f"{x:.3f}": what the text carries is
    the printed value, whose probability is the width of the interval that prints the same."""

    def __new__(cls, value, tracer, low, high):
        u = super().__new__(cls, value)
        u.tracer, u.low, u.high = tracer, low, high
        return u

    def __format__(self, spec):
        text = format(float(self), spec)
        if spec.endswith("f"):
            half = 0.5 * 10.0 ** -int(spec[1:-1])
            v = float(text)
            if text.lstrip("-") == format(0.0, spec):  # "-0.000" and "0.000" are different strings
                lo, hi = (-half, 0.0) if text.startswith("-") else (0.0, half)
            else:
                lo, hi = max(self.low, v - half), min(self.high, v + half)
            self.tracer.bits += -math.log2((hi - lo) / (self.high - self.low))
        else:
            raise ValueError(f"_Printed supports fixed-point formats only, not {spec!r}.")
        return text


def generator_information(seed=0):
    """Rerun data/make_corpus.py with a TracingRNG. Returns (text, bits and characters per block);
    each block's characters include the separator after it (two newlines, one after the last)."""
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "data" / "make_corpus.py")
    mc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mc)
    rng = TracingRNG(seed)
    blocks, bits, size = [], [], 0
    while size < mc.TARGET_CHARS:  # the loop of make_corpus.main, block by block
        before = rng.bits
        block = mc.record(rng) if rng.random() < 0.2 else mc.paragraph(rng)
        blocks.append(block)
        bits.append(rng.bits - before)
        size += len(block) + 2
    text = "\n\n".join(blocks) + "\n"
    chars = [len(b) + 2 for b in blocks[:-1]] + [len(blocks[-1]) + 1]
    return text, np.array(bits), np.array(chars)


def ratio_estimate(bits, chars, rng, resamples=10_000):
    """Bits per character sum(bits) / sum(chars) over blocks, and a 95 % bootstrap interval
    (blocks resampled with replacement)."""
    idx = rng.integers(0, len(bits), size=(resamples, len(bits)))
    boot = bits[idx].sum(1) / chars[idx].sum(1)
    return float(bits.sum() / chars.sum()), [float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))]


# ---------------------------------------------------------------- scoring like the LSTM


def stream_texts(text: str, batch_size: int = STREAMS) -> list:
    """The B streams of lstmlearn.tasks.streams, as strings."""
    S = tasks.streams(np.arange(len(text)), batch_size)  # (N // B, B) positions
    return ["".join(text[j] for j in S[:, b]) for b in range(batch_size)]


def streams_bpc(score, text: str) -> float:
    """Mean of score(stream) over the equal-length streams: bits per character on text[1:] of each."""
    return float(np.mean([score(s) for s in stream_texts(text)]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None, help="the JSON (default data/results/char_baselines.json)")
    ap.add_argument("--quick", action="store_true", help="orders 1-3 only: a smoke test")
    args = ap.parse_args(argv)
    clock = Clock()
    corpus = (ROOT / "data" / "corpus.txt").read_text()
    vocab = "".join(sorted(set(corpus)))
    split = int(0.9 * len(corpus))  # as benchmarks/train_char_model.py (one character, one id)
    train, heldout = corpus[:split], corpus[split:]
    fit_part = int(0.9 * len(train))
    orders = range(1, 4) if args.quick else ORDERS

    validation = {}
    for order in orders:
        validation[order] = ngram_bpc(fit_ngram(train[:fit_part], order, vocab), train[fit_part:])
        print(f"order {order}: {validation[order]:.4f} bits/char on the validation text", flush=True)
    best = min(validation, key=validation.get)
    model = fit_ngram(train, best, vocab)
    ngram_heldout = streams_bpc(lambda s: ngram_bpc(model, s), heldout)
    # every order on the held-out text as well, for the figure (the choice above did not look at these)
    heldout_by_order = {
        o: streams_bpc(lambda s, m=fit_ngram(train, o, vocab): ngram_bpc(m, s), heldout) for o in orders
    }
    ids = tasks.Vocab(vocab).encode(corpus)
    unigram = tasks.unigram_bpc(ids[:split], ids[split:], len(vocab))
    print(f"order {best} (chosen on validation): {ngram_heldout:.4f} bits/char held out; unigram {unigram:.4f}")

    text, bits, chars = generator_information(seed=0)
    if text != corpus:
        raise SystemExit(
            "the traced rerun of data/make_corpus.py does not reproduce data/corpus.txt: "
            "the generator and this script have gone out of step."
        )
    starts = np.concatenate([[0], np.cumsum(chars)[:-1]])
    held = starts >= split  # blocks wholly inside the held-out text
    records = np.array([text[a] == "{" for a in starts])  # the other blocks are paragraphs of prose
    rng = np.random.default_rng(0)
    rate, interval = ratio_estimate(bits, chars, rng)
    held_rate, held_interval = ratio_estimate(bits[held], chars[held], rng)
    print(
        f"generator: {rate:.4f} bits/char over {len(bits)} blocks (95 % interval {interval[0]:.4f} to "
        f"{interval[1]:.4f}); held-out blocks {held_rate:.4f}"
    )

    result = {
        "command": "OPENBLAS_NUM_THREADS=1 python benchmarks/char_baselines.py",
        "quick": args.quick,
        "corpus": "data/corpus.txt",
        "train_chars": len(train),
        "heldout_chars": len(heldout),
        "scoring": f"the held-out text as {STREAMS} streams, every character but a stream's first predicted "
        f"(as benchmarks/train_char_model.py scores the LSTM)",
        "unigram_bpc": unigram,
        "ngram": {
            "smoothing": "interpolated Kneser-Ney, D = n1 / (n1 + 2 n2) per order (lstmlearn/ngram.py)",
            "validation": "fitted on the first 90 % of the training text, scored on its last 10 %",
            "validation_bpc": {str(o): v for o, v in validation.items()},
            "order": best,
            "heldout_bpc": ngram_heldout,
            "heldout_bpc_by_order": {str(o): v for o, v in heldout_by_order.items()},
        },
        "generator": {
            "what": "ideal code length of the corpus under data/make_corpus.py's own choices, "
            "-log2 P(choices) per character (an upper bound on the entropy rate, equal to it "
            "when the text determines the choices)",
            "blocks": len(bits),
            "bpc": rate,
            "bpc_95_interval": interval,
            "heldout_blocks": int(held.sum()),
            "heldout_bpc": held_rate,
            "heldout_bpc_95_interval": held_interval,
            "prose_bpc": float(bits[~records].sum() / chars[~records].sum()),
            "records_bpc": float(bits[records].sum() / chars[records].sum()),
            "records_share_of_chars": float(chars[records].sum() / chars.sum()),
        },
        "machine": machine(),
        **clock.read(),
    }
    write(args.out or ROOT / "data" / "results" / "char_baselines.json", result)


if __name__ == "__main__":
    main()
