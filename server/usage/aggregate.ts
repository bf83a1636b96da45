// select -> bucket -> filter -> group -> sum -> sort, for one stream [contract 1.4, 1.5].

import type { RecordOfStream, Stream } from '../data/records.js'
import { bucketIndex, type Bucket } from './buckets.js'
import { accessor } from './dimensions.js'
import type { StreamPlan } from './query.js'

/** The quantities each stream sums, in a fixed order. Audio seconds are summed in microseconds
 *  so that adding decimals does not drift (0.1 + 0.2 stays 0.3). */
export const MEASURES: { [S in Stream]: readonly ((r: RecordOfStream[S]) => number)[] } = {
  serverless: [
    r => r.promptTokens,
    r => r.cachedPromptTokens,
    r => r.completionTokens,
    r => Math.round(r.audioInputSeconds * 1e6),
    r => r.costNanoUsd,
  ],
  dedicated: [r => r.acceleratorSeconds],
  training: [r => r.tokens, r => r.acceleratorSeconds],
}

export interface Aggregate<S extends Stream> {
  bucket: Bucket
  bucketIndex: number
  /** The grouping values, in the plan's groupBy order. */
  group: string[]
  /** Serverless rows are also split by usage type, since a row carries one [contract 1.6]. */
  usageType: string
  sums: number[]
  /** The latest record of the group (a later input wins a tie): the source of attributes such as
   *  a deployment's placement, which are not grouping dimensions themselves [ours]. */
  latest: RecordOfStream[S]
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

/** `records` must already lie within the buckets' window. */
export function aggregateUsage<S extends Stream>(
  stream: S,
  records: readonly RecordOfStream[S][],
  plan: StreamPlan,
  buckets: readonly Bucket[],
): Aggregate<S>[] {
  const groupBy = plan.groupBy.map(d => accessor(stream, d))
  const filters = plan.filters.map(([d, values]) => [accessor(stream, d), values] as const)
  const measures = MEASURES[stream]
  const splitByUsageType = stream === 'serverless'
  const groups = new Map<string, Aggregate<S>>()
  for (const r of records) {
    if (!filters.every(([get, values]) => values.has(get(r)))) continue
    const bi = bucketIndex(buckets, r.time)
    const group = groupBy.map(get => get(r))
    const usageType = splitByUsageType ? r.usageType : ''
    const key = `${bi}\u0000${usageType}\u0000${group.join('\u0000')}`
    let agg = groups.get(key)
    if (!agg) {
      agg = { bucket: buckets[bi] as Bucket, bucketIndex: bi, group, usageType, sums: measures.map(() => 0), latest: r }
      groups.set(key, agg)
    }
    const sums = agg.sums
    for (let i = 0; i < measures.length; i++) sums[i] = (sums[i] as number) + (measures[i] as (r: RecordOfStream[S]) => number)(r)
    if (r.time >= agg.latest.time) agg.latest = r
  }
  return [...groups.values()].sort(compareAggregates)
}
