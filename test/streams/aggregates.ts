// Hand-built aggregates for the streams' row() and summary tests: an Aggregate is plain data
// (server/usage/aggregate.ts), so a test can give one exactly the sums and latest record it needs.
import type { UsageRecord } from '../../server/model/records.js'
import type { StreamSpec, Aggregate, StreamPlan } from '../../server/model/stream.js'

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

export function planOf<R extends UsageRecord>(spec: StreamSpec<R>, groupBy: string[]): StreamPlan<R> {
  return { spec, groupBy, filters: [] }
}
