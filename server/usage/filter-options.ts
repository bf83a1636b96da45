// GET .../accountUsageFilterOptions [contract 3]: the distinct values of every dimension seen in
// the window, per selected stream, sorted. "" stands for records without an annotation, and
// filters on "" select them, so every listed value is a filter that matches.

import type { RecordOfStream, Stream } from '../data/records.js'
import { visitRecords } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import { accessor, DIMENSIONS } from './dimensions.js'
import type { UsageQuery } from './query.js'

export type FilterOptionsBody = Record<Stream, Record<string, string[]>>

export function computeFilterOptions(account: WorldAccount, query: UsageQuery, nowMs: number): FilterOptionsBody {
  function optionsOf<S extends Stream>(stream: S): Record<string, string[]> {
    if (!query.streams.includes(stream)) return {}
    const getters = DIMENSIONS[stream].map(d => accessor(stream, d))
    const seen = getters.map(() => new Set<string>())
    // Dimension values are constant within a series: its first record is enough.
    let template: RecordOfStream[S]
    let counted = false
    visitRecords(account, stream, query.fromMs, query.toMs, nowMs, {
      begin(t) {
        template = t
        counted = false
        return true
      },
      add() {
        if (counted) return
        counted = true
        getters.forEach((get, i) => seen[i]!.add(get(template)))
      },
    })
    return Object.fromEntries(DIMENSIONS[stream].map((d, i) => [d, [...seen[i]!].sort()]))
  }
  return { serverless: optionsOf('serverless'), dedicated: optionsOf('dedicated'), training: optionsOf('training') }
}
