"""The course in a real browser: JupyterLab in headless Chromium runs the notebooks, every
widget renders, and moving an explorer's sliders shows the numbers lstmlearn computes.

Cells run through JupyterLab's own command "notebook:run-all-cells" (window.jupyterapp).
Sliders move the way a learner moves them: arrow keys on the focused handle, or a value
typed into the slider's editable readout followed by Enter. The values then read back from
the readouts (sliders snap to their step) go into lstmlearn in this process, and the
numbers must match what the explorer's table shows in the page.

Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest

from lstmlearn.widgets import EXPLORERS as EXPLORER_TABLE
from lstmlearn.widgets import cell_state_values, gate_values, vanishing_values
from lstmlearn.widgets.names import CONTROL_NAMES, PLAY_NAMES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from manifest import load  # noqa: E402

COURSE = load()

pytestmark = pytest.mark.browser

NOTEBOOKS = [
    "00_start_here.ipynb",
    "02_vanishing_gradients.ipynb",
    "03_gates.ipynb",
    "04_cell_state.ipynb",
    "05_lstm_step_by_step.ipynb",
]
KERNEL_TIMEOUT = 60_000  # ms: JupyterLab loaded and the kernel idle
RUN_TIMEOUT = 120_000  # ms: all cells of one notebook
SLOW_NOTEBOOKS = {nb.ipynb: 600_000 for nb in COURSE if nb.slow}  # 07 and 08 train models first
WIDGET_TIMEOUT = 30_000  # ms: widgets rendered, an explorer updated

GATE_TITLE = "One LSTM step"
CELL_TITLE = "The cell state"
VANISHING_TITLE = "Vanishing and exploding gradients"

# The notebook panel JupyterLab shows, found by its path.
_PANEL = """name => window.jupyterapp && [...window.jupyterapp.shell.widgets('main')]
    .find(w => w.context && w.context.path === name && w.sessionContext)"""


class NotebookPage:
    """One notebook open in its own JupyterLab tab, all its cells run."""

    def __init__(self, page, name, artifacts):
        self.page, self.name, self.artifacts = page, name, artifacts
        self.stem = name.removesuffix(".ipynb")
        self.console = []  # the page's console errors and uncaught exceptions, for failure messages
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))

    def console_tail(self, n=10):
        return "\n".join(["browser console errors (last %d):" % n] + self.console[-n:]) if self.console else ""

    def js(self, body, arg=None):
        """Evaluate `body` (JS, with `panel` and `arg` in scope) and return its value."""
        return self.page.evaluate(
            f"async ([name, arg]) => {{ const panel = ({_PANEL})(name); {body} }}", [self.name, arg]
        )

    def wait_js(self, condition, timeout, what):
        try:
            self.page.wait_for_function(
                f"([name, arg]) => {{ const panel = ({_PANEL})(name); {condition} }}",
                arg=[self.name, None],
                timeout=timeout,
                polling=250,
            )
        except Exception as error:  # playwright's TimeoutError, with what we were waiting for
            raise AssertionError(
                f"{self.name}: timed out after {timeout / 1000:.0f} s waiting for {what}\n{self.console_tail()}"
            ) from error

    def run_all(self):
        self.wait_js("return !!panel;", KERNEL_TIMEOUT, "JupyterLab to open the notebook")
        self.wait_js(
            "const k = panel.sessionContext.session && panel.sessionContext.session.kernel;"
            "return !!k && k.connectionStatus === 'connected' && k.status === 'idle';",
            KERNEL_TIMEOUT,
            "the kernel to start and be idle",
        )
        # Start from no outputs and no execution counts, so everything checked comes from this run.
        self.js("await window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');")
        assert (
            self.js(
                "return panel.content.model.sharedModel.cells.filter("
                "c => c.cell_type === 'code' && (c.execution_count !== null || c.outputs.length)).length;"
            )
            == 0
        )
        timeout = SLOW_NOTEBOOKS.get(self.name, RUN_TIMEOUT)
        ok = self.js(f"""return await Promise.race([
            window.jupyterapp.commands.execute('notebook:run-all-cells'),
            new Promise(resolve => setTimeout(() => resolve('timeout'), {timeout}))]);""")
        assert ok != "timeout", f"{self.name}: Run All Cells did not finish within {timeout / 1000:.0f} s"
        self.wait_js(
            "const k = panel.sessionContext.session.kernel; return k.status === 'idle' && "
            "panel.content.model.sharedModel.cells.every(c => c.cell_type !== 'code' || c.execution_count !== null);",
            timeout,
            "every code cell to have an execution count and the kernel to be idle",
        )
        assert ok is True, f"{self.name}: Run All Cells stopped early (a cell raised):\n{self.error_text()}"

    def error_text(self):
        return "\n---\n".join(
            self.page.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
            ).all_inner_texts()
        )

    def widget_outputs(self):
        """How many outputs in the notebook's model are widget views."""
        return self.js(
            "return panel.content.model.sharedModel.cells.flatMap(c => c.outputs || [])"
            ".filter(o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length;"
        )

    def explorer(self, title):
        """The output holding the explorer whose title contains `title`."""
        return self.page.locator(".jp-OutputArea-output:has(> .jupyter-widgets)").filter(
            has=self.page.locator(".widget-html-content b", has_text=title)
        )

    def screenshot_notebook(self):
        """The whole notebook in one picture: a viewport as tall as the notebook, then back."""
        viewport = self.page.viewport_size
        extra = self.js(
            "const s = panel.content.node.querySelector('.jp-WindowedPanel-outer') || panel.content.node;"
            "return s.scrollHeight - s.clientHeight;"
        )  # what the notebook scrolls past
        self.page.set_viewport_size({"width": viewport["width"], "height": min(viewport["height"] + extra, 15000)})
        try:
            self.page.wait_for_timeout(1000)  # JupyterLab lays itself out again
            self.js(
                "(panel.content.node.querySelector('.jp-WindowedPanel-outer') || panel.content.node).scrollTop = 0;"
            )
            self.page.wait_for_timeout(500)
            self.page.screenshot(path=self.artifacts / f"{self.stem}.png")
        finally:
            self.page.set_viewport_size(viewport)


@pytest.fixture(scope="session")
def notebook(lab, browser_context, artifacts):
    """notebook(name) -> a NotebookPage with every cell run (once per session and notebook)."""
    opened = {}

    def open_and_run(name):
        if name not in opened:
            nb = opened[name] = NotebookPage(browser_context.new_page(), name, artifacts)
            nb.page.goto(f"{lab.url}/lab/workspaces/{nb.stem}/tree/{name}?reset&token={lab.token}")
            nb.run_all()
        return opened[name]

    yield open_and_run
    for nb in opened.values():
        (artifacts / f"{nb.stem}.console.txt").write_text("\n".join(nb.console) + "\n")
        nb.page.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_without_errors_and_renders_every_widget(notebook, name):
    nb = notebook(name)
    page = nb.page
    errors = nb.error_text()
    assert "Traceback" not in errors and not re.search(r"\w+Error\b", errors), f"{name} printed errors:\n{errors}"
    expected = nb.widget_outputs()
    assert expected > 0, f"{name} displays no widget: is it still one of the notebooks with an explorer?"
    nb.wait_js(
        "const text = panel.content.node.innerText; return !text.includes('Loading widget...') && "
        f"panel.content.node.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length >= {expected};",
        WIDGET_TIMEOUT,
        f"{expected} widget output(s) to render",
    )
    text = page.locator(".jp-Notebook").inner_text()
    assert "Error displaying widget" not in text, f"{name}: a widget failed to display"
    rendered = page.locator(".jp-OutputArea-output > .jupyter-widgets")
    assert rendered.count() == expected, f"{name}: {rendered.count()} widget views for {expected} widget outputs"
    assert page.locator(".jp-OutputArea-output .widget-slider").count() > 0, f"{name}: no slider rendered"
    for i in range(expected):  # each explorer shows its figure as a loaded, non-empty image
        image = rendered.nth(i).locator(".widget-image")
        if image.count():
            assert image.first.evaluate("img => img.complete && img.naturalWidth > 100"), f"{name}: empty figure"
    assert not nb.console, f"{name}: the page logged errors\n{nb.console_tail()}"
    nb.screenshot_notebook()


# --- reading and moving an explorer -------------------------------------------------------


def _slider(explorer, name):
    """A control of the explorer by its name in .controls (its DOM class lstmlearn-control-<name>)."""
    control = explorer.locator(f".widget-slider.lstmlearn-control-{name}")
    assert control.count() == 1, f"no single slider named {name!r} in the explorer"
    return control


def type_value(explorer, name, text):
    """Type a value into a slider's editable readout and press Enter."""
    readout = _slider(explorer, name).locator(".widget-readout")
    readout.fill(text)
    readout.press("Enter")


def press_keys(explorer, name, key, times):
    """Focus a slider's handle and press an arrow key."""
    handle = _slider(explorer, name).locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def slider_value(explorer, name) -> float:
    """The value a slider's readout shows: its model's value, which the kernel receives."""
    shown = _slider(explorer, name).locator(".widget-readout").inner_text().strip()
    return float(shown.replace("\u2212", "-"))  # the readout writes a minus sign, not a hyphen


def shown_numbers(explorer) -> list[str]:
    """The numbers in the explorer's table, in order, as the page shows them."""
    return [c.strip().removesuffix(" steps") for c in explorer.locator(".widget-html-content code").all_inner_texts()]


def agrees(text: str, value) -> bool:
    """Is `text` the number `value` rounded to the digits shown? (Readouts write the minus sign U+2212.)"""
    assert "-" not in text, f"the readout {text!r} writes an ASCII hyphen for a minus sign"
    text = text.replace("\u2212", "-")
    if value is None:
        return text == "-"
    if math.isinf(value):
        return text == ("∞" if value > 0 else "-∞")
    near = re.fullmatch(r"(-?\d+) ([+-]) (<?)(\d(?:\.\d)?e[+-]\d+)", text)  # "1 - 2.0e-07", "1 - <6e-17"
    if near:
        whole, sign, bound, gap = int(near.group(1)), near.group(2), near.group(3), float(near.group(4))
        distance = value - whole if sign == "+" else whole - value
        return 0 <= distance < gap if bound else abs(distance - gap) <= 0.051 * gap
    m = re.fullmatch(r"-?\d+(?:\.(\d+))?(?:e([+-]\d+))?", text)
    if m is None:
        return False
    unit = 10.0 ** (int(m.group(2) or 0) - len(m.group(1) or ""))
    return abs(float(text) - value) <= 0.5 * unit * (1 + 1e-9) + 1e-12


def wait_for_numbers(explorer, expected: list, what: str):
    """Poll until the explorer's table shows `expected`; fail with both lists if it never does."""
    page = explorer.page
    deadline_ms, shown = WIDGET_TIMEOUT, []
    while deadline_ms > 0:
        shown = shown_numbers(explorer)
        if len(shown) == len(expected) and all(agrees(s, v) for s, v in zip(shown, expected)):
            return shown
        page.wait_for_timeout(200)
        deadline_ms -= 200
    raise AssertionError(f"{what}: the explorer shows {shown}, lstmlearn computes {expected}")


def image_source(explorer):
    return explorer.locator(".widget-image").first.get_attribute("src")


def wait_for_new_figure(explorer, old_src):
    """Wait until the figure differs from `old_src` and has stopped changing (the PNG arrives
    just after the numbers), so that a screenshot shows the figure for the final settings."""
    image = explorer.locator(".widget-image").first
    last, steady, waited = None, 0, 0
    while waited < WIDGET_TIMEOUT:
        src = image.get_attribute("src")
        steady = steady + 1 if src == last and src != old_src and image.evaluate("i => i.complete") else 0
        if steady >= 3:
            return
        last = src
        explorer.page.wait_for_timeout(200)
        waited += 200
    raise AssertionError("the explorer's figure was not redrawn (or never stopped changing)")


def _screenshot(explorer, path):
    explorer.scroll_into_view_if_needed()
    explorer.screenshot(path=path)


# --- the three explorers --------------------------------------------------------------------

GATE_CONTROLS = ["x", "h_prev", "c_prev"] + [f"{w}{k}" for k in "ifgo" for w in ("w_x", "w_h", "b_")]


def test_gate_explorer_sliders_show_lstmlearn_gate_values(notebook, artifacts):
    explorer = notebook("03_gates.ipynb").explorer(GATE_TITLE)
    assert explorer.count() == 1, "notebook 03 shows no single gate explorer"
    _screenshot(explorer, artifacts / "03_gate_explorer_before.png")

    def expected():
        p = {name: slider_value(explorer, name) for name in GATE_CONTROLS}
        v = gate_values(p.pop("x"), p.pop("h_prev"), p.pop("c_prev"), **p)
        return [v[k] for k in ("i", "f", "g", "o", "c", "h")]

    wait_for_numbers(explorer, expected(), "gate explorer as the notebook left it")
    before, image = shown_numbers(explorer), image_source(explorer)
    type_value(explorer, "x", "-1.35")
    type_value(explorer, "h_prev", "0.42")
    type_value(explorer, "c_prev", "-2.5")
    type_value(explorer, "b_f", "-1.3")
    type_value(explorer, "w_xg", "2.7")
    type_value(explorer, "w_ho", "-3.1")
    press_keys(explorer, "b_i", "ArrowRight", 4)  # 0.0 -> 0.4 in steps of 0.1
    press_keys(explorer, "w_hf", "ArrowLeft", 3)
    b_o, w_xo = slider_value(explorer, "b_o"), slider_value(explorer, "w_xo")
    press_keys(explorer, "b_o", "ArrowUp", 3)  # Up and Down move a slider as Right and Left do
    press_keys(explorer, "w_xo", "ArrowDown", 2)
    assert slider_value(explorer, "x") == -1.35 and slider_value(explorer, "b_f") == -1.3
    assert slider_value(explorer, "b_i") == pytest.approx(0.4), "arrow keys did not move the b_i slider by 4 steps"
    assert slider_value(explorer, "b_o") == pytest.approx(b_o + 0.3), "ArrowUp did not move b_o up by 3 steps"
    assert slider_value(explorer, "w_xo") == pytest.approx(w_xo - 0.2), "ArrowDown did not move w_xo down by 2 steps"
    shown = wait_for_numbers(explorer, expected(), "gate explorer after moving sliders")
    assert shown != before, "the gate values did not change"
    wait_for_new_figure(explorer, image)
    _screenshot(explorer, artifacts / "03_gate_explorer_after.png")


def test_cell_state_explorer_sliders_show_lstmlearn_cell_state(notebook, artifacts):
    explorer = notebook("04_cell_state.ipynb").explorer(CELL_TITLE)
    assert explorer.count() == 1, "notebook 04 shows no single cell-state explorer"
    _screenshot(explorer, artifacts / "04_cell_state_explorer_before.png")

    def expected():
        v = cell_state_values(
            *(slider_value(explorer, n) for n in ("f", "i", "g", "c0")), int(slider_value(explorer, "T"))
        )
        return [v["half_life"], v["c_T"], v["fixed_point"], v["grad_0"]]

    wait_for_numbers(explorer, expected(), "cell-state explorer as the notebook left it")
    before, image = shown_numbers(explorer), image_source(explorer)
    type_value(explorer, "f", "0.97")
    press_keys(explorer, "f", "ArrowDown", 2)  # 0.97 -> 0.96 in steps of 0.005: Down moves as Left does
    type_value(explorer, "i", "0.3")
    type_value(explorer, "g", "-0.6")
    type_value(explorer, "c0", "1.5")
    type_value(explorer, "T", "40")
    assert slider_value(explorer, "f") == pytest.approx(0.96), "ArrowDown did not move f by 2 steps"
    assert slider_value(explorer, "T") == 40
    shown = wait_for_numbers(explorer, expected(), "cell-state explorer after moving sliders")
    assert shown != before, "the cell-state numbers did not change"
    wait_for_new_figure(explorer, image)
    _screenshot(explorer, artifacts / "04_cell_state_explorer_after.png")


def test_vanishing_gradient_explorer_controls_show_lstmlearn_norms(notebook, artifacts):
    explorer = notebook("02_vanishing_gradients.ipynb").explorer(VANISHING_TITLE)
    assert explorer.count() == 1, "notebook 02 shows no single vanishing-gradient explorer"
    _screenshot(explorer, artifacts / "02_vanishing_explorer_before.png")
    toggle = explorer.locator(".widget-toggle-buttons button")

    def activation():
        chosen = [b for b in toggle.all() if "mod-active" in (b.get_attribute("class") or "")]
        assert len(chosen) == 1, "no single activation chosen"
        return chosen[0].inner_text().strip()

    def expected():
        v = vanishing_values(
            slider_value(explorer, "spectral_radius"),
            activation(),
            int(slider_value(explorer, "T")),
            slider_value(explorer, "f"),
        )
        return [v["rnn_0"], v["lstm_0"]]

    wait_for_numbers(explorer, expected(), "vanishing-gradient explorer as the notebook left it")
    before, image = shown_numbers(explorer), image_source(explorer)
    type_value(explorer, "spectral_radius", "1.2")
    explorer.locator(".widget-toggle-buttons button", has_text="relu").click()
    type_value(explorer, "T", "50")
    press_keys(explorer, "f", "ArrowLeft", 10)  # 0.95 -> 0.90 in steps of 0.005
    assert activation() == "relu"
    label, buttons = (
        explorer.locator(f".widget-toggle-buttons {part}").first.bounding_box()
        for part in ("label.widget-label", "button")
    )
    assert abs(label["y"] + label["height"] / 2 - (buttons["y"] + buttons["height"] / 2)) < buttons["height"] / 2, (
        "the activation's label and buttons are not on one row"
    )
    assert slider_value(explorer, "f") == pytest.approx(0.9), "arrow keys did not move f by 10 steps"
    shown = wait_for_numbers(explorer, expected(), "vanishing-gradient explorer after moving controls")
    assert shown != before, "the gradient norms did not change"
    wait_for_new_figure(explorer, image)
    _screenshot(explorer, artifacts / "02_vanishing_explorer_after.png")


# --- a laptop screen with the file browser open ----------------------------------------------

LAPTOP = {"width": 1280, "height": 720}
NARROW = {"width": 900, "height": 720}


def _where_shown(name):
    """The notebook that shows explorer `name`: the last quick one, else the first (from the manifest)."""
    shown = [nb for nb in COURSE if name in nb.explorers]
    quick = [nb for nb in shown if not nb.slow]
    return (quick[-1] if quick else shown[0]).ipynb


EXPLORERS = [  # (notebook, title) for every explorer of lstmlearn.widgets.EXPLORERS a notebook shows
    (_where_shown(name), entry.title)
    for name, entry in EXPLORER_TABLE.items()
    if any(name in nb.explorers for nb in COURSE)
]
EXPLORER_NAMES = {entry.title: name for name, entry in EXPLORER_TABLE.items()}  # title -> name in the table


def _open_file_browser(nb):
    """Show JupyterLab's file browser in the left side panel (as a learner usually has it)."""
    nb.js("await window.jupyterapp.commands.execute('filebrowser:activate');")
    nb.wait_js(
        "const s = document.querySelector('#jp-left-stack'); return !!s && s.offsetWidth > 150 && "
        "!document.querySelector('#jp-left-stack').classList.contains('lm-mod-hidden');",
        WIDGET_TIMEOUT,
        "the file browser to open in the left side panel",
    )


def _fits(nb, explorer, what):
    """The explorer, its controls and every readout lie inside the notebook's visible width."""
    panel = nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.bounding_box()
    box = explorer.bounding_box()
    assert box["x"] >= panel["x"] - 1 and box["x"] + box["width"] <= panel["x"] + panel["width"] + 1, (
        f"{what}: the explorer ({box}) is wider than the notebook ({panel})"
    )
    overflow = explorer.evaluate(
        "o => [...o.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1 "
        "&& ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))"
        ".map(e => e.className + ': ' + e.innerText.slice(0, 40)).slice(0, 5)"
    )
    assert not overflow, f"{what}: parts of the explorer scroll sideways: {overflow}"
    right = panel["x"] + panel["width"]
    for kind in (".widget-readout", ".widget-label", ".widget-html-content code"):
        items = explorer.locator(kind)
        for k in range(items.count()):
            b = items.nth(k).bounding_box()
            if b is None or b["width"] == 0:
                continue
            assert b["x"] >= panel["x"] - 1 and b["x"] + b["width"] <= right + 1, (
                f"{what}: {kind} #{k} ({items.nth(k).inner_text()!r}) is cut off at {b}, "
                f"the notebook ends at {right:.0f}"
            )


def _group_lines(explorer):
    """On how many lines each row of controls (lstmlearn-group) lays out its sliders (distinct tops)."""
    return explorer.evaluate(
        "o => [...o.querySelectorAll('.lstmlearn-group')].map(g => new Set([...g.querySelectorAll('.widget-slider')]"
        ".map(s => Math.round(s.getBoundingClientRect().top))).size)"
    )


def _groups(explorer):
    """(heading, [control keys]) of every row of controls (lstmlearn-group), in order, and its ARIA name."""
    return explorer.evaluate(
        "o => [...o.querySelectorAll('.lstmlearn-group')].map(g => [g.querySelector('.widget-html').innerText.trim(),"
        "[...g.querySelectorAll('.widget-slider')].map(s => [...s.classList].find(c => c.startsWith('lstmlearn-control-'))"
        ".replace('lstmlearn-control-', '')), g.getAttribute('role'), g.getAttribute('aria-label')])"
    )


def _picture_in_view(nb, explorer, what):
    """With the explorer's top at the top of the notebook's view, its whole picture is on the screen."""
    explorer.evaluate("o => o.scrollIntoView({block: 'start'})")
    nb.page.wait_for_timeout(500)
    image = explorer.locator(".widget-image").first.bounding_box()
    height = nb.page.viewport_size["height"]
    assert image["y"] >= 0 and image["y"] + image["height"] <= height, (
        f"{what}: the picture ({image['y']:.0f} .. {image['y'] + image['height']:.0f} px) is not above the fold ({height} px)"
    )


def test_explorers_fit_a_laptop_screen_with_the_file_browser_open(notebook, artifacts):
    """1280 x 720 with the file browser open: no explorer of the course is wider than the
    notebook, no readout is cut off (the gate explorer's w_xf, w_hf, b_f among them); the gate
    explorer shows one row per group under its heading, and its picture (the bars and their axis)
    above the fold; narrower, its rows wrap onto more lines."""
    for name, title in EXPLORERS:
        nb = notebook(name)
        page = nb.page
        size = page.viewport_size
        try:
            page.set_viewport_size(LAPTOP)
            _open_file_browser(nb)
            explorer = nb.explorer(title)
            assert explorer.count() == 1, f"{name} shows no single explorer titled {title!r}"
            page.wait_for_timeout(800)  # JupyterLab lays itself out again
            explorer.scroll_into_view_if_needed()
            page.screenshot(path=artifacts / f"{nb.stem}_1280x720_file_browser.png")
            _fits(nb, explorer, f"{name} at 1280 x 720")
            if name == "03_gates.ipynb":
                for slider in ("w_xf", "w_hf", "b_f"):
                    assert _slider(explorer, slider).locator(".widget-readout").is_visible()
                lines = _group_lines(explorer)
                assert lines == [1] * 5, f"the rows of sliders take {lines} lines at 1280 x 720, not one each"
                groups = _groups(explorer)
                assert [keys for _, keys, _, _ in groups] == [GATE_CONTROLS[:3]] + [
                    GATE_CONTROLS[3 + 3 * n : 6 + 3 * n] for n in range(4)
                ], groups
                assert [h.split(":")[0] for h, _, _, _ in groups[1:]] == list("ifgo"), groups
                assert all(role == "group" and label == h for h, _, role, label in groups), groups
                _picture_in_view(nb, explorer, f"{name} at 1280 x 720")
                page.screenshot(path=artifacts / f"{nb.stem}_1280x720_explorer_top.png")
                page.set_viewport_size(NARROW)
                page.wait_for_timeout(800)
                explorer.scroll_into_view_if_needed()
                page.screenshot(path=artifacts / f"{nb.stem}_900x720_file_browser.png")
                _fits(nb, explorer, f"{name} at 900 x 720")
                narrow = _group_lines(explorer)
                assert len(narrow) == 5 and max(narrow) > 1, f"the rows take {narrow} lines at 900 px: they do not wrap"
        finally:
            page.set_viewport_size(size)


# --- accessible names -------------------------------------------------------------------------


def _handle_names(nb):
    """(control key, the aria-label of its slider handle) for every slider the notebook shows."""
    return nb.page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output .widget-slider')].map(s => [
        [...s.classList].find(c => c.startsWith('lstmlearn-control-')),
        (s.querySelector('.noUi-handle') || {getAttribute: () => null}).getAttribute('aria-label')])""")


@pytest.mark.parametrize("name", ["02_vanishing_gradients.ipynb", "03_gates.ipynb", "04_cell_state.ipynb"])
def test_every_slider_handle_is_named_for_what_it_moves(notebook, name):
    nb = notebook(name)
    nb.page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output .noUi-handle')].every(h => h.ariaLabel)",
        timeout=WIDGET_TIMEOUT,
    )
    names = _handle_names(nb)
    assert names, f"{name}: no slider"
    for key, label in names:
        assert key is not None, f"{name}: a slider that is no explorer control ({label!r})"
        assert label == CONTROL_NAMES[key.removeprefix("lstmlearn-control-")], (name, key, label)


def test_the_steppers_play_buttons_are_named(notebook):
    nb = notebook("05_lstm_step_by_step.ipynb")
    nb.page.wait_for_function(
        "() => [...document.querySelectorAll('.widget-play button')].length > 0 && "
        "[...document.querySelectorAll('.widget-play button')].every(b => b.getAttribute('aria-label'))",
        timeout=WIDGET_TIMEOUT,
    )
    labels = nb.page.evaluate("() => [...document.querySelectorAll('.widget-play button')].map(b => b.ariaLabel)")
    assert set(labels) <= set(PLAY_NAMES.values()) and {"Play", "Stop", "Repeat"} <= set(labels), labels
    assert {k for k, _ in _handle_names(nb)} == {"lstmlearn-control-t", "lstmlearn-control-unit"}


# --- axe-core on every notebook --------------------------------------------------------------

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"  # `npm ci` in tests/browser
COUNTED = {"serious", "critical"}
_OWN = ".jp-OutputArea-output, .jp-MarkdownOutput"  # what the course itself put on the page

_RUN_AXE = """async own => {
    const result = await axe.run(document, {resultTypes: ['violations'], elementRef: true});
    return result.violations.flatMap(v => v.nodes.map(n => ({
        rule: v.id, impact: n.impact || v.impact, help: v.help,
        own: !!(n.element && n.element.closest(own)), html: n.html.slice(0, 200),
        where: n.element && n.element.closest(own) ? n.element.closest(own).parentElement.className : ''})));
}"""


# every figure of the course (lstmlearn.plots.show) and every explorer picture, with its alt text
_PICTURES = """() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => ({
    figure: i.classList.contains('lstmlearn-figure'), widget: !!i.closest('.jupyter-widgets'), alt: i.alt,
    data: i.src.startsWith('data:image/png;base64,')}))"""
_FIGURES_IN_MODEL = """return panel.content.model.sharedModel.cells.flatMap(c => c.outputs || [])
    .filter(o => o.data && String(o.data['text/html'] || '').includes('lstmlearn-figure')).length;"""


@pytest.mark.parametrize("name", [nb.ipynb for nb in COURSE])  # every notebook of the course
def test_the_courses_own_outputs_have_no_serious_accessibility_violation(notebook, artifacts, name):
    """axe-core after the notebook ran: none serious or critical in the outputs and rendered
    markdown; JupyterLab's own violations are written to the artifacts, not counted."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed: run `npm ci` in {AXE.parents[2]}")
    nb = notebook(name)
    nb.page.wait_for_timeout(1500)  # the handles' names and the pictures' alt text are set
    pictures = nb.page.evaluate(_PICTURES)
    assert sum(p["figure"] for p in pictures) == nb.js(_FIGURES_IN_MODEL), f"{name}: a figure is not shown as its <img>"
    assert all(p["alt"].strip() for p in pictures), f"{name}: pictures without alt text: {pictures}"
    nb.page.add_script_tag(path=str(AXE))
    found = nb.page.evaluate(_RUN_AXE, _OWN)
    lines = [
        f"{'course' if v['own'] else 'JupyterLab'}\t{v['impact']}\t{v['rule']}\t{v['html']}\t{v['where']}"
        for v in found
    ]
    (artifacts / f"{nb.stem}.axe.tsv").write_text("\n".join(["where\timpact\trule\telement"] + lines) + "\n")
    counted = [v for v in found if v["own"] and v["impact"] in COUNTED]  # figures and explorer pictures too
    assert not counted, f"{name}: {len(counted)} serious or critical in the course's outputs:\n" + "\n".join(
        f"{v['impact']} {v['rule']} ({v['help']}): {v['html']}" for v in counted[:15]
    )


def test_jupyterlab_does_not_ask_about_jupyter_news_over_the_explorers(notebook):
    """JupyterLab's question "get notified about official Jupyter news?" would cover the bottom
    right of every explorer; the course's defaults (lstmlearn lab, the hub) answer it."""
    nb = notebook("00_start_here.ipynb")
    nb.page.wait_for_timeout(2000)  # JupyterLab asks as soon as it has restored the page
    default = nb.js(
        "const p = await window.jupyterapp.serviceManager.settings.fetch("
        "'@jupyterlab/apputils-extension:notification'); return p.schema.properties.fetchNews.default;"
    )
    assert default == "false", default  # "none" is the default under which JupyterLab asks
    asked = nb.page.get_by_text("official Jupyter news").count()
    assert asked == 0, "JupyterLab asks about Jupyter news: lstmlearn/jupyter_config was not read"


def test_figures_keep_their_alt_text_in_an_untrusted_notebook(lab, browser_context, artifacts):
    """Opened as shipped, not run and not trusted: JupyterLab's sanitizer keeps each figure's
    <img> with its data: URI and its alt (nbformat's image/png alt metadata it would ignore)."""
    import shutil

    import nbformat

    name = "04_cell_state.ipynb"
    shipped = Path(__file__).resolve().parents[2] / "notebooks" / name
    (lab.root / "untrusted").mkdir(exist_ok=True)
    shutil.copy(shipped, lab.root / "untrusted" / name)  # as shipped, whatever the other tests saved
    name = f"untrusted/{name}"
    saved = nbformat.read(shipped, as_version=4)
    alts = [
        o["metadata"]["image/png"]["alt"]
        for c in saved.cells
        for o in c.get("outputs", [])
        if "lstmlearn-figure" in str(o.get("data", {}).get("text/html", ""))
    ]
    assert alts, f"{name} as shipped shows no figure through lstmlearn.plots.show"
    page = browser_context.new_page()
    try:
        page.goto(f"{lab.url}/lab/workspaces/untrusted-04/tree/{name}?reset&token={lab.token}")
        page.wait_for_function(
            f"() => document.querySelectorAll('.jp-OutputArea-output img.lstmlearn-figure').length >= {len(alts)}",
            timeout=KERNEL_TIMEOUT,
        )
        trusted = page.evaluate(
            f"""() => [...window.jupyterapp.shell.widgets('main')].find(w => w.context && w.context.path === {name!r})
            .content.widgets.some(c => c.model.type === 'code' && c.model.trusted)"""
        )
        assert not trusted, "the notebook opened trusted: this test would not see the sanitizer"
        shown = page.evaluate(_PICTURES)
        figures = [p for p in shown if p["figure"]]
        assert [p["alt"] for p in figures] == alts and all(p["data"] for p in figures), figures
        page.screenshot(path=artifacts / "04_untrusted.png")
    finally:
        page.close()


@pytest.mark.parametrize("name, title", EXPLORERS, ids=[title.split(":")[0] for _, title in EXPLORERS])
def test_every_explorer_at_1280x720_after_a_move(notebook, artifacts, name, title):
    """Every explorer of the table on a laptop screen after a learner moved its first slider with
    the keyboard: the figure is redrawn, its alt text carries the readout's new numbers, and a
    screenshot of the screen and of the whole explorer goes to the artifacts (with the readout)."""
    nb = notebook(name)
    page = nb.page
    size = page.viewport_size
    try:
        page.set_viewport_size(LAPTOP)
        explorer = nb.explorer(title)
        assert explorer.count() == 1, f"{name} shows no single explorer titled {title!r}"
        before, image = shown_numbers(explorer), image_source(explorer)
        handle = explorer.locator(".widget-slider .noUi-handle").first
        handle.focus()
        for _ in range(3):
            handle.press("ArrowUp")
        wait_for_new_figure(explorer, image)
        readout = explorer.locator(".widget-html-content code").all_inner_texts()
        page.wait_for_function(
            "([img, numbers]) => numbers.every(n => img.alt.includes(n))",
            arg=[explorer.locator(".widget-image").first.element_handle(), readout],
            timeout=WIDGET_TIMEOUT,
        )
        alt = explorer.locator(".widget-image").first.get_attribute("alt")
        assert alt.startswith(title) and not re.search(r"[.?!]\.", alt), alt  # the title, one stop, the numbers
        assert shown_numbers(explorer) != before or not before, f"{name}: the readout did not change"
        stem = f"explorer_{EXPLORER_NAMES[title]}_1280x720"
        explorer.evaluate("o => o.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=artifacts / f"{stem}.png")
        explorer.screenshot(path=artifacts / f"{stem}_whole.png")
        (artifacts / f"{stem}.txt").write_text(f"{name}\nreadout: {readout}\nalt: {alt}\n")
    finally:
        page.set_viewport_size(size)
