// The engine's plan of one stream for a question: what it groups by and filters on. One function
// makes every plan (planOf), and one identity names it (its `key`): the key of the plan's hourly
// sums (hourly-sums.ts), of the row writer's kept pieces of a group (json/row-writer.ts), and the
// canonical part of an answer's key in the answer cache. A parameter that changes aggregation is
// part of the plan, so it cannot be left out of one of them.

import type { UsageRecord } from '../model/records.js'
import type { StreamPlan, StreamSpec } from '../model/stream.js'
import type { UsageQuery } from './query.js'

/**
 * Plans by identity: a question's plan is the same object as the last question's with the same
 * key, so what is remembered per plan object (its grouping functions, its row writer's pieces)
 * is reused. A bounded table, since plans come from clients.
 */
const INTERNED_LIMIT = 4096
const interned = new Map<string, StreamPlan<never>>()

/**
 * The plan of `spec` grouping by `groupBy` (in that order: it orders the rows and the group
 * object) and keeping the records whose value of each filtered dimension is one of its values
 * (values ORed, dimensions ANDed [contract 1.4]). The identity sorts each filter's values and
 * the filters, which do not change the answer in another order.
 */
export function planOf<R extends UsageRecord>(
  spec: StreamSpec<R>,
  groupBy: readonly string[],
  filters: Iterable<readonly [dimension: string, values: Iterable<string>]> = [],
): StreamPlan<R> {
  const sets = [...filters].map(([d, values]) => [d, new Set(values)] as const)
  const filterKey = sets
    .map(([d, values]) => `${d}=${[...values].sort().join('\u0001')}`)
    .sort()
    .join('\u0002')
  const key = `${spec.kind}|${groupBy.join(',')}|${filterKey}`
  const known = interned.get(key) as StreamPlan<R> | undefined
  // Two streams never share a kind, so a plan of the same key is of the same description object
  // unless a stream was registered anew under that kind (tests): then it is made again.
  if (known?.spec === spec) return known
  const plan: StreamPlan<R> = Object.freeze({
    spec,
    groupBy: Object.freeze([...groupBy]),
    filters: Object.freeze(sets),
    key,
  })
  if (interned.size >= INTERNED_LIMIT) interned.clear()
  interned.set(key, plan as StreamPlan<never>)
  return plan
}

const appliesTo = (spec: StreamSpec, dimension: string) => Object.hasOwn(spec.dimensions, dimension)

/** What one stream does with a billingUsage query: its grouping and filters, other streams' dimensions dropped. */
export function planFor<R extends UsageRecord>(query: UsageQuery, spec: StreamSpec<R>): StreamPlan<R> {
  // [real] dimensions of other streams are ignored; [ours] defaults only when groupBy is empty.
  const groupBy = query.groupBy.length === 0 ? spec.defaultGroupBy : query.groupBy.filter(d => appliesTo(spec, d))
  return planOf(
    spec,
    groupBy,
    [...query.filters].filter(([d]) => appliesTo(spec, d)),
  )
}
