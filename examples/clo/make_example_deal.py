#!/usr/bin/python3
"""Writes examples/clo/example_bsl_clo.json: a synthetic but realistically shaped 2025 US broadly
syndicated loan CLO (400m target par, 160 obligors, 5-year reinvestment period, 13-year legal
final). Obligor names are fictional; the shape (rating mix mostly B1-B3 with a few Caa, spreads
of 275-475 bp, 0-50 bp floors, capital structure AAA 62% / AA 11% / A 6% / BBB 6% / BB 4% /
equity 11%, OC/IC triggers, 15/35 bp management fees, 20% incentive fee over a 12% hurdle)
follows typical US BSL CLO 2.0 indentures. Deterministic (seeded), so re-running gives the same file.
"""
import json
import random

rng = random.Random(20251120)
industries = [
    "Aerospace & Defense", "Automotive", "Banking, Finance, Insurance & Real Estate", "Beverage, Food & Tobacco",
    "Capital Equipment", "Chemicals, Plastics & Rubber", "Construction & Building", "Consumer Goods: Durable",
    "Consumer Goods: Non-durable", "Containers, Packaging & Glass", "Energy: Electricity", "Energy: Oil & Gas",
    "Environmental Industries", "Healthcare & Pharmaceuticals", "High Tech Industries", "Hotel, Gaming & Leisure",
    "Media: Advertising, Printing & Publishing", "Media: Broadcasting & Subscription", "Metals & Mining",
    "Retail", "Services: Business", "Services: Consumer", "Telecommunications", "Transportation: Cargo",
    "Transportation: Consumer", "Utilities: Electric", "Wholesale",
]
weights = [2, 3, 6, 4, 4, 4, 4, 2, 2, 3, 1, 1, 2, 10, 12, 4, 2, 3, 1, 3, 11, 4, 3, 2, 1, 1, 2]
first = ["Harbor", "Summit", "Cedar", "Granite", "Beacon", "Atlas", "Sterling", "Pioneer", "Meridian", "Keystone",
         "Northwind", "Bluewater", "Ironwood", "Silverline", "Redstone", "Evergreen", "Lakeshore", "Crescent",
         "Trident", "Falcon"]
second = ["Holdings", "Group", "Intermediate", "Acquisition Corp", "Parent", "Buyer", "Borrower LLC", "Topco"]
ratings = ["Ba2", "Ba3", "B1", "B2", "B3", "Caa1", "Caa2"]
rating_w = [2, 8, 22, 36, 26, 5, 1]

collateral = []
names = set()
total = 0.0
target = 400_000_000
n = 160
for i in range(n):
    while True:
        name = f"{rng.choice(first)} {rng.choice(industries).split(' ')[0].strip(',:')} {rng.choice(second)}"
        if name not in names:
            names.add(name)
            break
    industry = rng.choices(industries, weights)[0]
    rating = rng.choices(ratings, rating_w)[0]
    par = round(rng.uniform(1.25, 3.75) * 1e6, -3)
    base = {"Ba2": 0.0250, "Ba3": 0.0285, "B1": 0.0320, "B2": 0.0350, "B3": 0.0400, "Caa1": 0.0450, "Caa2": 0.0475}[rating]
    spread = round(base + rng.choice([-0.0025, 0.0, 0.0, 0.0025]), 4)
    price = {"Ba2": 100.25, "Ba3": 100.0, "B1": 99.75, "B2": 99.25, "B3": 97.5, "Caa1": 86.0, "Caa2": 74.0}[rating]
    price = round(price + rng.uniform(-1.5, 0.5), 2)
    year = rng.choice([2028, 2029, 2030, 2030, 2031, 2031, 2032])
    month = rng.randint(1, 12)
    loan = {"obligor": name, "industry": industry, "par": par, "price": price, "spread": spread,
            "floor": rng.choice([0.0, 0.0, 0.0025, 0.005]), "maturity": f"{year}-{month:02d}-15",
            "rating": rating, "lien": "first"}
    collateral.append(loan)
    total += par
# Scale to the target par exactly (pars in whole thousands; the last loan takes the rounding).
scale = target / total
acc = 0.0
for loan in collateral[:-1]:
    loan["par"] = round(loan["par"] * scale, -3)
    acc += loan["par"]
collateral[-1]["par"] = target - acc

deal = {
    "name": "Keel Example BSL CLO 2025-1",
    "source": "synthetic pool and structure shaped like a 2025 US BSL CLO 2.0 (examples/clo/make_example_deal.py)",
    "currency": "USD",
    "dates": {"closing": "2025-06-25", "first_payment": "2025-10-20", "payment_frequency_months": 3,
              "reinvestment_end": "2030-07-20", "non_call_end": "2027-07-20", "legal_maturity": "2038-07-20"},
    "reference_rate": {"index": "3M Term SOFR", "flat": 0.0430},
    "target_par": target,
    "tranches": [
        {"class": "A", "balance": 248_000_000, "spread": 0.0132},
        {"class": "B", "balance": 44_000_000, "spread": 0.0180, "oc_trigger": 1.2140, "ic_trigger": 1.2000},
        {"class": "C", "balance": 24_000_000, "spread": 0.0215, "deferrable": True, "oc_trigger": 1.1390,
         "ic_trigger": 1.1500},
        {"class": "D", "balance": 24_000_000, "spread": 0.0330, "deferrable": True, "oc_trigger": 1.0730,
         "ic_trigger": 1.1000},
        {"class": "E", "balance": 16_000_000, "spread": 0.0625, "deferrable": True, "oc_trigger": 1.0470},
        {"class": "Sub", "type": "equity", "balance": 44_000_000, "price": 90.0},
    ],
    "fees": {"taxes_admin": {"fixed_per_year": 250000, "bps": 2.0, "cap_per_year": 450000},
             "senior_bps": 15, "sub_bps": 35, "incentive": {"share": 0.20, "hurdle_irr": 0.12}},
    "reinvestment": {"price": 99.5, "spread": 0.0325, "floor": 0.0, "rating": "B2", "term_months": 84,
                     "diversion": {"class": "E", "threshold": 1.0490, "share": 0.5}},
    "tests": {"max_warf": 3100, "min_was": 0.0325, "max_wal_years": 6.0, "min_diversity": 60,
              "max_ccc_share": 0.075, "max_obligor_share": 0.025, "max_industry_share": 0.15,
              "ccc_excess_threshold": 0.075},
    "scenario": {"cdr": 0.02, "cpr": 0.15, "recovery": 0.70, "recovery_lag_months": 6},
    "collateral": collateral,
}
with open(__file__.replace("make_example_deal.py", "example_bsl_clo.json"), "w") as f:
    json.dump(deal, f, indent=1)
    f.write("\n")
