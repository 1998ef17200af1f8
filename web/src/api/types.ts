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
export type Me = Schemas['Me'];
export type Job = Schemas['Job'];
export type JobPage = Ok<'/api/v1/jobs', 'get'>;
export type HistoryPoint = Schemas['HistoryPoint'];
export type PortfolioPage = Ok<'/api/v1/portfolios', 'get'>;
export type History = Schemas['PortfolioHistoryResult'];
export type ReportSummary = Schemas['ReportSummary'];
export type FactorsResult = Schemas['RiskFactorsResult'];
export type StressResult = Schemas['RiskStressResult'];
export type PositionsImportResult = Schemas['PositionsImportResult'];
export type PricesImportResult = Schemas['PricesImportResult'];
export type Report = Schemas['Report'];
export type ReportPositionRow = Schemas['ReportPositionRow'];
// What-if modelling sessions (docs/whatif.md "Modelling sessions").
export type SessionCreated = Schemas['ModellingSession'];
export type SessionShown = Schemas['ModellingSessionShown'];
export type SessionTradeInput = Schemas['ModellingTradeRow'];
export type TradesAdded = Schemas['ModellingTradesAdded'];
export type WhatIfResult = Schemas['WhatIfResult'];
export type WhatIfMetrics = Schemas['WhatIfMetrics'] | Schemas['WhatIfChange'];
export type WhatIfSaved = Schemas['ModellingSessionSaved'];
