// The one aggregation engine, for every stream and both billingUsage and the billing summary:
// select -> bucket -> filter -> group -> sum -> sort [contract 1.4, 1.5]. Records arrive series
// by series (source.visitRecords): filters and the group are decided once per series, so the
// per-record work is a bucket lookup and a few additions.

import type { UsageRecord } from '../data/records.js'
import { visitRecords } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import type { StreamSpec } from '../streams/stream.js'
import { bucketIndex, type Bucket } from './buckets.js'

/** What one stream does with a query: its grouping and filters, other streams' dimensions dropped. */
export interface StreamPlan<R extends UsageRecord = UsageRecord> {
  spec: StreamSpec<R>
  groupBy: readonly string[]
  /** Dimension -> accepted values (OR); dimensions are ANDed. */
  filters: readonly (readonly [dimension: string, values: ReadonlySet<string>])[]
}

export interface Aggregate<R extends UsageRecord = UsageRecord> {
  bucket: Bucket
  bucketIndex: number
  /** The grouping values, in the plan's groupBy order. */
  group: readonly string[]
  /** The stream's split value (serverless: the usage type), '' for a stream without one. */
  split: string
  /** In the stream's quantity order. */
  sums: number[]
  /** How many records the sums hold. */
  records: number
  /** The latest record of the group (a later input wins a tie): the source of attributes such as
   *  a deployment's placement, which are not grouping dimensions themselves [ours]. */
  latest: R
  latestTime: number
}

export interface Window {
  fromMs: number
  toMs: number
  /** Nothing exists at or after now. */
  nowMs: number
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** [ours] by bucket, then the group values in groupBy order (as strings), then the split. */
export function compareAggregates(a: Aggregate, b: Aggregate): number {
  if (a.bucketIndex !== b.bucketIndex) return a.bucketIndex - b.bucketIndex
  for (let i = 0; i < a.group.length; i++) {
    const c = compareStrings(a.group[i] as string, b.group[i] as string)
    if (c !== 0) return c
  }
  return compareStrings(a.split, b.split)
}

/** The aggregates of one group, one slot per bucket. */
interface GroupSlots<R extends UsageRecord> {
  group: string[]
  split: string
  slots: (Aggregate<R> | undefined)[]
}

export function aggregateUsage<R extends UsageRecord>(
  account: WorldAccount,
  plan: StreamPlan<R>,
  window: Window,
  buckets: readonly Bucket[],
  /** Counts the records summed, for x-mock-explain. */
  stats?: { records: number },
): Aggregate<R>[] {
  const { spec } = plan
  const groupBy = plan.groupBy.map(d => dimensionOf(spec, d))
  const filters = plan.filters.map(([d, values]) => [dimensionOf(spec, d), values] as const)
  const split = spec.split?.bind(spec)
  const count = spec.quantities.length
  const groups = new Map<string, GroupSlots<R>>()
  let current: GroupSlots<R> | undefined
  let template: R
  // Buckets only move forward within a series, so the search starts where the last one ended.
  let lastBucket = 0

  visitRecords(account, spec, window, {
    begin(t) {
      if (!filters.every(([get, values]) => values.has(get(t)))) return false
      const group = groupBy.map(get => get(t))
      const splitValue = split ? split(t) : ''
      const key = `${splitValue}\u0000${group.join('\u0000')}`
      current = groups.get(key)
      if (!current) {
        current = { group, split: splitValue, slots: new Array<Aggregate<R> | undefined>(buckets.length) }
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
      const slots = (current as GroupSlots<R>).slots
      let agg = slots[bi]
      if (!agg) {
        agg = {
          bucket: buckets[bi] as Bucket,
          bucketIndex: bi,
          group: (current as GroupSlots<R>).group,
          split: (current as GroupSlots<R>).split,
          sums: new Array<number>(count).fill(0),
          records: 0,
          latest: template,
          latestTime: time,
        }
        slots[bi] = agg
      }
      const sums = agg.sums
      for (let i = 0; i < count; i++) sums[i] = (sums[i] as number) + (m[i] as number)
      agg.records++
      if (time >= agg.latestTime) {
        agg.latestTime = time
        agg.latest = template
      }
    },
  })
  const out: Aggregate<R>[] = []
  for (const g of groups.values()) for (const agg of g.slots) if (agg) out.push(agg)
  if (stats) for (const agg of out) stats.records += agg.records
  return out.sort(compareAggregates)
}

/** The function that reads a dimension's value off a record of the stream. */
function dimensionOf<R extends UsageRecord>(spec: StreamSpec<R>, dimension: string): (r: R) => string {
  const f = Object.hasOwn(spec.dimensions, dimension) ? spec.dimensions[dimension] : undefined
  if (!f) throw new Error(`dimension ${dimension} does not apply to ${spec.kind}`)
  return f
}
