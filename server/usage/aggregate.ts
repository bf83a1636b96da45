// select -> bucket -> filter -> group -> sum -> sort, for one stream [contract 1.4, 1.5].
// Records arrive series by series (source.visitRecords): filters and the group are decided
// once per series, so the per-record work is a bucket lookup and a few additions.

import type { RecordOfStream, Stream } from '../data/records.js'
import { visitRecords } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import { bucketIndex, type Bucket } from './buckets.js'
import { accessor } from './dimensions.js'
import type { StreamPlan } from './query.js'

/** How many quantities each stream sums (see measuresOf). */
const MEASURE_COUNT: Record<Stream, number> = { serverless: 5, dedicated: 1, training: 2 }

export interface Aggregate<S extends Stream> {
  bucket: Bucket
  bucketIndex: number
  /** The grouping values, in the plan's groupBy order. */
  group: string[]
  /** Serverless rows are also split by usage type, since a row carries one [contract 1.6]. */
  usageType: string
  /** In measuresOf order. */
  sums: number[]
  /** The latest record of the group (a later input wins a tie): the source of attributes such as
   *  a deployment's placement, which are not grouping dimensions themselves [ours]. */
  latest: RecordOfStream[S]
  latestTime: number
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function compareAggregates<S extends Stream>(a: Aggregate<S>, b: Aggregate<S>): number {
  if (a.bucketIndex !== b.bucketIndex) return a.bucketIndex - b.bucketIndex
  for (let i = 0; i < a.group.length; i++) {
    const c = compareStrings(a.group[i] as string, b.group[i] as string)
    if (c !== 0) return c
  }
  return compareStrings(a.usageType, b.usageType)
}

/** The aggregates of one group, one slot per bucket. */
interface GroupSlots<S extends Stream> {
  group: string[]
  usageType: string
  slots: (Aggregate<S> | undefined)[]
}

export function aggregateUsage<S extends Stream>(
  account: WorldAccount,
  stream: S,
  window: { fromMs: number; toMs: number; nowMs: number },
  plan: StreamPlan,
  buckets: readonly Bucket[],
): Aggregate<S>[] {
  const groupBy = plan.groupBy.map(d => accessor(stream, d))
  const filters = plan.filters.map(([d, values]) => [accessor(stream, d), values] as const)
  const count = MEASURE_COUNT[stream]
  const groups = new Map<string, GroupSlots<S>>()
  let current: GroupSlots<S> | undefined
  let template: RecordOfStream[S]
  // Buckets only move forward within a series, so the search starts where the last one ended.
  let lastBucket = 0

  visitRecords(account, stream, window.fromMs, window.toMs, window.nowMs, {
    begin(t) {
      if (!filters.every(([get, values]) => values.has(get(t)))) return false
      const group = groupBy.map(get => get(t))
      const usageType = stream === 'serverless' ? t.usageType : ''
      const key = `${usageType}\u0000${group.join('\u0000')}`
      current = groups.get(key)
      if (!current) {
        current = { group, usageType, slots: new Array(buckets.length) }
        groups.set(key, current)
      }
      template = t
      lastBucket = 0
      return true
    },
    add(time, m) {
      let bi = lastBucket
      const next = buckets[bi + 1]
      if (time < (buckets[bi] as Bucket).startMs || (next && time >= next.startMs)) bi = bucketIndex(buckets, time)
      lastBucket = bi
      const slots = (current as GroupSlots<S>).slots
      let agg = slots[bi]
      if (!agg) {
        agg = {
          bucket: buckets[bi] as Bucket,
          bucketIndex: bi,
          group: (current as GroupSlots<S>).group,
          usageType: (current as GroupSlots<S>).usageType,
          sums: new Array(count).fill(0),
          latest: template,
          latestTime: time,
        }
        slots[bi] = agg
      }
      const sums = agg.sums
      for (let i = 0; i < count; i++) sums[i] = (sums[i] as number) + (m[i] as number)
      if (time >= agg.latestTime) {
        agg.latestTime = time
        agg.latest = template
      }
    },
  })
  const out: Aggregate<S>[] = []
  for (const g of groups.values()) for (const agg of g.slots) if (agg) out.push(agg)
  return out.sort(compareAggregates)
}
