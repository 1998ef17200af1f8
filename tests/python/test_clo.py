"""keel.clo.run against the hand-worked small deal and `keel clo run`."""

import json

import pandas as pd
import pytest

import keel
from conftest import EXAMPLES, assert_close

DEAL = EXAMPLES / "clo" / "small_deal.json"


def test_no_defaults_no_prepayments_by_hand():
    r = keel.clo.run(DEAL, cdr=0.0, cpr=0.0)
    first = r.tranche_flows[(r.tranche_flows["date"] == "2025-04-15") & (r.tranche_flows["name"] == "A")].iloc[0]
    # Class A: 70,000,000 x (5% + 150 bp) x 90/360 = 1,137,500 of interest in the first quarter.
    assert first["interest_due"] == pytest.approx(70_000_000 * 0.065 * 90 / 360, rel=1e-12)
    a = r.tranches.set_index("name").loc["A"]
    assert a["loss"] == 0.0 and a["principal_received"] == pytest.approx(70_000_000, rel=1e-12)


def test_dict_form_matches_cli(cli):
    doc = cli("clo", "run", "--deal", DEAL, "--cdr", 0.03, "--cpr", 0.12, "--recovery", 0.5)
    with open(DEAL) as f:
        deal = json.load(f)
    r = keel.clo.run(deal, cdr=0.03, cpr=0.12, recovery=0.5, base_dir=DEAL.parent)
    want = pd.DataFrame(doc["tranches"])
    assert list(r.tranches["name"]) == list(want["name"])
    for col in ("irr", "wal", "loss", "interest_received", "principal_received"):
        assert_close(r.tranches[col].astype(float), want[col].astype(float), rtol=1e-10, atol=1e-9)
    assert len(r.periods) == len(doc["periods"])
    assert_close(r.periods["defaults"], [p["defaults"] for p in doc["periods"]], rtol=1e-10)


def test_bad_field_is_named():
    with open(DEAL) as f:
        deal = json.load(f)
    deal["tranches"][1]["balance"] = "a lot"
    with pytest.raises(keel.InvalidInputError) as e:
        keel.clo.run(deal, base_dir=DEAL.parent)
    assert "tranches[1].balance" in str(e.value), str(e.value)
