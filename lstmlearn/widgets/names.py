"""What each explorer control moves, in words: its accessible name and its tooltip.

A slider's label is MathJax ($x_t$), which a screen reader cannot tie to the slider's
handle, and ipywidgets 8 gives the handle no name of its own. So every control carries
its name as the tooltip (the label's title, shown on hover), and ARIA_SCRIPT, shown after
each explorer (it installs itself once per page), copies it onto each handle as aria-label. The name is the
symbol of the equations first, then its meaning: "x_t, the input". The same script lets a
focused slider handle keep the Up and Down arrows, which JupyterLab would otherwise take as
"select the cell above / below": Up and Down move a slider as Right and Left do.
"""

from __future__ import annotations

GATE_NAMES = {"i": "the input gate", "f": "the forget gate", "g": "the candidate", "o": "the output gate"}

CONTROL_NAMES = {
    "x": "x_t, the input",
    "h_prev": "h_{t-1}, the previous hidden state",
    "c_prev": "c_{t-1}, the previous cell state",
    "f": "f, the forget gate's value",
    "i": "i, the input gate's value",
    "g": "g, the candidate's value",
    "c0": "c_0, the starting cell state",
    "T": "T, the number of steps",
    "spectral_radius": "rho(W_h), the spectral radius of the recurrent weights",
    "activation": "phi, the RNN's activation function",
    "forget_bias": "b_f, the forget gate's bias",
    "truncate": "truncate, the steps back that backpropagation runs (0 for all)",
    "t": "t, the time step shown",
    "unit": "unit, the hidden unit shown",
    "temperature": "tau, the sampling temperature",
    "prime": "prime, the text the sample starts from",
    "n": "n, the number of characters sampled",
    "seed": "seed, the random seed of the sample",
    "P": "P, the number of key-value pairs stored",
    "d": "d, the size of keys and values (the memory C is d by d)",
    "j": "j, the stored pair read back (its key k_j is the query)",
    "keys": "keys, random directions or orthogonal ones",
}
for _k, _gate in GATE_NAMES.items():
    CONTROL_NAMES[f"w_x{_k}"] = f"w_x{_k}, the input's weight in {_gate}"
    CONTROL_NAMES[f"w_h{_k}"] = f"w_h{_k}, the previous hidden state's weight in {_gate}"
    CONTROL_NAMES[f"b_{_k}"] = f"b_{_k}, the bias of {_gate}"

PLAY_NAMES = {"play": "Play", "pause": "Pause", "stop": "Stop", "retweet": "Repeat", "repeat": "Repeat"}

# Names every slider handle after its label's title (the control's name above) and lets it keep
# the Up and Down keys (data-lm-suppress-shortcuts: JupyterLab's notebook shortcuts skip it), makes
# every row of controls (lstmlearn-group) a group named by its heading, gives every explorer picture
# the explorer's title and readout (its numbers) as alt text, and names every button of a Play
# widget after its icon, now and whenever JupyterLab renders another widget.
ARIA_SCRIPT = r"""
(() => {
  if (window.lstmlearnAria) return;
  const play = %(play)s;
  const name = () => {
    document.querySelectorAll('.widget-slider').forEach(s => {
      const label = s.querySelector(':scope > label.widget-label');
      const handle = s.querySelector('.noUi-handle');
      if (label && handle && label.title) handle.setAttribute('aria-label', label.title);
      // Up and Down move the slider as Left and Right do (noUiSlider's own keys), instead of
      // JupyterLab's command-mode shortcuts taking them to select another cell
      if (handle && !handle.hasAttribute('data-lm-suppress-shortcuts'))
        handle.setAttribute('data-lm-suppress-shortcuts', 'true');
    });
    document.querySelectorAll('.lstmlearn-group').forEach(g => {  // a row of controls, named by its heading
      const heading = g.querySelector(':scope > .widget-html');
      const name = heading && heading.innerText.trim();
      if (name && g.getAttribute('aria-label') !== name) {
        g.setAttribute('role', 'group');
        g.setAttribute('aria-label', name);
      }
    });
    document.querySelectorAll('img.widget-image').forEach(i => {  // the explorer's title and readout
      const box = i.parentElement, readout = i.previousElementSibling;
      const title = box && box.querySelector(':scope > .widget-html b');
      const what = title && title.innerText.trim().replace(/([^.?!])$/, '$1.');  // "last?" stays "last?"
      const alt = [what, readout && readout.innerText].filter(t => t).join(' ').replace(/\s+/g, ' ');
      if (alt && i.alt !== alt) i.alt = alt;
    });
    document.querySelectorAll('.widget-play button').forEach(b => {
      const icon = [...b.querySelectorAll('i')].map(i => [...i.classList]).flat()
        .map(c => c.replace(/^fa-/, '')).find(c => c in play);
      if (icon && !b.getAttribute('aria-label')) b.setAttribute('aria-label', play[icon]);
    });
  };
  window.lstmlearnAria = new MutationObserver(name);
  window.lstmlearnAria.observe(document.body, {childList: true, subtree: true, attributes: true,
                                               attributeFilter: ['title']});
  name();
})();
"""


def aria_script() -> str:
    """ARIA_SCRIPT with the Play buttons' names filled in (JavaScript, run once per page)."""
    import json

    return ARIA_SCRIPT % {"play": json.dumps(PLAY_NAMES)}
