"""Fixtures of the keel Python test suite.

Run by ctest (`make test`) with PYTHONPATH=<build>/python, KEEL_BIN=<build>/apps/keel/keel and
KEEL_SOURCE_DIR=<source tree>; by hand:
    PYTHONPATH=build/python KEEL_BIN=build/apps/keel/keel /usr/bin/python3 -m pytest tests/python
"""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SOURCE = Path(os.environ.get("KEEL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLES = SOURCE / "examples"


def _keel_bin():
    if os.environ.get("KEEL_BIN"):
        return os.environ["KEEL_BIN"]
    guess = SOURCE / "build" / "apps" / "keel" / "keel"
    return str(guess) if guess.exists() else None


@pytest.fixture(scope="session")
def cli():
    """Runs the keel command with --format json and returns the parsed document."""
    binary = _keel_bin()
    if binary is None:
        pytest.skip("KEEL_BIN is not set and build/apps/keel/keel does not exist")

    def run(*args, db=None):
        cmd = [binary, "--format", "json", "--quiet"]
        if db is not None:
            cmd += ["--db", str(db)]
        cmd += [str(a) for a in args]
        p = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert p.returncode == 0, f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr}"
        return json.loads(p.stdout) if p.stdout.strip() else None

    return run


@pytest.fixture(scope="session")
def price_rows():
    """examples/market/prices.csv read by pandas (long rows)."""
    return pd.read_csv(EXAMPLES / "market" / "prices.csv", parse_dates=["date"])


@pytest.fixture(scope="session")
def adj_prices(price_rows):
    """Adjusted closes, dates x symbols (pandas pivot: independent of keel's reader)."""
    return price_rows.pivot(index="date", columns="symbol", values="adj_close").sort_index()


@pytest.fixture(scope="session")
def closes(price_rows):
    return price_rows.pivot(index="date", columns="symbol", values="close").sort_index()


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def assert_close(a, b, rtol=1e-10, atol=0.0):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=atol)
