"""Command line: python -m lstmlearn doctor | learner-copies.

    python -m lstmlearn doctor                       is this machine ready for the course?
    python -m lstmlearn learner-copies OUT_DIR       notebooks without solutions, for a workshop
"""

from __future__ import annotations

import sys


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"doctor": "lstmlearn.doctor", "learner-copies": "lstmlearn.learner_copies"}
    if not argv or argv[0] not in commands:
        print(__doc__.strip())
        return 2
    import importlib

    return importlib.import_module(commands[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
