// Hand-built aggregates for the streams' row() and summary tests: an Aggregate is plain data
// (server/usage/aggregate.ts), so a test can give one exactly the sums and latest record it needs.
import type { UsageRecord } from '../../server/model/records.js'
import type { StreamSpec, Aggregate, JsonRow, StreamPlan } from '../../server/model/stream.js'
import { JsonBytes } from '../../server/json/json-bytes.js'
import { rowWriter } from '../../server/json/row-writer.js'

/** The day 2026-05-28 UTC, as a bucket. */
export const DAY = {
  startMs: Date.parse('2026-05-28T00:00:00Z'),
  endMs: Date.parse('2026-05-29T00:00:00Z'),
  startTime: '2026-05-28T00:00:00Z',
  endTime: '2026-05-29T00:00:00Z',
}

export function aggregateOf<R extends UsageRecord>(fields: {
  group: string[]
  sums: number[]
  latest: R
  split?: string
}): Aggregate<R> {
  return {
    bucket: DAY,
    bucketIndex: 0,
    split: '',
    records: 1,
    latestTime: fields.latest.time,
    ...fields,
  }
}

export { planOf } from '../../server/usage/plan.js'

/** What the writer wrote, as text; the writer is empty again (and not given back to the pool: it may write on). */
export function textOf(out: JsonBytes): string {
  const text = out.lend().body.toString('utf8')
  out.reset()
  return text
}

/** One row as an object: what the answer holds, parsed back. */
export function rowOf<R extends UsageRecord>(
  spec: StreamSpec<R>,
  aggregate: Aggregate<R>,
  plan: StreamPlan<R>,
): JsonRow {
  const out = new JsonBytes(256)
  rowWriter(spec, plan)(out, aggregate)
  return JSON.parse(textOf(out)) as JsonRow
}
