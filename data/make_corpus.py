"""Generate data/corpus.txt, the character-level corpus of notebook 08 (about 300 KB).

    python data/make_corpus.py            (seed 0; the same file every time)

The text is made here, from a small random grammar of English sentences about sequences,
memory and learning, wrapped into lines of at most 72 characters and grouped into
paragraphs, with records in a JSON-like notation between them. It has structure a
character model can learn at several time scales: spelling, word order, line lengths
(a newline comes near column 72), quotes that must be closed, brackets that must be
balanced and nested, and numbers. Those are the places to look for interpretable cells.
Nothing is downloaded.
"""

import textwrap
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "corpus.txt"
TARGET_CHARS = 300_000

W = {
    "det": ["the", "a", "every", "each", "this", "that", "one"],
    "adj": [
        "small",
        "long",
        "short",
        "recurrent",
        "hidden",
        "quiet",
        "careful",
        "early",
        "late",
        "simple",
        "patient",
        "noisy",
        "steady",
        "gentle",
        "new",
        "old",
        "deep",
        "narrow",
    ],
    "noun": [
        "network",
        "cell",
        "gate",
        "sequence",
        "signal",
        "memory",
        "state",
        "word",
        "step",
        "gradient",
        "sentence",
        "learner",
        "symbol",
        "pattern",
        "weight",
        "story",
        "river",
        "window",
        "letter",
        "number",
        "valve",
        "clock",
        "path",
        "error",
        "teacher",
        "model",
    ],
    "nouns": [
        "networks",
        "cells",
        "gates",
        "sequences",
        "signals",
        "memories",
        "states",
        "words",
        "steps",
        "gradients",
        "sentences",
        "learners",
        "symbols",
        "patterns",
        "weights",
        "stories",
        "rivers",
        "letters",
        "numbers",
        "errors",
        "models",
    ],
    "verb": [
        "keeps",
        "forgets",
        "remembers",
        "carries",
        "reads",
        "writes",
        "learns",
        "finds",
        "holds",
        "opens",
        "closes",
        "counts",
        "follows",
        "repeats",
        "measures",
        "predicts",
    ],
    "verbp": [
        "keep",
        "forget",
        "remember",
        "carry",
        "read",
        "write",
        "learn",
        "find",
        "hold",
        "open",
        "close",
        "count",
        "follow",
        "repeat",
        "measure",
        "predict",
    ],
    "adv": [
        "slowly",
        "quickly",
        "always",
        "rarely",
        "gently",
        "again",
        "often",
        "at last",
        "step by step",
        "for a long time",
        "without a sound",
        "now and then",
    ],
    "prep": ["through", "across", "after", "before", "inside", "along", "over", "under", "between"],
    "conj": ["and", "but", "so", "while", "because", "until", "when"],
    "name": ["Ada", "Sepp", "Jurgen", "Felix", "Alex", "Razvan", "Yoshua", "Klaus", "Rafal", "Ilya"],
    "say": ["said", "asked", "wrote", "whispered", "answered", "noted"],
}


def pick(rng, key):
    return W[key][rng.integers(len(W[key]))]


def noun_phrase(rng, plural=False):
    words = [] if plural else [pick(rng, "det")]
    if rng.random() < 0.6:
        words.append(pick(rng, "adj"))
    words.append(pick(rng, "nouns" if plural else "noun"))
    if rng.random() < 0.25:
        words += [pick(rng, "prep"), noun_phrase(rng, rng.random() < 0.3)]
    return " ".join(words)


def clause(rng):
    plural = rng.random() < 0.35
    subject = noun_phrase(rng, plural)
    verb = pick(rng, "verbp" if plural else "verb")
    parts = [subject, verb, noun_phrase(rng, rng.random() < 0.3)]
    if rng.random() < 0.5:
        parts.append(pick(rng, "adv"))
    return " ".join(parts)


def sentence(rng):
    s = clause(rng)
    while rng.random() < 0.35:
        s += f"{',' if rng.random() < 0.5 else ''} {pick(rng, 'conj')} {clause(rng)}"
    if rng.random() < 0.15:
        s += f" ({noun_phrase(rng)} {pick(rng, 'verb')} {rng.integers(2, 500)} {pick(rng, 'nouns')})"
    s = s[0].upper() + s[1:]
    if rng.random() < 0.2:
        return f'"{s}," {pick(rng, "say")} {pick(rng, "name")}.'
    return s + ("?" if rng.random() < 0.08 else ".")


def paragraph(rng):
    text = " ".join(sentence(rng) for _ in range(rng.integers(2, 7)))
    return textwrap.fill(text, width=72)


def value(rng, depth):
    r = rng.random()
    if depth < 3 and r < 0.25:
        return record(rng, depth + 1)
    if depth < 3 and r < 0.4:
        return "[" + ", ".join(value(rng, depth + 1) for _ in range(rng.integers(1, 4))) + "]"
    if r < 0.7:
        return f'"{pick(rng, rng.choice(["noun", "adj", "name"]))}"'
    if r < 0.9:
        return str(rng.integers(0, 1000))
    return f"{rng.uniform(-1, 1):.3f}"


def record(rng, depth=0):
    keys = rng.choice(W["noun"], size=rng.integers(1, 4), replace=False)
    return "{" + ", ".join(f'"{k}": {value(rng, depth)}' for k in keys) + "}"


def main(seed=0):
    rng = np.random.default_rng(seed)
    blocks, size = [], 0
    while size < TARGET_CHARS:
        block = record(rng) if rng.random() < 0.2 else paragraph(rng)
        blocks.append(block)
        size += len(block) + 2
    OUT.write_text("\n\n".join(blocks) + "\n")
    print(f"wrote {OUT}: {OUT.stat().st_size} bytes, {len(set(OUT.read_text()))} distinct characters")


if __name__ == "__main__":
    main()
