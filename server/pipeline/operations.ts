// The real API's operations, as the pipeline runs them: each one's parameters, the window they
// select, what names the answer in the answer cache, the answer and its explanation.

import type { Config } from '../config.js'
import { accountResource } from '../data/directory.js'
import { formatUtc } from '../time.js'
import { billingUsageJson, type JsonAnswer } from '../usage/billing-usage.js'
import { explainCosts, explainFilterOptions, explainSummary, explainUsage, rowsOf } from '../usage/explain.js'
import {
  listAccounts,
  masked,
  parseAccountsQuery,
  parseGetAccountQuery,
  type AccountsQuery,
} from '../usage/accounts.js'
import { computeFilterOptions } from '../usage/filter-options.js'
import { planFor } from '../usage/plan.js'
import { parseUsageQuery, type UsageQuery } from '../usage/query.js'
import { computeBillingSummary, parseSummaryQuery, type SummaryQuery } from '../usage/summary.js'
import { callerOf, parseCostsBody, queryUsageCosts, type CostsQuery } from '../usage/usage-costs.js'
import type { PlainOperation, WindowedOperation } from './operation.js'

/** A body computed as objects, as the server sends it. */
const asJson = (body: unknown): JsonAnswer => ({ body: Buffer.from(JSON.stringify(body)), rows: rowsOf(body) })

/**
 * What a billingUsage answer reads of its query: the window, the zone, and each selected
 * stream's plan, named by the plan's identity (usage/plan.ts: the same key the hourly sums and the
 * row writer use). So the parameters' order and spelling, the order of filter dimensions (ANDed)
 * and of a dimension's values (ORed), and dimensions a stream ignores [contract 1.4] do not change
 * it; groupBy's order does, since rows sort by the group values in groupBy's order and `group`
 * lists them so [contract 1.5].
 */
function usageIdentity(q: UsageQuery): string {
  return JSON.stringify([q.fromMs, q.toMs, q.timezone, q.streams.map(spec => planFor(q, spec).key)])
}

const usageWindow = (q: { fromMs: number; toMs: number }) => ({ fromMs: q.fromMs, toMs: q.toMs })

export interface ApiOperations {
  billingUsage: WindowedOperation<UsageQuery>
  summary: WindowedOperation<SummaryQuery>
  filterOptions: WindowedOperation<UsageQuery>
  usageCosts: WindowedOperation<CostsQuery>
  listAccounts: PlainOperation<AccountsQuery>
  getAccount: PlainOperation<ReturnType<typeof parseGetAccountQuery>['query']>
}

export function apiOperations(config: Pick<Config, 'strictParams' | 'filters'>): ApiOperations {
  const { strictParams } = config
  const applyFilters = config.filters === 'apply'
  return {
    billingUsage: {
      name: 'Gateway_GetAccountUsage',
      parse: ({ query }) => parseUsageQuery(query, { strictParams, applyFilters }),
      window: usageWindow,
      identity: usageIdentity,
      answer: c => billingUsageJson(c.account, c.query, c.nowMs, c.engine),
      explain: (q, now) => explainUsage(q, now, applyFilters),
    },
    summary: {
      name: 'Gateway_GetBillingSummary',
      parse: ({ query }) => parseSummaryQuery(query, strictParams),
      window: q => ({ fromMs: q.startDay, toMs: q.endDay }),
      identity: q => JSON.stringify([q.startDay, q.endDay, q.daily]),
      answer: c => asJson(computeBillingSummary(c.account, c.query, c.nowMs, c.engine)),
      explain: explainSummary,
    },
    filterOptions: {
      name: 'Gateway_GetAccountUsageFilterOptions',
      parse: ({ query }) => parseUsageQuery(query, { strictParams, fields: ['start_time', 'end_time', 'usage_type'] }),
      window: usageWindow,
      // The window's distinct values, for the streams the usage type selects (filter-options.ts).
      identity: q => JSON.stringify([q.fromMs, q.toMs, q.streams.map(s => s.kind)]),
      answer: c => asJson(computeFilterOptions(c.account, c.query, c.nowMs, c.engine)),
      explain: explainFilterOptions,
    },
    usageCosts: {
      name: 'Gateway_QueryUsageCosts',
      method: 'POST',
      parse: ({ body }) => parseCostsBody(body),
      window: usageWindow,
      // The body's meaning (the page token's binding, and its offset).
      identity: q => `${q.binding}|${q.offset}`,
      // The caller's user (SELF scope counts that user's keys), and the clock: evaluationTime
      // is the clock's now.
      varies: c => `${callerOf(c.account, c.owner.keyId).user}|${c.nowMs}`,
      answer: c => asJson(queryUsageCosts(c.account, c.query, callerOf(c.account, c.owner.keyId), c.nowMs, c.engine)),
      explain: explainCosts,
    },
    // [ours] a key sees exactly its own account: listing and getting it are not cached (cheap).
    listAccounts: {
      name: 'Gateway_ListAccounts',
      parse: ({ query }) => parseAccountsQuery(query, strictParams),
      answer: c => asJson(listAccounts([accountResource(c.account, c.worldStartMs)], c.query)),
      explain: (_q, now) => ({ now: formatUtc(now) }),
    },
    getAccount: {
      name: 'Gateway_GetAccount',
      parse: ({ query }) => parseGetAccountQuery(query, strictParams),
      answer: c => asJson(masked(accountResource(c.account, c.worldStartMs), c.query.fields)),
      explain: (_q, now) => ({ now: formatUtc(now) }),
    },
  }
}
