"""`python -m lstmlearn doctor`: is this machine ready for the course?

Run it the day before a workshop. It checks, and prints one pass/fail line for each,
with the fix for every failure (an optional package that is missing is neither: its line
says SKIP and how to install it):

    1. the Python version
    2. the packages the course needs, and their versions
    3. that JupyterLab has the ipywidgets front-end extension (without it, sliders show
       as "Error displaying widget" or as plain text)
    4. that a Jupyter kernel starts, imports lstmlearn, builds a widget and draws a figure

Each check is a plain function returning a Check, so the tests can run them one by one
and feed them broken environments. When all pass, it ends with the two commands that lay
out your own copy of the course and open it, written so that they work whether or not the
course's environment is activated.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

MIN_PYTHON = (3, 10)
REQUIRED = {  # package -> (minimum version, what it is for)
    "numpy": ("1.24", "all the maths"),
    "matplotlib": ("3.7", "every figure"),
    "ipywidgets": ("8.0", "the sliders"),
    "tqdm": ("4.60", "progress bars while training"),
    "nbformat": ("5.7", "laying out the course's notebooks"),
    "jupyterlab": ("4.0", "opening the notebooks"),
    "ipykernel": ("6.0", "running the notebooks"),
}
OPTIONAL = {"pytest": ("7.0", "running the tests"), "nbval": ("0.10", "testing the notebooks")}


def _python() -> str:
    """This interpreter, as the fixes should name it (its path where it is not `python` on PATH)."""
    from .course import python_command

    return python_command()


def _install() -> str:
    return (
        f'{_python()} -m pip install -e ".[dev]" in a clone of the course, or install lstmlearn again '
        "the way you first did"
    )


class Check(NamedTuple):
    """One line of the report."""

    name: str
    ok: bool  # nothing to fix (a skipped check is ok)
    detail: str
    fix: str = ""  # for a failure, its fix; for a skipped check, how to have it
    skipped: bool = False  # an optional package that is not installed: not checked, not failed

    def line(self) -> str:
        """The report's line: [PASS], [FAIL] or [SKIP], name and detail; under a failure its
        fix, under a skipped check how to install what it needs."""
        mark = "SKIP" if self.skipped else "PASS" if self.ok else "FAIL"
        text = f"[{mark}] {self.name}: {self.detail}"
        under = "to install" if self.skipped else "fix" if not self.ok else ""
        return text + (f"\n       {under}: {self.fix}" if under and self.fix else "")


def _version_tuple(text: str) -> tuple:
    """'4.10.0rc1' -> (4, 10, 0): the leading numbers, so that versions compare as numbers."""
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit()) if piece else ""
        if not digits:
            break
        parts.append(int(digits))
        if not piece.isdigit():
            break
    return tuple(parts)


def check_python(version_info=None) -> Check:
    """Is Python new enough (MIN_PYTHON)? `version_info` defaults to this interpreter's."""
    v = tuple(version_info or sys.version_info)[:3]
    text = ".".join(map(str, v))
    if v[:2] >= MIN_PYTHON:
        return Check("Python", True, f"{text} (need {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer)")
    return Check(
        "Python",
        False,
        f"{text} is too old (need {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer)",
        "install Python 3.10 or newer (python.org, or conda create -n lstmlearn python=3.11), "
        "make a new virtual environment with it and install the course again",
    )


def check_package(
    name: str, minimum: str, purpose: str, version_of=importlib.metadata.version, optional: bool = False
) -> Check:
    """Is `name` installed, at `minimum` or newer? An optional package that is missing is
    skipped (ok, and `skipped`), with how to install it.

    `version_of(name)` returns the installed version or raises PackageNotFoundError (the
    tests pass a made-up one).
    """
    try:
        found = version_of(name)
    except importlib.metadata.PackageNotFoundError:
        if optional:
            return Check(
                name,
                True,
                f"not installed (optional, for {purpose})",
                f"{_python()} -m pip install '{name}>={minimum}' (in a clone of the course, -e \".[dev]\" installs "
                "every tool of the tests)",
                skipped=True,
            )
        return Check(
            name,
            False,
            f"not installed (needed for {purpose})",
            f"{_install()}; or just: {_python()} -m pip install '{name}>={minimum}'",
        )
    if _version_tuple(found) < _version_tuple(minimum):
        return Check(
            name,
            False,
            f"{found} is older than {minimum} (needed for {purpose})",
            f"{_python()} -m pip install --upgrade '{name}>={minimum}'",
        )
    return Check(name, True, f"{found}")


def check_widgets_extension(search_paths=None) -> Check:
    """Is @jupyter-widgets/jupyterlab-manager installed where JupyterLab looks for extensions?"""
    if search_paths is None:
        try:
            from jupyter_core.paths import jupyter_path
        except ImportError:
            return Check("ipywidgets in JupyterLab", False, "jupyter_core is missing", _install())
        search_paths = jupyter_path("labextensions")
    for folder in search_paths:
        package = Path(folder) / "@jupyter-widgets" / "jupyterlab-manager" / "package.json"
        if package.is_file():
            version = json.loads(package.read_text()).get("version", "?")
            return Check("ipywidgets in JupyterLab", True, f"front-end extension {version} in {package.parent}")
    return Check(
        "ipywidgets in JupyterLab",
        False,
        "the front-end extension @jupyter-widgets/jupyterlab-manager was not found, so sliders would not display",
        f"{_python()} -m pip install --force-reinstall 'ipywidgets>=8' 'jupyterlab_widgets>=3' in the same "
        "environment as JupyterLab, then restart JupyterLab (and reload the browser tab)",
    )


KERNEL_CODE = """
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
import lstmlearn as ll
explorer = ll.widgets.gate_explorer()
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 1])
fig.canvas.draw()
print("lstmlearn", ll.__version__, "widget f =", round(explorer.values["f"], 4), "figure", fig.canvas.get_width_height())
"""


def check_kernel(kernel_name: str = "python3", timeout: float = 90.0) -> Check:
    """Start a Jupyter kernel, build a widget and a figure in it, shut it down.

    The kernel's own output (its log, such as the warning that it talks to this process
    over unencrypted local TCP) is kept out of the report; the last line of it is quoted
    only when the kernel fails.
    """
    name = f"kernel '{kernel_name}'"
    try:
        from jupyter_client.manager import start_new_kernel
    except ImportError:
        return Check(name, False, "jupyter_client is missing", _install())
    with tempfile.TemporaryFile(mode="w+") as log:
        return _check_kernel(name, kernel_name, timeout, log, start_new_kernel)


def _last_line(log) -> str:
    """The kernel's last line of output (its transport warning aside), to quote in a failure."""
    log.seek(0)
    lines = [line.strip() for line in log.read().splitlines() if line.strip() and "without encryption" not in line]
    return f"; the kernel said: {lines[-1]}" if lines else ""


def _check_kernel(name, kernel_name, timeout, log, start_new_kernel) -> Check:
    try:
        km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=timeout, stdout=log, stderr=log)
    except Exception as err:  # no such kernel, or it died while starting
        return Check(
            name,
            False,
            f"did not start ({type(err).__name__}: {err}){_last_line(log)}",
            f"{_python()} -m ipykernel install --user --name python3, then choose that kernel in "
            "JupyterLab (Kernel > Change Kernel)",
        )
    try:
        out, errors = [], []

        def collect(msg):
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")

        reply = kc.execute_interactive(KERNEL_CODE, timeout=timeout, output_hook=collect)
        if reply["content"]["status"] != "ok" or errors:
            return Check(
                name,
                False,
                "started, but could not build a widget and a figure: " + "; ".join(errors) + _last_line(log),
                f"the kernel's Python is {km.kernel_spec.argv[0]}; install the course into it: {_install()}",
            )
        return Check(name, True, "started; built a widget and a figure (" + "".join(out).strip() + ")")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run_checks(kernel: bool = True) -> list:
    """Every check, in the order of the report; without the kernel check if kernel=False."""
    checks = [check_python()]
    checks += [check_package(n, m, why) for n, (m, why) in REQUIRED.items()]
    checks += [check_package(n, m, why, optional=True) for n, (m, why) in OPTIONAL.items()]
    checks.append(check_widgets_extension())
    if kernel:
        checks.append(check_kernel())
    return checks


def ready_commands(folder: str = "my-lstm-course") -> list:
    """The commands that lay out your copy of the course in `folder` and open it.

    They name this environment's programs by their path where the environment is not
    activated (see lstmlearn.course.own_command), so they work as printed.
    """
    from .course import open_command, own_command, quote

    return [f"{own_command('lstmlearn', 'lstmlearn')} course {quote(folder)}", open_command(folder)]


def main(argv=None) -> int:
    """`python -m lstmlearn doctor [--no-kernel]`: print every check; return 0 if all pass, else 1."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m lstmlearn doctor", description=__doc__.split("\n")[0])
    ap.add_argument("--no-kernel", action="store_true", help="skip starting a kernel (faster)")
    args = ap.parse_args(argv)
    print(f"Checking {sys.executable}")
    checks = run_checks(kernel=not args.no_kernel)
    for c in checks:
        print(c.line())
    failed = [c for c in checks if not c.ok]
    skipped = [c.name for c in checks if c.skipped]
    ran = len(checks) - len(skipped)
    also = f"; {len(skipped)} optional skipped, not installed: {', '.join(skipped)}" if skipped else ""
    print(f"\n{ran - len(failed)} of {ran} checks passed{also}.")
    if not failed:
        print("Ready. Lay out your own copy of the course, and open it in JupyterLab:")
        for command in ready_commands():
            print(f"  {command}")
    return 1 if failed else 0
