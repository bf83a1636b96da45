// The billingUsage answer: for each selected stream, records of the window -> aggregates -> rows
// -> JSON bytes. The rows are written straight into bytes (json/json-bytes.ts), the same bytes
// JSON.stringify of the row objects would give once encoded, in one pass instead of three.

import type { WorldAccount } from '../data/world.js'
import { allStreams } from '../streams/registry.js'
import { rowWriter } from '../json/row-writer.js'
import { aggregateUsage, type EngineOptions } from './aggregate.js'
import { bucketsFor } from './buckets.js'
import { CHAR, JsonBytes } from '../json/json-bytes.js'
import { planFor } from './plan.js'
import type { UsageQuery } from './query.js'

/**
 * An answer as the server sends it: JSON in UTF-8, and how many rows it holds (for
 * x-mock-explain). With `release`, the body is lent (json/json-bytes.ts): valid until released.
 */
export interface JsonAnswer {
  body: Buffer
  rows: number
  release?: () => void
}

export function billingUsageJson(
  account: WorldAccount,
  query: UsageQuery,
  nowMs: number,
  engine: EngineOptions = {},
): JsonAnswer {
  const buckets = bucketsFor(query.fromMs, query.toMs, query.timezone)
  const window = { fromMs: query.fromMs, toMs: query.toMs, nowMs }
  let rows = 0
  const out = JsonBytes.borrow()
  out.text('{')
  allStreams().forEach((spec, i) => {
    out.text(`${i > 0 ? ',' : ''}${JSON.stringify(spec.rowsField)}:[`)
    // [ours] a stream the usage type does not select is present and empty
    if (query.streams.includes(spec)) {
      const plan = planFor(query, spec)
      const aggregates = aggregateUsage(account, plan, window, buckets, engine)
      const writeRow = rowWriter(spec, plan)
      aggregates.forEach((aggregate, r) => {
        if (r > 0) out.byte(CHAR.comma)
        writeRow(out, aggregate)
      })
      rows += aggregates.length
    }
    out.text(']')
  })
  out.text('}')
  return { ...out.lend(), rows }
}
