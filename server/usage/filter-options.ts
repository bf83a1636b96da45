// GET .../accountUsageFilterOptions [contract 3]: the distinct values of every dimension seen in
// the window, per selected stream, sorted. "" stands for records without an annotation, and
// filters on "" select them, so every listed value is a filter that matches.

import type { UsageRecord } from '../data/records.js'
import { visitRecords } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import { allStreams } from '../streams/registry.js'
import type { StreamSpec } from '../streams/stream.js'
import type { ComputeStats } from './explain.js'
import type { UsageQuery } from './query.js'

/** `{ serverless: {<dimension>: [values]}, dedicated: {...}, training: {...} }` [ours]. */
export type FilterOptionsBody = Record<string, Record<string, string[]>>

function optionsOf(
  account: WorldAccount,
  spec: StreamSpec,
  query: UsageQuery,
  nowMs: number,
  stats?: ComputeStats,
): Record<string, string[]> {
  const dimensions = Object.entries(spec.dimensions)
  const seen = dimensions.map(() => new Set<string>())
  // Dimension values are constant within a series: its first record is enough.
  let template: UsageRecord
  let counted = false
  visitRecords(
    account,
    spec,
    { fromMs: query.fromMs, toMs: query.toMs, nowMs },
    {
      begin(t) {
        template = t
        counted = false
        return true
      },
      add() {
        if (stats) stats.records++
        if (counted) return
        counted = true
        dimensions.forEach(([, get], i) => seen[i]!.add(get(template)))
      },
    },
  )
  return Object.fromEntries(dimensions.map(([d], i) => [d, [...seen[i]!].sort()]))
}

export function computeFilterOptions(
  account: WorldAccount,
  query: UsageQuery,
  nowMs: number,
  stats?: ComputeStats,
): FilterOptionsBody {
  // [ours] a stream the usage type does not select is {}
  return Object.fromEntries(
    allStreams().map(spec => [
      spec.kind,
      query.streams.includes(spec) ? optionsOf(account, spec, query, nowMs, stats) : {},
    ]),
  )
}
