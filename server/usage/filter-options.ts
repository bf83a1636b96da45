// GET .../accountUsageFilterOptions [contract 3]: the distinct values of every dimension seen in
// the window, per selected stream, sorted. "" stands for records without an annotation, and
// filters on "" select them, so every listed value is a filter that matches. Computed by the
// engine: the window as one bucket, grouped by every dimension of the stream.

import type { WorldAccount } from '../data/world.js'
import { allStreams } from '../streams/registry.js'
import type { StreamSpec } from '../model/stream.js'
import { formatUtcSeconds } from '../time.js'
import { aggregateUsage, type EngineOptions } from './aggregate.js'
import { planOf } from './plan.js'
import type { UsageQuery } from './query.js'

/** `{ serverless: {<dimension>: [values]}, dedicated: {...}, training: {...} }` [ours]. */
export type FilterOptionsBody = Record<string, Record<string, string[]>>

function optionsOf(
  account: WorldAccount,
  spec: StreamSpec,
  query: UsageQuery,
  nowMs: number,
  engine: EngineOptions,
): Record<string, string[]> {
  const dimensions = Object.keys(spec.dimensions)
  const window = { fromMs: query.fromMs, toMs: query.toMs, nowMs }
  const whole = {
    startMs: query.fromMs,
    endMs: query.toMs,
    startTime: formatUtcSeconds(query.fromMs),
    endTime: formatUtcSeconds(query.toMs),
  }
  const seen = dimensions.map(() => new Set<string>())
  for (const agg of aggregateUsage(account, planOf(spec, dimensions), window, [whole], engine))
    agg.group.forEach((value, i) => seen[i]!.add(value))
  return Object.fromEntries(dimensions.map((d, i) => [d, [...seen[i]!].sort()]))
}

export function computeFilterOptions(
  account: WorldAccount,
  query: UsageQuery,
  nowMs: number,
  engine: EngineOptions = {},
): FilterOptionsBody {
  // [ours] a stream the usage type does not select is {}
  return Object.fromEntries(
    allStreams().map(spec => [
      spec.kind,
      query.streams.includes(spec) ? optionsOf(account, spec, query, nowMs, engine) : {},
    ]),
  )
}
