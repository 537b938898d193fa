"""A wheelhouse for a room without internet: the course's wheel and every wheel it needs.

    python deploy/wheelhouse.py wheelhouse                         # every platform, Python 3.10-3.13
    python deploy/wheelhouse.py wheelhouse --platform linux --python 3.11

Run it once, online, from a clone (the repository's root). It builds the course's wheel
(`pip wheel --no-deps .`) into OUT, then downloads, for each platform and Python version
asked for, the binary wheel of every dependency (`pip download --only-binary=:all:
--platform ... --python-version ...`): no source packages, so nothing is compiled on a
learner's laptop. Copy OUT to a USB stick or a share; in the room, on any of those platforms:

    python3 -m venv lstmlearn-env
    lstmlearn-env/bin/python -m pip install --no-index --find-links wheelhouse lstmlearn
    lstmlearn-env/bin/lstmlearn doctor

(on Windows: `py -3 -m venv lstmlearn-env` and `lstmlearn-env\\Scripts\\` in place of
`lstmlearn-env/bin/`). A learner's Python must be one of the versions the wheelhouse was
made for; `--python` takes the ones the room has.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The learners' platforms -> the pip platform tags their wheels carry (newest first; pip takes any of them).
PLATFORMS = {
    "linux": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux1_x86_64"],
    "linux-arm64": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
    "macos-arm64": ["macosx_14_0_arm64", "macosx_11_0_arm64", "macosx_10_9_universal2"],
    "macos-x86_64": ["macosx_14_0_x86_64", "macosx_10_13_x86_64", "macosx_10_9_x86_64", "macosx_10_9_universal2"],
    "windows": ["win_amd64"],
}
DEFAULT_PLATFORMS = ["linux", "macos-arm64", "macos-x86_64", "windows"]
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]  # the versions pyproject.toml's requires-python admits that have wheels


def build_wheel(out: Path, root: Path = ROOT) -> Path:
    """Build the course's wheel into `out`; return its path."""
    before = set(out.glob("lstmlearn-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(root)], check=True)
    wheels = sorted(set(out.glob("lstmlearn-*.whl")) - before) or sorted(out.glob("lstmlearn-*.whl"))
    return wheels[-1]


def download_command(wheel: Path, out: Path, platform: str, python: str) -> list:
    """The pip command that downloads the binary wheels `wheel` needs on `platform` with `python` ("3.11")."""
    if platform not in PLATFORMS:
        raise ValueError(f"platform: expected one of {', '.join(PLATFORMS)}, got {platform!r}")
    if python not in PYTHONS:
        raise ValueError(f"python: expected one of {', '.join(PYTHONS)}, got {python!r}")
    tags = [arg for tag in PLATFORMS[platform] for arg in ("--platform", tag)]
    abi = "cp" + python.replace(".", "")
    return [
        *(sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:"),
        *tags,
        *("--python-version", python, "--implementation", "cp", "--abi", abi, "--abi", "abi3", "--abi", "none"),
        *("--dest", str(out), str(wheel)),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], prog="python deploy/wheelhouse.py")
    parser.add_argument("out", type=Path, help="the folder to fill (made if missing)")
    parser.add_argument("--platform", nargs="+", default=DEFAULT_PLATFORMS, choices=list(PLATFORMS))
    parser.add_argument("--python", nargs="+", default=PYTHONS, choices=PYTHONS, help="the room's Python versions")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"out: {args.out} is a file; give a folder (it is made if missing)")
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    wheel = build_wheel(args.out)
    print(f"built {wheel.name}")
    for platform in args.platform:
        for python in args.python:
            subprocess.run(download_command(wheel, args.out, platform, python), check=True)
            print(f"wheels for {platform}, Python {python}")
    files = list(args.out.glob("*.whl"))
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"{args.out}: {len(files)} wheels, {size:.0f} MB, in {time.monotonic() - start:.0f} s")
    print(f"in the room: python -m pip install --no-index --find-links {args.out} lstmlearn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
