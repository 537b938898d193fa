"""The temperature explorer: sample from a trained character model (notebook 08).

    p = softmax(logits / temperature)

A low temperature sharpens the next-character distribution (safe, repetitive text); a
high one flattens it (adventurous, misspelt text). The maths is lstmlearn.tasks.text.
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ..losses import softmax
from ..models import forward
from ..plots.style import OKABE_ITO, detached_figure
from ..tasks.text import sample_text
from ._base import Explorer, check_number, int_slider, seed_control, slider

TOP = 15  # how many of the most likely next characters the bar chart shows


def split_prime(prime: str, vocab) -> tuple[str, list]:
    """(the characters of `prime` the model knows, in order; the distinct ones it does not).

    The temperature explorer samples after the known characters and says which it left out,
    so a learner who types an accent or an emoji sees why it was not used.
    """
    known = "".join(ch for ch in prime if ch in vocab.chars)
    unknown = list(dict.fromkeys(ch for ch in prime if ch not in vocab.chars))
    return known, unknown


def next_char_distribution(params: dict, model, vocab, prime: str, temperature: float) -> np.ndarray:
    """p (V,): the model's distribution of the character after `prime`, at `temperature`."""
    if not prime:
        raise ValueError("prime must contain at least one character.")
    known, unknown = split_prime(prime, vocab)
    if unknown:
        raise ValueError(
            f"prime contains characters the model has never seen: {unknown}; leave them out "
            f"(split_prime(prime, vocab) does) or use characters of vocab.chars."
        )
    check_number("temperature", temperature, 1e-12, np.inf)
    out = forward(params, vocab.encode(prime)[:, None], model)
    return softmax(out.Y[-1, 0].astype(np.float64) / temperature)


def temperature_values(params, model, vocab, prime, temperature, n, seed) -> dict:
    """text (the prime and n sampled characters), p (V,) after the prime, top (the TOP most likely)."""
    p = next_char_distribution(params, model, vocab, prime, temperature)
    text = sample_text(params, model, vocab, np.random.default_rng(seed), n, temperature, prime=prime)
    top = np.argsort(p)[::-1][:TOP]
    return {"text": text, "p": p, "top": [(vocab.chars[k], float(p[k])) for k in top]}


def _shown(ch):
    return {"\n": "⏎", " ": "␣"}.get(ch, ch)


def _named(ch):
    """A character for the note about left-out characters: itself if printable, else its code."""
    return html.escape(ch) if ch.isprintable() and ch != " " else f"U+{ord(ch):04X}"


def temperature_explorer(
    params: dict, model, vocab, prime: str = "The ", n: int = 200, temperature: float = 0.8, seed: int = 0
) -> Explorer:
    """Controls: temperature, prime (text), n, seed (0 .. 2^32 - 1).
    .values: text, p, top (see temperature_values), prime (the characters used: those of the
    typed prime the model knows, or a space if none), skipped (the characters left out) and
    fallback (True when no typed character was usable and the space was used instead)."""
    controls = {
        "temperature": slider(r"$\tau$", temperature, 0.1, 2.0, 0.05, continuous=False),
        "prime": W.Text(
            value=prime,
            description="prime",
            continuous_update=False,
            style={"description_width": "60px"},
            layout=W.Layout(width="100%", max_width="500px"),
        ),
        "n": int_slider("$n$", n, 10, 600, continuous=False),
        "seed": seed_control(seed),
    }
    fig = detached_figure((8, 2.6))
    ax = fig.subplots()
    bars = ax.bar(np.arange(TOP), np.zeros(TOP), color=OKABE_ITO["blue"])
    ax.set_xticks(np.arange(TOP))
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    title = ax.set_title("", fontsize=10)

    def compute(p):
        known, skipped = split_prime(p["prime"], vocab)
        used = known or (" " if " " in vocab.chars else vocab.chars[0])  # the model needs one character
        values = temperature_values(params, model, vocab, used, p["temperature"], p["n"], p["seed"])
        return values | {"prime": used, "skipped": skipped, "fallback": not known}

    def draw(v):
        for bar, (_, prob) in zip(bars, v["top"]):
            bar.set_height(prob)
        ax.set_xticklabels([_shown(ch) for ch, _ in v["top"]])
        title.set_text("the next character after the prime, at this temperature")
        return True  # tick labels changed: redraw everything

    def describe(v):
        note = ""
        if v["skipped"]:
            note = (
                "The model has never seen "
                + ", ".join(f"<code>{_named(ch)}</code>" for ch in v["skipped"])
                + ": left out of the prime.<br>"
            )
        if v["fallback"]:  # nothing of the typed prime was usable
            note += (
                "The prime has no character the model knows: sampling starts after "
                f"<code>{_named(v['prime'])}</code>.<br>"
            )
        return (
            note
            + "<pre style='white-space:pre-wrap;font-size:12px;max-width:100%'>"
            + html.escape(v["text"])
            + "</pre>"
        )

    return Explorer(
        controls,
        compute,
        draw,
        describe,
        fig,
        title="Sampling with a temperature",
        alt="Bars of the most likely next characters' probabilities at this temperature",
    )
