"""`lstmlearn lab [DIR]`: this environment's JupyterLab on DIR (default: here), with the course's defaults.

    lstmlearn lab my-lstm-course
    lstmlearn lab my-lstm-course --port 8899      anything after DIR goes to JupyterLab as it is

On its first start JupyterLab asks "Would you like to get notified about official Jupyter
news?" in a box that covers the bottom right of the page, where an explorer's legend is. The
course answers "no" for you, as a default you can still change (Settings > Notifications):
lstmlearn/jupyter_config/labconfig/default_setting_overrides.json sets the setting
`@jupyterlab/apputils-extension:notification` to fetchNews "false" (and no update check).
JupyterLab reads that file from every folder on JUPYTER_CONFIG_PATH, under your own settings,
so this command puts the folder first on that path and starts JupyterLab. Your own JupyterLab
settings (theme, shortcuts) are used as always. The hub sets the same path for every
learner's server (deploy/jupyterhub/jupyterhub_config.py).

Exit status: JupyterLab's; 2 when DIR is not a folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROG = "lstmlearn lab"
CONFIG = Path(__file__).resolve().parent / "jupyter_config"  # holds labconfig/default_setting_overrides.json


def environment(env=None) -> dict:
    """`env` (os.environ if None) with CONFIG first on JUPYTER_CONFIG_PATH."""
    env = dict(os.environ if env is None else env)
    rest = [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p and p != str(CONFIG)]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(CONFIG), *rest])
    return env


def command(folder, extra=()) -> list:
    """The command line that runs this environment's JupyterLab on `folder`."""
    return [sys.executable, "-m", "jupyterlab", str(folder), *extra]


def main(argv=None) -> int:
    """`lstmlearn lab [DIR] [JupyterLab's options]`: run JupyterLab on DIR until it stops; return its status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    folder, extra = (argv[0], argv[1:]) if argv and not argv[0].startswith("-") else (".", argv)
    if not Path(folder).is_dir():
        print(
            f"{PROG}: error: {folder} is not a folder: give the folder of your course, e.g. "
            f"lstmlearn lab my-lstm-course (lstmlearn course my-lstm-course lays one out)",
            file=sys.stderr,
        )
        return 2
    process = subprocess.Popen(command(folder, extra), env=environment())
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:  # JupyterLab has Ctrl-C too, and asks before it stops: wait for it
            continue


if __name__ == "__main__":
    sys.exit(main())
