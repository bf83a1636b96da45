// GET .../accountUsageFilterOptions [contract 3]: the distinct values of every dimension seen in
// the window, per selected stream, sorted. "" stands for records without an annotation, and
// filters on "" select them, so every listed value is a filter that matches.

import type { RecordOfStream, Stream } from '../data/records.js'
import { recordsIn } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import { accessor, DIMENSIONS } from './dimensions.js'
import type { UsageQuery } from './query.js'

export type FilterOptionsBody = Record<Stream, Record<string, string[]>>

export function computeFilterOptions(account: WorldAccount, query: UsageQuery, nowMs: number): FilterOptionsBody {
  function optionsOf<S extends Stream>(stream: S): Record<string, string[]> {
    if (!query.streams.includes(stream)) return {}
    const records: RecordOfStream[S][] = recordsIn(account, stream, query.fromMs, query.toMs, nowMs)
    return Object.fromEntries(
      DIMENSIONS[stream].map(d => {
        const get = accessor(stream, d)
        return [d, [...new Set(records.map(get))].sort()]
      }),
    )
  }
  return { serverless: optionsOf('serverless'), dedicated: optionsOf('dedicated'), training: optionsOf('training') }
}
