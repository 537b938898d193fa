"""Where the course's files are: data_dir() and course_root(), in a clone and in an installed wheel."""

from pathlib import Path

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn import paths
from lstmlearn.tasks import load_batch

ROOT = Path(__file__).resolve().parents[1]


def _fake_data(folder: Path) -> Path:
    (folder / "eval").mkdir(parents=True)
    (folder / "results").mkdir()
    return folder


def test_a_laid_out_course_reads_its_own_data(tmp_path, monkeypatch):
    monkeypatch.delenv("LSTMLEARN_DATA", raising=False)
    own = _fake_data(tmp_path / "course" / "data")
    monkeypatch.chdir(tmp_path / "course")
    assert ll.data_dir() == own


def test_wrong_lstmlearn_data_is_an_error_naming_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTMLEARN_DATA", str(tmp_path / "no-such-folder"))
    with pytest.raises(FileNotFoundError, match="LSTMLEARN_DATA") as err:
        ll.data_dir()
    assert "no-such-folder" in str(err.value) and "does not exist" in str(err.value)
    monkeypatch.setenv("LSTMLEARN_DATA", str(tmp_path))  # exists, but is not the course's data folder
    with pytest.raises(FileNotFoundError, match="LSTMLEARN_DATA") as err:
        ll.data_dir()
    assert "eval" in str(err.value) and "unset" in str(err.value)


def test_empty_lstmlearn_data_counts_as_unset(monkeypatch):
    monkeypatch.setenv("LSTMLEARN_DATA", "")
    assert (ll.data_dir() / "eval").is_dir()


def test_course_root_in_a_clone_and_in_a_wheel(tmp_path):
    assert paths.course_root() == ROOT  # this checkout: notebooks/ and data/ beside the package
    package = tmp_path / "site-packages" / "lstmlearn"
    for sub in ("notebooks", "data"):
        (package / "_course" / sub).mkdir(parents=True)
    assert paths.course_root(package) == package / "_course"
    with pytest.raises(FileNotFoundError, match="notebooks"):
        paths.course_root(tmp_path / "elsewhere" / "lstmlearn")


def test_corrupt_evaluation_set_names_the_file(tmp_path):
    bad = tmp_path / "adding_T50.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(ValueError, match="adding_T50.npz") as err:
        load_batch(bad)
    assert "evaluation set" in str(err.value) and "BadZipFile" not in type(err.value).__name__
    assert "allow_pickle" not in str(err.value)


def test_evaluation_set_with_a_pickle_or_without_arrays_is_refused(tmp_path):
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, X=np.array([{"a": 1}], dtype=object), Y=np.zeros(1))
    with pytest.raises(ValueError, match="pickled.npz") as err:
        load_batch(pickled)
    assert "allow_pickle" not in str(err.value)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, weights=np.zeros(3))
    with pytest.raises(ValueError, match="foreign.npz.*X.*Y"):
        load_batch(foreign)
    text = tmp_path / "text.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="text.npz"):
        load_batch(text)


def test_missing_evaluation_set_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.npz"):
        load_batch(tmp_path / "nothing.npz")


def test_evaluation_set_that_is_a_single_array_or_truncated_is_refused(tmp_path):
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(ValueError, match="single.npy.*single array"):
        load_batch(single)
    whole = tmp_path / "whole.npz"
    np.savez_compressed(whole, X=np.arange(5000.0), Y=np.zeros(2))
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(whole.read_bytes()[:-200])
    with pytest.raises(ValueError, match="truncated.npz"):
        load_batch(truncated)
