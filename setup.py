"""Build hook: the wheel carries the whole course inside the package.

Everything about the package is in pyproject.toml. This file adds one step to building
it: the course's notebooks (notebooks/*.ipynb), their solutions (notebooks/solutions/) and
data (data/) are copied into the build
as lstmlearn/_course/notebooks and lstmlearn/_course/data, so that a plain
`pip install` (no clone, no -e) has them; `python -m lstmlearn course DIR` lays them out
and lstmlearn.paths finds them. In the repository they stay where they are, and an
editable install reads them there. MANIFEST.in puts the same files in the sdist.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

COURSE = {"notebooks": "*.ipynb", "notebooks/solutions": "*.py", "data": "**/*"}  # folder -> files shipped
SKIP = {"__pycache__", ".ipynb_checkpoints"}


def course_files(root: Path):
    """(source, path inside lstmlearn/_course) for every file of the course under `root`."""
    for folder, pattern in COURSE.items():
        for path in sorted((root / folder).glob(pattern)):
            rel = path.relative_to(root)
            if path.is_file() and not SKIP & set(rel.parts) and not path.name.startswith("."):
                yield path, rel


class build_py_with_course(build_py):
    """build_py, then the course's files into build_lib/lstmlearn/_course/."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads notebooks/ and data/ in the repository
        for source, rel in course_files(Path(".")):
            target = Path(self.build_lib, "lstmlearn", "_course", rel)
            self.mkpath(str(target.parent))
            self.copy_file(str(source), str(target), preserve_mode=False)


setup(cmdclass={"build_py": build_py_with_course})
