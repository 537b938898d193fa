"""Command line: python -m lstmlearn course | lab | doctor | learner-copies (also as the `lstmlearn` command).

    lstmlearn course DIR [--learner]     your own copy of the course in DIR, and how to open it
    lstmlearn lab [DIR]                  JupyterLab on DIR, without its question about Jupyter news
    lstmlearn doctor                     is this machine ready for the course?
    lstmlearn learner-copies OUT_DIR     notebooks without solutions, for a workshop

Each command has its --help. Exit status: 0 success, 1 a check or a write failed, 2 a misuse.
"""

from __future__ import annotations

import sys

COMMANDS = {
    "course": "lstmlearn.course",
    "lab": "lstmlearn.lab",
    "doctor": "lstmlearn.doctor",
    "learner-copies": "lstmlearn.learner_copies",
}


def main(argv=None) -> int:
    """Run the command named by argv[0] with the rest of argv; return its exit status.

    Without a command, or with an unknown one, print the usage and return 2; with -h or
    --help, print it and return 0.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    if not argv or argv[0] not in COMMANDS:
        if argv:
            print(f"lstmlearn: error: unknown command {argv[0]!r}", file=sys.stderr)
        print(__doc__.strip())
        return 2
    import importlib

    return importlib.import_module(COMMANDS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
