// The billingUsage answer: for each selected stream, records of the window -> aggregates -> rows.

import type { WorldAccount } from '../data/world.js'
import { allStreams } from '../streams/registry.js'
import type { JsonRow } from '../streams/stream.js'
import { aggregateUsage } from './aggregate.js'
import { bucketsFor } from './buckets.js'
import type { ComputeStats } from './explain.js'
import { planFor, type UsageQuery } from './query.js'

/** `{ serverlessCosts, dedicatedCosts, trainingCosts }`: one array per stream, in stream order. */
export type BillingUsageBody = Record<string, JsonRow[]>

export function computeBillingUsage(
  account: WorldAccount,
  query: UsageQuery,
  nowMs: number,
  stats?: ComputeStats,
): BillingUsageBody {
  const buckets = bucketsFor(query.fromMs, query.toMs, query.timezone)
  const window = { fromMs: query.fromMs, toMs: query.toMs, nowMs }
  const body: BillingUsageBody = {}
  for (const spec of allStreams()) {
    // [ours] a stream the usage type does not select is present and empty
    if (!query.streams.includes(spec)) {
      body[spec.rowsField] = []
      continue
    }
    const plan = planFor(query, spec)
    body[spec.rowsField] = aggregateUsage(account, plan, window, buckets, stats).map(a => spec.row(a, plan))
  }
  return body
}
