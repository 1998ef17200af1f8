// Names for the generated schemas (src/api/generated/schema.d.ts, from `keel openapi`) the views
// use: the types of the API are generated, never written by hand.
import type { paths } from './generated/schema';
import type { Schemas } from './client';

// The JSON body of a route's 200 (or 201) answer, as the document declares it.
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : paths[P][M] extends { responses: { 201: { content: { 'application/json': infer T } } } }
    ? T
    : never;

export type LoginResult = Schemas['LoginResult'];
// Single sign-on through the server's OpenID Connect provider (docs/security.md "Single sign-on").
export type SingleSignOnInfo = Schemas['SingleSignOnInfo'];
export type SingleSignOnStart = Schemas['SingleSignOnStart'];
export type Me = Schemas['Me'];
export type PreferencesResult = Schemas['PreferencesResult'];
export type UserPreferences = Schemas['UserPreferences'];
export type Job = Schemas['Job'];
export type JobPage = Ok<'/api/v1/jobs', 'get'>;
export type HistoryPoint = Schemas['HistoryPoint'];
export type PortfolioPage = Ok<'/api/v1/portfolios', 'get'>;
export type PortfolioRecord = Ok<'/api/v1/portfolios', 'post'>;
export type PortfolioListItem = Schemas['PortfolioListItem'];
export type PortfolioView = Schemas['PortfolioView'];
export type Overview = Schemas['Overview'];
export type PositionView = Schemas['PositionView'];
export type History = Schemas['PortfolioHistoryResult'];
export type ReportSummary = Schemas['ReportSummary'];
export type FactorsResult = Schemas['RiskFactorsResult'];
export type StressResult = Schemas['RiskStressResult'];
export type PositionsImportResult = Schemas['PositionsImportResult'];
// A portfolio's stored positions as written (GET …/positions) and one position as sent back
// (POST …/positions as JSON: the positions file's columns).
export type PositionsList = Ok<'/api/v1/portfolios/{id}/positions', 'get'>;
// A stored position's fields, without the id it has as an item of the list.
export type StoredPosition = Omit<Schemas['PositionItem'], 'id'>;
export type PositionRowInput = Schemas['PositionRow'];
export type PositionsUpload = Schemas['PositionsUpload'];
export type PricesImportResult = Schemas['PricesImportResult'];
export type Report = Schemas['Report'];
export type ReportPositionRow = Schemas['ReportPositionRow'];
// The report's analysis sections (keel.report/2): each embeds its use case's result as the API
// returns it (ReportVar is POST .../risk/var's RiskVarResult with the backtest, and so on).
export type ReportExposures = Schemas['ReportExposures'];
export type ExposureGroup = Schemas['ExposureGroup'];
export type ReportGreeks = Schemas['ReportGreeks'];
export type GreeksPosition = Schemas['GreeksPosition'];
export type ReportFactors = Schemas['ReportFactors'];
export type ReportVar = Schemas['ReportVar'];
export type ReportBacktest = Schemas['ReportBacktest'];
export type VarMethodResult = Schemas['VarMethodResult'];
export type VarContribution = Schemas['VarContribution'];
export type PnlHistogram = Schemas['PnlHistogram'];
export type ReportStress = Schemas['ReportStress'];
export type StressScenarioResult = Schemas['StressScenarioResult'];
export type ReportCorrelation = Schemas['ReportCorrelation'];
export type ReportCorrelationPair = Schemas['ReportCorrelationPair'];
export type ReportAttribution = Schemas['ReportAttribution'];
// What-if modelling sessions (docs/whatif.md "Modelling sessions").
export type SessionCreated = Schemas['ModellingSession'];
export type SessionShown = Schemas['ModellingSessionShown'];
export type SessionTradeInput = Schemas['ModellingTradeRow'];
export type TradesAdded = Schemas['ModellingTradesAdded'];
export type WhatIfResult = Schemas['WhatIfResult'];
export type WhatIfMetrics = Schemas['WhatIfMetrics'] | Schemas['WhatIfChange'];
export type WhatIfSaved = Schemas['ModellingSessionSaved'];

// Ledger, retirement planning and administration (web app part 2).
export type AccountPage = Ok<'/api/v1/accounts', 'get'>;
export type Account = Schemas['AccountResult'];
export type AccountShow = Schemas['AccountShowResult'];
export type LotsResult = Schemas['LedgerLotsResult'];
export type Lot = Schemas['LedgerLot'];
export type GainsResult = Schemas['LedgerGainsResult'];
export type Gain = Schemas['LedgerGain'];
export type HoldingsResult = Schemas['LedgerHoldingsResult'];
export type HoldingPosition = Schemas['HoldingPosition'];
export type ReconcileResult = Schemas['LedgerReconcileResult'];
export type ReconcileRow = Schemas['ReconcileRow'];
export type PerformanceResult = Schemas['LedgerPerformanceResult'];
export type NetworthResult = Schemas['LedgerNetworthResult'];
export type NetworthPoint = Schemas['NetWorthPoint'];
export type SnapshotResult = Schemas['LedgerSnapshotResult'];
export type TransactionsImportResult = Schemas['TransactionsImportResult'];
export type ImportPreviewRow = Schemas['ImportPreviewRow'];
export type LedgerMapping = Schemas['LedgerMapping'];
export type LedgerMappingList = Schemas['LedgerMappingList'];
export type PlanRequest = Schemas['PlanRequest'];
export type PlanEvent = Schemas['PlanEvent'];
export type PlanRetireResult = Schemas['PlanRetireResult'];
export type PlanCompareResult = Schemas['PlanCompareResult'];
export type PlanCompareRow = Schemas['PlanCompareRow'];
export type PlanSensitivityResult = Schemas['PlanSensitivityResult'];
export type PlanPaths = Schemas['PlanPercentilePaths'];
export type User = Schemas['User'];
export type UserPage = Ok<'/api/v1/users', 'get'>;
export type AuditEntry = Schemas['AuditEntry'];
export type AuditPage = Ok<'/api/v1/audit', 'get'>;
// The tenant's webhooks and their deliveries (docs/webhooks.md).
export type Webhook = Schemas['Webhook'];
export type WebhookPage = Ok<'/api/v1/webhooks', 'get'>;
export type CreateWebhookRequest = Schemas['CreateWebhookRequest'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryPage = Ok<'/api/v1/webhooks/{id}/deliveries', 'get'>;
// The ledger's income, benchmark comparison and tearsheet.
export type IncomeResult = Schemas['LedgerIncomeResult'];
export type HoldingIncome = Schemas['HoldingIncome'];
export type IncomePayment = Schemas['IncomePayment'];
export type IncomeGroup = Schemas['IncomeGroup'];
export type ProjectedPayment = Schemas['ProjectedPayment'];
export type BenchmarkComparison = Schemas['BenchmarkComparison'];
export type BenchmarkPeriod = Schemas['BenchmarkPeriod'];
// Portfolio construction (docs/construction.md) and rebalancing.
export type OptimizeResult = Schemas['OptimizeResult'];
export type OptimizeFrontierResult = Schemas['OptimizeFrontierResult'];
export type FrontierPoint = Schemas['FrontierPoint'];
export type RebalanceRequest = Schemas['RebalanceRequest'];
export type RebalanceResult = Ok<'/api/v1/portfolios/{id}/rebalance', 'post'>;
export type RebalanceTrade = Schemas['RebalanceTrade'];
// The ledger's stored transactions (the activities tab): a page of them, an edit's body and its
// answer (the row before and after), and the export's JSON.
export type TransactionPage = Ok<'/api/v1/accounts/{id}/transactions', 'get'>;
export type TransactionItem = Schemas['LedgerTransactionItem'];
export type TransactionEditRequest = Schemas['TransactionEditRequest'];
export type TransactionEditResult = Schemas['TransactionEditResult'];
export type ExportedTransaction = Schemas['ExportedTransaction'];
export type PricesFetchRequest = Schemas['PricesFetchRequest'];
