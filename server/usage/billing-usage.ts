// The billingUsage answer: for each selected stream, records of the window -> aggregates -> rows.

import type { Stream } from '../data/records.js'
import type { WorldAccount } from '../data/world.js'
import { aggregateUsage, type Aggregate } from './aggregate.js'
import { bucketsFor } from './buckets.js'
import { planFor, type StreamPlan, type UsageQuery } from './query.js'
import { dedicatedRow, serverlessRow, trainingRow, type JsonRow } from './serialize.js'

export interface BillingUsageBody {
  serverlessCosts: JsonRow[]
  dedicatedCosts: JsonRow[]
  trainingCosts: JsonRow[]
}

export function computeBillingUsage(account: WorldAccount, query: UsageQuery, nowMs: number): BillingUsageBody {
  const buckets = bucketsFor(query.fromMs, query.toMs, query.timezone)
  function rows<S extends Stream>(stream: S, toRow: (a: Aggregate<S>, plan: StreamPlan) => JsonRow): JsonRow[] {
    if (!query.streams.includes(stream)) return [] // [ours] an unselected stream is present and empty
    const plan = planFor(query, stream)
    const window = { fromMs: query.fromMs, toMs: query.toMs, nowMs }
    return aggregateUsage(account, stream, window, plan, buckets).map(a => toRow(a, plan))
  }
  return {
    serverlessCosts: rows('serverless', (a, plan) => serverlessRow(a, plan, query.groupBy)),
    dedicatedCosts: rows('dedicated', dedicatedRow),
    trainingCosts: rows('training', trainingRow),
  }
}
