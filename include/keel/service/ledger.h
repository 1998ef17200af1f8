// keel/service/ledger.h: the personal-ledger use cases shared by `keel ledger|account|export|import
// transactions` and the HTTP API — every part below; a caller that needs one includes that one.
//
// Inputs come either from the store (accounts and their transactions; prices) or straight from
// files (`--transactions FILE [--mapping FILE]`, `--prices FILE`), so one command line reproduces a
// result without a database. Files are read through the Context's Env (the HTTP face names none:
// it sends texts inline). Every use case returns a described result struct (keel/service/spec.h):
// its JSON is `--format json` and the HTTP body (docs/ledger.md), amounts as JSON numbers that are
// the exact cent values of the ledger's decimals.
//
// Booking always covers every account of the tenant (or every account in the file), so transfers
// pair up and wash sales are found across accounts; `account` then filters what is reported.
//
// The parts, by use case:
//   keel/service/ledger_source.h    where the transactions come from and how they are booked
//                                   (LedgerSource, load_ledger; the fields every request shares)
//   keel/service/ledger_accounts.h  accounts (create, list, show, delete) and importing transactions
//   keel/service/ledger_lots.h      open tax lots and realized gains
//   keel/service/ledger_holdings.h  holdings at market, reconciliation with a broker, performance
//   keel/service/ledger_exports.h   exports (CSV and JSON)
//   keel/service/ledger_income.h    dividends, interest and distributions; projected income
// Net worth snapshots and history: keel/service/ledger_networth.h; broker mappings:
// keel/service/ledger_mappings.h.
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include "keel/service/ledger_accounts.h"
#include "keel/service/ledger_exports.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/ledger_income.h"
#include "keel/service/ledger_lots.h"
#include "keel/service/ledger_source.h"
