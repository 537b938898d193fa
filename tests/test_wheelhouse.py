"""A room without internet: deploy/wheelhouse.py collects the course's wheel and every wheel it needs,
and a fresh environment installs the course from that folder alone, with the index turned off.

The first tests read the pip commands the tool builds (no network). The slow test builds a wheelhouse
for this machine's platform and Python (it needs the package index, as tests/test_wheel.py does), then,
in a fresh virtual environment with pip's configuration ignored (no extra index, no find-links from this
machine), installs `lstmlearn` with --no-index --find-links and runs `lstmlearn doctor`.
"""

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
import wheelhouse  # noqa: E402


def test_each_platform_gets_binary_wheels_for_its_python(tmp_path):
    command = wheelhouse.download_command(tmp_path / "x.whl", tmp_path, "windows", "3.12")
    assert "--only-binary=:all:" in command  # nothing is compiled on a learner's laptop
    assert command[command.index("--platform") + 1] == "win_amd64"
    assert command[command.index("--python-version") + 1] == "3.12" and "cp312" in command
    mac = wheelhouse.download_command(tmp_path / "x.whl", tmp_path, "macos-arm64", "3.10")
    assert "macosx_11_0_arm64" in mac and "cp310" in mac
    assert set(wheelhouse.DEFAULT_PLATFORMS) >= {"linux", "macos-arm64", "macos-x86_64", "windows"}


def test_an_unknown_platform_or_python_is_refused_with_the_choices(tmp_path):
    with pytest.raises(ValueError, match="platform: expected one of linux"):
        wheelhouse.download_command(tmp_path / "x.whl", tmp_path, "beos", "3.12")
    with pytest.raises(ValueError, match="python: expected one of 3.10"):
        wheelhouse.download_command(tmp_path / "x.whl", tmp_path, "linux", "2.7")


def test_the_pythons_are_those_the_project_admits():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    low = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert low == f">={wheelhouse.PYTHONS[0]}"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux" or platform.machine() != "x86_64", reason="builds the Linux x86_64 set")
def test_the_course_installs_from_the_wheelhouse_with_the_index_off(tmp_path):
    house, venv = tmp_path / "wheelhouse", tmp_path / "env"
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    made = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "wheelhouse.py"), str(house), "--platform", "linux", "--python", python],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    unreachable = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable")
    if made.returncode and any(reason in made.stderr for reason in unreachable):
        pytest.skip(f"the package index cannot be reached here: {made.stderr.strip().splitlines()[-1:]}")
    assert made.returncode == 0, made.stderr[-3000:]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    offline = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {"PIP_CONFIG_FILE": os.devnull}
    offline.pop("PYTHONPATH", None)
    install = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-index", "--find-links", house, "lstmlearn"],
        capture_output=True,
        text=True,
        env=offline,
        timeout=1800,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    doctor = subprocess.run(
        [venv / "bin" / "lstmlearn", "doctor"], capture_output=True, text=True, env=offline, cwd=tmp_path, timeout=600
    )
    assert doctor.returncode == 0, doctor.stdout[-3000:]
    assert "checks passed" in doctor.stdout and "FAIL" not in doctor.stdout
    where = [venv / "bin" / "python", "-c", "import lstmlearn; print(lstmlearn.__file__)"]
    found = subprocess.run(where, capture_output=True, text=True, env=offline, cwd=tmp_path).stdout
    assert found.startswith(str(venv))  # the installed course, not this checkout
