"""keel.alm.eve/nii against `keel alm eve|nii` on the example bank, and a hand-valued bond."""

import inspect

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


def test_keyword_arguments_are_the_alm_requests(cli):
    # Every field of AlmRequest with the API's default, but the texts the first two arguments fill
    # and the stored session; one set for eve, nii and gap, as the three routes take one request.
    props = cli("openapi")["components"]["schemas"]["AlmRequest"]["properties"]
    for fn in (keel.alm.eve, keel.alm.nii, keel.alm.gap):
        params = inspect.signature(fn).parameters
        for name, prop in props.items():
            if name in ("balance_sheet", "balance_sheet_zip", "session", "curves"):
                # the first argument, or not taken
                assert name not in params or params[name].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
                continue
            assert name in params, (fn.__name__, name)
            assert params[name].default == prop.get("default"), (fn.__name__, name, params[name].default, prop)
    with pytest.raises(TypeError, match="horizon"):
        keel.alm.nii(BS, CURVE, horizon=24, **KW)


def test_calendar_buckets_and_the_former_horizon_name(cli):
    # nii_buckets, which keel.alm.nii could not set before it took the request's fields, gives the
    # command's calendar months; horizon_months= still reads as nii_horizon_months=.
    doc = cli("alm", "nii", *ARGS, "--nii-buckets", "calendar", "--horizon-months", 18)
    r = keel.alm.nii(BS, CURVE, nii_buckets="calendar", nii_horizon_months=18, **KW)
    assert r.raw["nii_buckets"] == "calendar" and r.raw["horizon_months"] == 18
    assert r.base == pytest.approx(doc["base"], rel=1e-12)
    assert [m["start"] for m in r.raw["monthly"]] == [m["start"] for m in doc["monthly"]]
    with pytest.warns(DeprecationWarning, match="horizon_months= is now nii_horizon_months="):
        old = keel.alm.nii(BS, CURVE, horizon_months=18, nii_buckets="calendar", **KW)
    assert old.raw == r.raw
    with pytest.raises(keel.InvalidInputError, match="nii_buckets"):
        keel.alm.nii(BS, CURVE, nii_buckets="weekly", **KW)


def test_shock_table_as_a_frame_equals_the_commands_file(cli, tmp_path):
    # A shock table given as a DataFrame is the CSV text the request carries; the command reads the
    # same table from a file. Halved shocks (BCBS table sizes / 2) halve no delta exactly but change
    # every one, and match the command's.
    table = pd.DataFrame({"currency": ["USD"], "parallel_bp": [100], "short_bp": [150], "long_bp": [50]})
    path = tmp_path / "shocks.csv"
    table.to_csv(path, index=False)
    doc = cli("alm", "eve", *ARGS, "--shock-table", path)
    r = keel.alm.eve(BS, CURVE, shock_table=table, **KW)
    assert_close(r.scenarios["delta"], [s["delta"] for s in doc["scenarios"]], rtol=1e-10)
    default = keel.alm.eve(BS, CURVE, **KW)
    assert all(abs(a) < abs(b) for a, b in zip(r.scenarios["delta"], default.scenarios["delta"]))
