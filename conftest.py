"""The slow tier: nbval's notebook runs, the browser, the hub load test and the wheel build
carry the `slow` marker, so that `pytest -m "not slow"` runs the quick tier in a couple of minutes."""

from pathlib import Path

import pytest

SLOW_FILES = ("test_wheel.py", "test_hub_load.py")  # besides tests/browser/ and the notebooks


def pytest_collection_modifyitems(items):
    for item in items:
        path = Path(str(item.fspath))
        if path.suffix == ".ipynb" or "browser" in path.parts or path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
