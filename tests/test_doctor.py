"""python -m lstmlearn doctor: every check passes here, and each failure says how to fix it.

Tests marked `environment` check this machine's installation (Jupyter, the widgets
extension, a kernel) rather than lstmlearn's code; the others feed the checks made-up
environments.
"""

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lstmlearn import doctor


def test_python_check():
    assert doctor.check_python((3, 11, 7)).ok
    old = doctor.check_python((3, 9, 18))
    assert not old.ok and "3.9.18 is too old" in old.detail and "3.10 or newer" in old.fix
    assert "FAIL" in old.line() and "fix:" in old.line()


def test_package_checks_missing_old_and_fine():
    def version_of(table):
        def lookup(name):
            if name not in table:
                raise importlib.metadata.PackageNotFoundError(name)
            return table[name]

        return lookup

    missing = doctor.check_package("ipywidgets", "8.0", "the sliders", version_of({}))
    assert not missing.ok and "not installed" in missing.detail and "pip install" in missing.fix
    old = doctor.check_package("ipywidgets", "8.0", "the sliders", version_of({"ipywidgets": "7.8.1"}))
    assert not old.ok and "7.8.1 is older than 8.0" in old.detail and "--upgrade 'ipywidgets>=8.0'" in old.fix
    fine = doctor.check_package("jupyterlab", "4.0", "", version_of({"jupyterlab": "4.10.0rc1"}))
    assert fine.ok  # 4.10 > 4.9: versions compare as numbers, not text
    optional = doctor.check_package("nbval", "0.10", "testing the notebooks", version_of({}), optional=True)
    assert optional.ok and optional.skipped and "optional" in optional.detail  # missing: not a failure ...
    line = optional.line()
    assert line.startswith("[SKIP] nbval: not installed (optional, for testing the notebooks)")  # ... nor a pass
    assert "PASS" not in line and "FAIL" not in line and "to install: " in line and "pip install 'nbval>=0.10'" in line
    there = doctor.check_package("nbval", "0.10", "tests", version_of({"nbval": "0.11"}), optional=True)
    assert there.ok and not there.skipped and there.line() == "[PASS] nbval: 0.11"
    old_optional = doctor.check_package("nbval", "0.10", "tests", version_of({"nbval": "0.9"}), optional=True)
    assert not old_optional.ok and old_optional.line().startswith("[FAIL] nbval: 0.9 is older than 0.10")


def test_the_report_counts_skipped_optional_checks_apart(monkeypatch, capsys):
    checks = [
        doctor.Check("Python", True, "3.11"),
        doctor.Check("pytest", True, "not installed (optional, for running the tests)", "pip install", skipped=True),
    ]
    monkeypatch.setattr(doctor, "run_checks", lambda kernel: checks)
    assert doctor.main(["--no-kernel"]) == 0
    out = capsys.readouterr().out
    assert "[SKIP] pytest" in out and "1 of 1 checks passed; 1 optional skipped, not installed: pytest." in out


def test_widgets_extension_check(tmp_path):
    assert not doctor.check_widgets_extension([tmp_path]).ok
    assert "Error displaying widget" not in doctor.check_widgets_extension([tmp_path]).fix
    assert "jupyterlab_widgets" in doctor.check_widgets_extension([tmp_path]).fix
    ext = tmp_path / "@jupyter-widgets" / "jupyterlab-manager"
    ext.mkdir(parents=True)
    (ext / "package.json").write_text('{"version": "5.0.9"}')
    found = doctor.check_widgets_extension([tmp_path])
    assert found.ok and "5.0.9" in found.detail


@pytest.mark.environment
def test_widgets_extension_is_installed_here():
    assert doctor.check_widgets_extension().ok


def test_missing_kernel_is_reported_with_a_fix():
    bad = doctor.check_kernel("no-such-kernel-xyz", timeout=20)
    assert not bad.ok and "did not start" in bad.detail and "ipykernel install" in bad.fix


@pytest.mark.environment
def test_doctor_command_passes_here():
    run = subprocess.run([sys.executable, "-m", "lstmlearn", "doctor"], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "[FAIL]" not in run.stdout and "built a widget and a figure" in run.stdout
    assert "checks passed." in run.stdout


@pytest.mark.environment
def test_kernel_noise_stays_out_of_the_report():
    """The kernel's own warnings (unencrypted TCP, ...) are not the doctor's to print."""
    run = subprocess.run([sys.executable, "-m", "lstmlearn", "doctor"], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr == "" and "encryption" not in run.stdout and "IPKernelApp" not in run.stdout


def test_ready_line_works_without_an_activated_environment(tmp_path):
    """The closing commands name this environment's programs by path when they are not on PATH."""
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if Path(p).resolve() != Path(sys.executable).parent.resolve()
    )
    run = subprocess.run(
        [sys.executable, "-m", "lstmlearn", "doctor", "--no-kernel"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    tail = [line.strip() for line in run.stdout.strip().splitlines()[-2:]]
    here = Path(sys.executable).parent
    assert tail[0].startswith(str(here / "lstmlearn") + " course "), tail
    assert tail[1].startswith(str(here / "lstmlearn") + " lab "), tail
    assert "notebooks/" not in run.stdout


def test_unknown_command_prints_usage():
    run = subprocess.run([sys.executable, "-m", "lstmlearn", "frobnicate"], capture_output=True, text=True)
    assert run.returncode == 2 and "doctor" in run.stdout and "learner-copies" in run.stdout


def test_kernel_that_dies_is_quoted_without_its_transport_warning(tmp_path):
    def dies(stdout, **kwargs):
        stdout.write(
            "[IPKernelApp] WARNING | Kernel is running over TCP without encryption.\n"
            "ModuleNotFoundError: No module named 'ipykernel_launcher'\n"
        )
        raise RuntimeError("Kernel died before replying to kernel_info")

    with open(tmp_path / "log", "w+") as log:
        dead = doctor._check_kernel("kernel 'python3'", "python3", 5, log, dies)
    assert not dead.ok and "ipykernel_launcher" in dead.detail and "encryption" not in dead.detail
