"""Showing a figure in a notebook with its text alternative.

JupyterLab 4 draws an image/png output as an <img> without alt text: its image renderer
reads width, height and "unconfined" from the output's metadata, never "alt"
(jupyter/enhancement-proposals#120 proposes that it should). Its HTML renderer keeps an
<img> with a data: URI and its alt, in trusted and untrusted notebooks alike (the sanitizer
checks the scheme of href and cite only). So show(fig, alt) displays one output whose
text/html is an <img alt="..."> of the figure's PNG, which JupyterLab and nbconvert prefer,
and keeps the same PNG as image/png with {"alt": ...} in its metadata, which nbconvert and
other static viewers read; text/plain is the alt text too.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib.pyplot as plt


def figure_png(fig) -> bytes:
    """The figure as the inline backend renders it: PNG, at the figure's dpi, cropped tight."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", facecolor=fig.get_facecolor())
    return buf.getvalue()


def figure_bundle(fig, alt: str) -> tuple[dict, dict]:
    """(data, metadata) of a display_data output showing `fig` with the text alternative `alt`:
    text/html (an <img alt> of the PNG), image/png and text/plain, and the alt in image/png's metadata."""
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(
            f"alt must say in words what the figure shows (a non-empty string), but it is {alt!r}; "
            'e.g. show(fig, alt=f"Loss against step: it falls from {first:.2f} to {last:.2f}").'
        )
    alt = " ".join(alt.split())
    png = base64.b64encode(figure_png(fig)).decode("ascii")
    img = f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}" class="lstmlearn-figure">'
    return {"text/html": img, "image/png": png, "text/plain": alt}, {"image/png": {"alt": alt}}


def show(fig=None, alt: str = "") -> None:
    """Show `fig` (default: pyplot's current figure) with its text alternative `alt`, in
    place of plt.show(), and close it so that the inline backend does not show it again.

    alt : what the figure shows, in words, with the numbers that matter (from the values the
        figure was drawn from, e.g. f"... falls from {loss[0]:.2f} to {loss[-1]:.2f}").
    """
    from IPython.display import display

    fig = plt.gcf() if fig is None else fig
    data, metadata = figure_bundle(fig, alt)
    display(data, metadata=metadata, raw=True)
    plt.close(fig)
