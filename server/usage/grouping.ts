// How a plan sees a series of records: filtered out, or its group (the plan's groupBy values)
// and split (serverless: the usage type). One rule for every path of the engine: records one by
// one, a plan's hourly sums, and the sums per series (hourly-sums.ts).

import type { StreamPlan, StreamSpec } from '../model/stream.js'
import type { UsageRecord } from '../model/records.js'

export interface Grouping {
  group: string[]
  split: string
}

/** The plan's test and grouping of a record: undefined when its filters leave it out [contract 1.4]. */
export function groupingOf<R extends UsageRecord>(plan: StreamPlan<R>): (record: R) => Grouping | undefined {
  const { spec } = plan
  const groupBy = plan.groupBy.map(d => dimensionOf(spec, d))
  const filters = plan.filters.map(([d, values]) => [dimensionOf(spec, d), values] as const)
  const split = spec.split?.bind(spec)
  return r =>
    filters.every(([get, values]) => values.has(get(r)))
      ? { group: groupBy.map(get => get(r)), split: split ? split(r) : '' }
      : undefined
}

/** The function that reads a dimension's value off a record of the stream. */
function dimensionOf<R extends UsageRecord>(spec: StreamSpec<R>, dimension: string): (r: R) => string {
  const f = Object.hasOwn(spec.dimensions, dimension) ? spec.dimensions[dimension] : undefined
  if (!f) throw new Error(`dimension ${dimension} does not apply to ${spec.kind}`)
  return f
}
