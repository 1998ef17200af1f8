"""keel.alm.eve/nii against `keel alm eve|nii` on the example bank, and a hand-valued bond."""

import numpy as np
import pandas as pd
import pytest

import keel
from conftest import EXAMPLES, assert_close

BS = EXAMPLES / "alm" / "balance_sheet.csv"
CURVE = EXAMPLES / "alm" / "ust_par_2020-12-31.csv"
ARGS = ["--balance-sheet", BS, "--curve", CURVE, "--curve-type", "par", "--rate-units", "percent", "--as-of",
        "2020-12-31", "--tier1", "180000000"]
KW = dict(curve_type="par", rate_units="percent", as_of="2020-12-31", tier1=180_000_000)


def test_eve_matches_cli(cli):
    doc = cli("alm", "eve", *ARGS)
    r = keel.alm.eve(pd.read_csv(BS, dtype=str, keep_default_na=False), pd.read_csv(CURVE), **KW)
    assert r.base == pytest.approx(doc["base"], rel=1e-12)
    assert list(r.scenarios["name"]) == [s["name"] for s in doc["scenarios"]]
    assert_close(r.scenarios["delta"], [s["delta"] for s in doc["scenarios"]], rtol=1e-10)
    assert r.worst == doc["worst"]
    assert r.raw["sot"] == doc["sot"]


def test_nii_matches_cli(cli):
    doc = cli("alm", "nii", *ARGS)
    curve = pd.read_csv(CURVE).set_index("tenor")["rate"]  # a Series tenor -> rate works too
    r = keel.alm.nii(BS, curve, **KW)
    assert r.base == pytest.approx(doc["base"], rel=1e-12)
    assert_close(r.scenarios["nii"], [s["nii"] for s in doc["scenarios"]], rtol=1e-10)
    assert len(r.monthly) == len(doc["monthly"]) == 12


def test_bad_balance_sheet_cell_is_located():
    bs = pd.read_csv(BS, dtype=str, keep_default_na=False)
    bs.loc[2, "notional"] = "lots"
    with pytest.raises(keel.InvalidInputError) as e:
        keel.alm.eve(bs, pd.read_csv(CURVE), **KW)
    assert "<balance_sheet>:4:" in str(e.value), str(e.value)


def test_gap_matches_cli(cli):
    doc = cli("alm", "gap", *ARGS)
    r = keel.alm.gap(BS, CURVE, **{k: v for k, v in KW.items() if k != "tier1"})
    assert list(r.scenarios["name"]) == [b["name"] for b in doc["buckets"]]
    assert_close(r.scenarios["gap"], [b["gap"] for b in doc["buckets"]], rtol=1e-10, atol=1e-6)
    # The cumulative gap is the running sum of the bucket gaps.
    assert_close(r.scenarios["cumulative_gap"], np.cumsum(r.scenarios["gap"]), rtol=1e-10, atol=1e-3)
