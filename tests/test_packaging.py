"""pyproject.toml, environment.yml and binder/ must describe the same course environment."""

import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
# conda-forge packages whose name differs from the PyPI name in pyproject.toml
PYPI_NAME = {"playwright-python": "playwright", "python-build": "build"}


def _name_and_bound(req: str) -> tuple[str, str]:
    req = req.split(";")[0].strip()
    m = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def pyproject_requirements() -> dict:
    """The course environment: dependencies and the dev extra. The hub extra (the packages of a
    JupyterHub server, deploy/jupyterhub/) is not part of it, nor of environment.yml."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = meta["dependencies"] + meta["optional-dependencies"]["dev"]
    return dict(_name_and_bound(r) for r in reqs)


def conda_requirements(path: Path) -> tuple[dict, list]:
    deps, pip = {}, []
    section = None
    for line in path.read_text().splitlines():
        stripped = line.split("#")[0].rstrip()
        if not stripped:
            continue
        if not line.startswith(" "):
            section = stripped.rstrip(":")
            continue
        if section != "dependencies":
            continue
        item = stripped.strip().removeprefix("- ").strip()
        if line.startswith("      "):
            pip.append(item)
        elif item != "pip:":
            name, bound = _name_and_bound(item)
            deps[PYPI_NAME.get(name, name)] = bound
    return deps, pip


def test_environment_yml_matches_pyproject():
    deps, pip = conda_requirements(ROOT / "environment.yml")
    assert deps.pop("python") == ">=3.10"
    assert deps.pop("pip") == ""
    assert deps == pyproject_requirements()
    assert pip == ["-e ."]


def test_binder_environment_is_the_same_without_the_editable_install():
    root, _ = conda_requirements(ROOT / "environment.yml")
    binder, pip = conda_requirements(ROOT / "binder" / "environment.yml")
    assert binder == root and pip == []
    assert "pip install" in (ROOT / "binder" / "postBuild").read_text()


def test_python_requirement():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["requires-python"] == ">=3.10"


def test_doctor_checks_every_dependency_of_the_package():
    from lstmlearn import doctor

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_name_and_bound(r) for r in meta["dependencies"])
    assert {name: f">={minimum}" for name, (minimum, _) in doctor.REQUIRED.items()} == wanted


def test_console_script_and_the_course_in_the_build():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["scripts"] == {"lstmlearn": "lstmlearn.__main__:main"}
    manifest = (ROOT / "MANIFEST.in").read_text()
    assert "include notebooks/*.ipynb" in manifest and "graft data" in manifest


def _readme_block_after(marker: str) -> str:
    """The first line of the first ```bash block after `marker` in the README."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)\n", text[text.index(marker):])
    return block.group(1).strip()


def test_ci_runs_the_readmes_install_then_its_test_command():
    install = _readme_block_after("**Install**").split(" && ")
    test = _readme_block_after("**Run the tests**")
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert all(step in commands for step in install), (install, commands)
    where = [commands.index(step) for step in install]
    assert where == sorted(where) and commands[-1] == test, commands
