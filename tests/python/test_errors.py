"""keel::Error -> Python exceptions, with the file:line:column text."""

import pandas as pd
import pytest

import keel
from keel import _keel
from keel.errors import InvalidInputError, KeelError, NotFoundError, UsageError


def test_categories_map_to_python_exceptions():
    with pytest.raises(InvalidInputError) as e:
        _keel._raise_for_test("invalid_input")
    assert isinstance(e.value, ValueError) and isinstance(e.value, KeelError)
    assert e.value.code == "invalid_input"
    assert e.value.details == ["file.csv:3:2: expected a number"]
    assert "file.csv:3:2: expected a number" in str(e.value)
    with pytest.raises(NotFoundError) as e:
        _keel._raise_for_test("not_found")
    assert isinstance(e.value, LookupError)
    with pytest.raises(UsageError):
        _keel._raise_for_test("usage")


def test_bad_positions_cell_names_line_and_column(adj_prices):
    positions = pd.DataFrame({"symbol": ["AAPL", "MSFT"], "quantity": ["10", "ten"]})
    with pytest.raises(InvalidInputError) as e:
        keel.var(adj_prices, positions)
    # Line 1 is the header, so the second row is line 3; quantity is column 2.
    assert "<positions>:3:2" in str(e.value), str(e.value)


def test_option_errors_name_every_bad_index():
    with pytest.raises(InvalidInputError) as e:
        keel.options.price("call", [100, -1, 100, 100], 100, 1.0, [0.2, 0.2, 0.2, -0.3])
    text = str(e.value)
    assert "1" in text and "3" in text and "spot" in text and "vol" in text


def test_unknown_store_is_not_found(tmp_path):
    with pytest.raises(NotFoundError):
        keel.Store(tmp_path / "nope.db")


def test_help_is_useful():
    doc = keel.var.__doc__
    for word in ("historical", "parametric", "montecarlo", "confidence", "Returns", "Raises", "Example"):
        assert word in doc
