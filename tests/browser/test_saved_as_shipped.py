"""A notebook saved by tools/build_notebooks.py stays as it is when JupyterLab opens and saves it.

The builder writes the kernelspec and the numbers the way JupyterLab itself writes them
(build_notebooks.as_jupyterlab_saves), so opening a notebook does not mark it modified and
saving it writes the same bytes: a learner who works in a clone can still `git pull`.
Each notebook is re-saved here the way the builder saves it (its outputs as shipped), then
opened in JupyterLab, checked for "modified", saved, and compared byte for byte.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
TIMEOUT = 60_000  # ms: the notebook open and its kernel idle

_PANEL = """name => window.jupyterapp && [...window.jupyterapp.shell.widgets('main')]
    .find(w => w.context && w.context.path === name && w.sessionContext)"""


def as_built(name: str) -> str:
    """The shipped notebook as the builder saves it now: its kernelspec, numbers as JupyterLab's."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    src = ROOT / "notebooks" / "src" / name.replace(".ipynb", ".py")
    nb.metadata["kernelspec"] = build_notebooks.parse(src.read_text()).metadata["kernelspec"]
    return nbformat.writes(build_notebooks.as_jupyterlab_saves(nb)) + "\n"  # nbformat.write adds the newline


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_open_and_save_in_jupyterlab_changes_nothing(lab, browser_context, artifacts, name):
    folder = lab.root / "as-built"
    folder.mkdir(exist_ok=True)
    built = as_built(name)
    (folder / name).write_text(built)
    path = f"as-built/{name}"
    page = browser_context.new_page()
    try:
        page.goto(f"{lab.url}/lab/workspaces/as-built-{name[:2]}/tree/{path}?reset&token={lab.token}")
        page.wait_for_function(
            f"""name => {{ const panel = ({_PANEL})(name); if (!panel) return false;
                const k = panel.sessionContext.session && panel.sessionContext.session.kernel;
                return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }}""",
            arg=path, timeout=TIMEOUT, polling=250)
        page.wait_for_timeout(2000)  # the kernel's info and the widget state reach the model
        dirty = page.evaluate(f"name => ({_PANEL})(name).context.model.dirty", path)
        page.screenshot(path=artifacts / f"as-built-{name[:2]}.png")  # the tab shows no "modified" dot
        page.evaluate(f"async name => {{ await ({_PANEL})(name).context.save(); }}", path)
        page.evaluate(f"async name => {{ await ({_PANEL})(name).sessionContext.shutdown(); }}", path)
    finally:
        page.close()
    saved = (folder / name).read_text()
    diff = "".join(list(difflib.unified_diff(built.splitlines(True), saved.splitlines(True), "built", "saved"))[:40])
    assert not dirty, f"{name}: JupyterLab marks it modified as soon as it opens"
    assert saved == built, f"{name}: saving in JupyterLab changed it:\n{diff}"
