// x-mock-explain: what an answer was computed from, in compact JSON, so that a failing CI
// assertion can be explained from its log alone: the clock, the resolved window and zone, the
// buckets, each stream's grouping, the filters, the ignored parameters, and how much data the
// answer summed. (The HTTP glue adds the session and whether the answer came from the cache.)

import { formatUtc } from '../time.js'
import { allStreams } from '../streams/registry.js'
import { bucketsFor } from './buckets.js'
import { planFor } from './plan.js'
import type { UsageQuery } from './query.js'
import type { SummaryQuery } from './summary.js'
import type { CostsQuery } from './usage-costs.js'

export type Explanation = Record<string, unknown>

export function explainUsage(query: UsageQuery, nowMs: number, applyFilters = true): Explanation {
  return {
    now: formatUtc(nowMs),
    window: { startTime: formatUtc(query.fromMs), endTime: formatUtc(query.toMs) },
    timezone: query.timezone,
    buckets: bucketsFor(query.fromMs, query.toMs, query.timezone).length,
    streams: query.streams.map(s => s.kind),
    groupBy: Object.fromEntries(query.streams.map(s => [s.kind, planFor(query, s).groupBy])),
    filters: applyFilters ? Object.fromEntries(query.filters) : 'ignored (FILTERS=ignore)',
  }
}

export function explainSummary(query: SummaryQuery, nowMs: number): Explanation {
  return {
    now: formatUtc(nowMs),
    window: { startTime: formatUtc(query.startDay), endTime: formatUtc(query.endDay) },
    timezone: 'UTC',
    buckets: Math.round((query.endDay - query.startDay) / 86_400_000),
    streams: allStreams().map(s => s.kind),
    groupBy: Object.fromEntries(allStreams().map(s => [s.kind, s.summary.groupBy])),
  }
}

export function explainFilterOptions(query: UsageQuery, nowMs: number): Explanation {
  return {
    now: formatUtc(nowMs),
    window: { startTime: formatUtc(query.fromMs), endTime: formatUtc(query.toMs) },
    streams: query.streams.map(s => s.kind),
  }
}

/** Rows of an answer: rows of every stream, line items, or listed filter values. */
export function rowsOf(body: unknown): number {
  if (Array.isArray(body)) return body.length
  if (typeof body !== 'object' || body === null) return 0
  if ('lineItems' in body) return (body as { lineItems: unknown[] }).lineItems.length
  return Object.values(body).reduce<number>((n, v) => n + rowsOf(v), 0)
}

/** A header value carries only visible ASCII: anything else is written as a JSON \u escape. */
export function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function explainCosts(query: CostsQuery, nowMs: number): Explanation {
  return {
    now: formatUtc(nowMs),
    window: { startTime: formatUtc(query.fromMs), endTime: formatUtc(query.toMs) },
    timezone: 'UTC',
    streams: ['serverless'],
    scope: query.scope,
    groupBy: query.groupBy,
    filters: query.filter,
    page: { offset: query.offset, pageSize: query.pageSize },
  }
}
