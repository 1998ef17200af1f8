"""keel.clo.run against the hand-worked small deal and `keel clo run`."""

import inspect
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


def test_keyword_arguments_are_the_clo_run_requests(cli):
    # Every field of CloRunRequest but the deal (the first argument), with the API's default.
    props = cli("openapi")["components"]["schemas"]["CloRunRequest"]["properties"]
    params = inspect.signature(keel.clo.run).parameters
    for name, prop in props.items():
        if name == "deal":
            continue
        assert name in params, name
        assert params[name].default == prop.get("default"), (name, params[name].default, prop)
    with pytest.raises(TypeError, match="recovery_lag_month"):
        keel.clo.run(DEAL, recovery_lag_month=3)


def test_a_named_scenario_and_the_former_lag_name(cli):
    # A deal with a scenario library, written beside the example's collateral file so its relative
    # path still reads: the named scenario runs as the command's --scenario does, and a flag given
    # beside it overrides its rate.
    with open(DEAL) as f:
        deal = json.load(f)
    deal["scenarios"] = {"stressed": {"cdr": [0.02, 0.06, 0.04], "cpr": 0.1, "recovery": 0.5,
                                      "recovery_lag_months": 9}}
    r = keel.clo.run(deal, scenario="stressed", base_dir=DEAL.parent)
    assert r.raw["scenario"]["name"] == "stressed"
    assert r.raw["scenario"]["recovery_lag_months"] == 9
    assert r.raw["scenario"]["cdr_path"][:3] == [0.02, 0.06, 0.04]
    cut = keel.clo.run(deal, scenario="stressed", cpr=0.3, base_dir=DEAL.parent)
    assert cut.raw["scenario"]["cpr"] == 0.3 and cut.raw["scenario"]["cdr_path"][:3] == [0.02, 0.06, 0.04]
    with pytest.raises(keel.InvalidInputError, match="stressed"):
        keel.clo.run(deal, scenario="nope", base_dir=DEAL.parent)
    with pytest.warns(DeprecationWarning, match="recovery_lag_months= is now recovery_lag="):
        old = keel.clo.run(DEAL, cdr=0.03, recovery_lag_months=3)
    new = keel.clo.run(DEAL, cdr=0.03, recovery_lag=3)
    assert old.raw == new.raw
    assert new.raw != keel.clo.run(DEAL, cdr=0.03).raw  # the lag moves the recoveries


def test_migration_as_json_equals_the_commands_migration_file(cli):
    # The annual matrix of examples/clo/migration.csv given as migration_ratings/migration_annual
    # moves the pool as `keel clo run --migration FILE` does.
    bsl = EXAMPLES / "clo" / "example_bsl_clo.json"
    table = pd.read_csv(EXAMPLES / "clo" / "migration.csv")
    ratings = list(table.columns[1:])
    assert list(table["from"]) == ratings
    doc = cli("clo", "run", "--deal", bsl, "--migration", EXAMPLES / "clo" / "migration.csv")
    r = keel.clo.run(bsl, migration_ratings=ratings, migration_annual=table[ratings].to_numpy().tolist())
    assert r.raw["marks"]["migration"] is True
    want = pd.DataFrame(doc["tranches"])
    for col in ("irr", "wal", "loss", "principal_received"):
        assert_close(r.tranches[col].astype(float), want[col].astype(float), rtol=1e-10, atol=1e-9)
    assert_close(r.periods["ccc_haircut"], [p["ccc_haircut"] for p in doc["periods"]], rtol=1e-10, atol=1e-9)
    plain = keel.clo.run(bsl)  # the migrated pool's CCC haircut after two years is larger
    assert r.periods["ccc_haircut"].iloc[8] > plain.periods["ccc_haircut"].iloc[8]
    with pytest.raises(keel.InvalidInputError, match="migration"):
        keel.clo.run(bsl, migration_ratings=ratings, migration_annual=[[1.0]])
