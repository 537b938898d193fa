"""The interpretable-cell helpers: text features, unit correlations, highlighted text."""

import numpy as np
import pytest

from lstmlearn.interpret import highlight, text_features, unit_correlations


def test_text_features_by_hand():
    text = 'ab\n{"k": [12.5]}'  # a, b, newline, {, ", k, ", :, space, [, 1, 2, ., 5, ], }
    f = text_features(text)
    assert len(f["column"]) == len(text) == 16
    np.testing.assert_array_equal(f["column"], [0, 1, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    np.testing.assert_array_equal(f["in_quote"], [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    # a bracket counts as inside what it opens or closes
    np.testing.assert_array_equal(f["depth"], [0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1])
    np.testing.assert_array_equal(f["in_number"], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0])


def test_unit_correlations_against_numpy():
    rng = np.random.default_rng(0)
    feats = {"a": rng.normal(size=50), "b": rng.normal(size=50), "flat": np.ones(50)}
    acts = np.stack([feats["a"] * 2 + 1, -feats["b"], rng.normal(size=50)], axis=1)
    C = unit_correlations(acts, feats)
    assert C.shape == (3, 3)
    assert C[0, 0] == pytest.approx(1.0) and C[1, 1] == pytest.approx(-1.0)
    assert C[2, 0] == pytest.approx(np.corrcoef(acts[:, 2], feats["a"])[0, 1])
    assert np.all(C[:, 2] == 0)  # a constant feature correlates with nothing
    with pytest.raises(ValueError, match="activations has 49 rows"):
        unit_correlations(acts[:49], feats)


def test_highlight_colours_each_character():
    out = highlight("a<\n", [-1.0, 0.0, 1.0])
    assert out.count("<span") == 3 and "&lt;" in out and "<br>" in out
    with pytest.raises(ValueError, match="values has 2 entries"):
        highlight("abc", [0, 1])
