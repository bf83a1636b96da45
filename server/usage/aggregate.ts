// The one aggregation engine, for every stream and both billingUsage and the billing summary:
// select -> bucket -> filter -> group -> sum -> sort [contract 1.4, 1.5]. Records arrive series
// by series (source.visitRecords): filters and the group are decided once per series, so the
// per-record work is a bucket lookup and a few additions.

import { settledHours, type Lag } from '../data/lag.js'
import type { UsageRecord } from '../model/records.js'
import { arrivingRange, syntheticHours, visitExplicit, visitRecords, type RecordWindow } from '../data/source.js'
import type { SyntheticAccount } from '../data/synthetic/plan.js'
import type { WorldAccount } from '../data/world.js'
import type { Aggregate, SeriesVisitor, StreamPlan, Window } from '../model/stream.js'
import { HOUR_MS } from '../time.js'
import { bucketIndex } from './buckets.js'
import type { Bucket } from '../model/bucket.js'
import { groupingOf } from './grouping.js'
import { BLOCK_HOURS, groupKey, type HourlySums, type PlanBlock, type SeriesBlock } from './hourly-sums.js'

/**
 * What a computation may use and report: the shared hourly sums, a count for x-mock-explain, and
 * the session's usage lag (data/lag.ts; undefined: none).
 */
export interface EngineOptions {
  sums?: HourlySums
  stats?: { records: number }
  lag?: Lag | undefined
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** [ours] by bucket, then the group values in groupBy order (as strings), then the split. */
export function compareAggregates(a: Aggregate, b: Aggregate): number {
  if (a.bucketIndex !== b.bucketIndex) return a.bucketIndex - b.bucketIndex
  return compareGroups(a, b)
}

function compareGroups(
  a: { group: readonly string[]; split: string },
  b: { group: readonly string[]; split: string },
): number {
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

/** Where sums go: one slot per group and bucket, created on the first record. */
class Accumulator<R extends UsageRecord> {
  readonly groups = new Map<string, GroupSlots<R>>()
  /**
   * Zeros, copied for each aggregate's sums. Filled with a fraction first, so that V8 holds the
   * array (and its copies) as doubles from the start: sums outgrow small integers at once, and an
   * array changing representation then was most of the time spent adding.
   */
  private readonly zeros: number[]

  constructor(
    private readonly buckets: readonly Bucket[],
    width: number,
  ) {
    this.zeros = new Array<number>(width).fill(0.5).fill(0)
  }

  groupOf(group: string[], split: string, key = groupKey(group, split)): GroupSlots<R> {
    let slots = this.groups.get(key)
    if (!slots) {
      slots = { group, split, slots: new Array<Aggregate<R> | undefined>(this.buckets.length) }
      this.groups.set(key, slots)
    }
    return slots
  }

  slot(g: GroupSlots<R>, bi: number, template: R, time: number): Aggregate<R> {
    let agg = g.slots[bi]
    if (!agg) {
      agg = {
        bucket: this.buckets[bi] as Bucket,
        bucketIndex: bi,
        group: g.group,
        split: g.split,
        sums: this.zeros.slice(),
        records: 0,
        latest: template,
        latestTime: time,
      }
      g.slots[bi] = agg
    }
    return agg
  }

  /** In compareAggregates' order: the groups are sorted once, then walked bucket by bucket. */
  sorted(): Aggregate<R>[] {
    const groups = [...this.groups.values()].sort(compareGroups)
    const out: Aggregate<R>[] = []
    for (let bi = 0; bi < this.buckets.length; bi++)
      for (const g of groups) {
        const agg = g.slots[bi]
        if (agg) out.push(agg)
      }
    return out
  }
}

/** Latest wins; a later input wins a tie [ours]. */
function noteLatest<R extends UsageRecord>(agg: Aggregate<R>, template: R, time: number): void {
  if (time >= agg.latestTime) {
    agg.latestTime = time
    agg.latest = template
  }
}

/**
 * The aggregates of one stream's plan over the buckets of a window, sorted. With `sums`, the
 * synthetic records come from its hourly sums (summed once per block and grouping, for every
 * question after); without, every record is generated for this question. The answers are the
 * same, to the byte.
 */
export function aggregateUsage<R extends UsageRecord>(
  account: WorldAccount,
  plan: StreamPlan<R>,
  window: Window,
  buckets: readonly Bucket[],
  engine: EngineOptions = {},
): Aggregate<R>[] {
  const { spec } = plan
  const { sums, stats } = engine
  const acc = new Accumulator<R>(buckets, spec.quantities.length)
  const records: RecordWindow = engine.lag ? { ...window, lag: engine.lag } : window
  if (sums && account.synthetic) {
    addSyntheticSums(acc, account.synthetic, plan, records, buckets, sums)
    if (records.lag) addArrivingHours(acc, account.synthetic, plan, records, records.lag, buckets, sums)
    visitExplicit(account, spec, records, recordVisitor(acc, plan, buckets))
  } else visitRecords(account, spec, records, recordVisitor(acc, plan, buckets))
  const out = acc.sorted()
  if (stats) for (const agg of out) stats.records += agg.records
  return out
}

/** Adds records one by one, series by series: explicit records, or every record without sums. */
function recordVisitor<R extends UsageRecord>(
  acc: Accumulator<R>,
  plan: StreamPlan<R>,
  buckets: readonly Bucket[],
): SeriesVisitor<R> {
  const grouping = groupingOf(plan)
  const width = plan.spec.quantities.length
  let current: GroupSlots<R> | undefined
  let template: R
  // Buckets only move forward within a series, so the search starts where the last one ended.
  let lastBucket = 0
  return {
    begin(t) {
      const g = grouping(t)
      if (!g) return false
      current = acc.groupOf(g.group, g.split)
      template = t
      lastBucket = 0
      return true
    },
    add(time, m) {
      let bi = lastBucket
      const next = buckets[bi + 1]
      if (time < (buckets[bi] as Bucket).startMs || (next && time >= next.startMs)) bi = bucketIndex(buckets, time)
      lastBucket = bi
      const agg = acc.slot(current as GroupSlots<R>, bi, template, time)
      const aggSums = agg.sums
      for (let i = 0; i < width; i++) aggSums[i] = (aggSums[i] as number) + (m[i] as number)
      agg.records++
      noteLatest(agg, template, time)
    },
  }
}

/**
 * Adds the synthetic records of the window from the plan's hourly sums, block by block; with a
 * lag, the blocks end at the first hour not settled, and the hours still arriving follow.
 */
function addSyntheticSums<R extends UsageRecord>(
  acc: Accumulator<R>,
  synthetic: SyntheticAccount,
  plan: StreamPlan<R>,
  window: RecordWindow,
  buckets: readonly Bucket[],
  sums: HourlySums,
): void {
  const { fromHour } = syntheticHours(window)
  // The hours that have ended (without a lag), or settled (with one).
  const toHour = arrivingRange(window).fromHour
  if (fromHour >= toHour) return
  const width = plan.spec.quantities.length
  // A block's hours up to the same bound for every window, so that all windows share it.
  const untilHour = window.lag ? settledHours(window.lag, window.nowMs) : Math.floor(window.nowMs / HOUR_MS)
  // A record at hour h is in a bucket when startMs <= h x 1 h < endMs.
  const bucketHours = buckets.map(b => [Math.ceil(b.startMs / HOUR_MS), Math.ceil(b.endMs / HOUR_MS)] as const)
  const firstBlock = Math.floor(fromHour / BLOCK_HOURS) * BLOCK_HOURS
  const grouping = groupingOf(plan)
  // A series' group, decided once per question (a series' template is the same in every block).
  const seriesSlots = new Map<R, GroupSlots<R> | undefined>()
  const slotsOf = (t: R) => {
    if (seriesSlots.has(t)) return seriesSlots.get(t)
    const g = grouping(t)
    const slots = g && acc.groupOf(g.group, g.split)
    seriesSlots.set(t, slots)
    return slots
  }
  const reach: number[] = []
  const parts: number[] = []
  for (let blockStart = firstBlock; blockStart < toHour; blockStart += BLOCK_HOURS) {
    const from = Math.max(fromHour, blockStart)
    const to = Math.min(toHour, blockStart + BLOCK_HOURS)
    // The buckets this block reaches, each with its hours in the block: bucket, i, j (hours i to j - 1).
    reach.length = 0
    parts.length = 0
    for (let bi = 0; bi < bucketHours.length; bi++) {
      const [h0, h1] = bucketHours[bi] as readonly [number, number]
      const i = Math.max(h0, from) - blockStart
      const j = Math.min(h1, to) - blockStart
      if (i < j) {
        reach.push(bi, i, j)
        parts.push(i, j)
      }
    }
    // The plan's own block if kept; else the block's sums per series if another plan summed
    // them for these buckets (or has read these hours in them before); else the plan's block.
    const kept = sums.keptBlock(synthetic, plan, blockStart, untilHour)
    const series = kept ? undefined : sums.seriesBlock(synthetic, plan, blockStart, untilHour, parts)
    if (series) addSeriesBlock(acc, series, reach, blockStart, width, slotsOf)
    else addPlanBlock(acc, kept ?? sums.block(synthetic, plan, blockStart, untilHour), reach, blockStart, width)
  }
}

/** Adds a plan's block over the buckets it reaches (reach: bucket, i, j triples). */
function addPlanBlock<R extends UsageRecord>(
  acc: Accumulator<R>,
  block: PlanBlock<R>,
  reach: readonly number[],
  blockStart: number,
  width: number,
): void {
  // Bucket by bucket, then group by group: the groups' sums at an hour are adjacent in memory
  // (the layout is PlanBlock's, hourly-sums.ts: [(hour x groups + group) x stride + q]).
  const { groups, cumulative: c, stride, lastHour, latest } = block
  const slots = groups.map(g => acc.groupOf(g.group, g.split, g.key))
  const row = groups.length * stride
  for (let r = 0; r < reach.length; r += 3) {
    const bi = reach[r] as number
    const last = (reach[r + 2] as number) - 1
    const from = (reach[r + 1] as number) * row
    const to = (last + 1) * row
    for (let gi = 0; gi < groups.length; gi++) {
      const i = from + gi * stride
      const j = to + gi * stride
      const records = (c[j + width] as number) - (c[i + width] as number)
      if (records === 0) continue
      const at = last * groups.length + gi
      const template = latest[at] as R
      const time = (blockStart + (lastHour[at] as number)) * HOUR_MS
      const agg = acc.slot(slots[gi] as GroupSlots<R>, bi, template, time)
      const aggSums = agg.sums
      for (let q = 0; q < width; q++)
        aggSums[q] = (aggSums[q] as number) + ((c[j + q] as number) - (c[i + q] as number))
      agg.records += records
      noteLatest(agg, template, time)
    }
  }
}

/**
 * Adds a block's sums per series over the buckets it reaches, each series into its group: in
 * the series' order, so that of two series with a record in the same last hour the later one
 * is the latest, as in a plan's block.
 */
function addSeriesBlock<R extends UsageRecord>(
  acc: Accumulator<R>,
  block: SeriesBlock<R>,
  reach: readonly number[],
  blockStart: number,
  width: number,
  slotsOf: (template: R) => GroupSlots<R> | undefined,
): void {
  const { templates, parts, stride, sums: c, lastHour } = block
  for (let s = 0; s < templates.length; s++) {
    const template = templates[s] as R
    const slots = slotsOf(template)
    if (!slots) continue
    for (let k = 0; k < parts; k++) {
      const at = (s * parts + k) * stride
      const records = c[at + width] as number
      if (records === 0) continue
      const bi = reach[3 * k] as number
      const time = (blockStart + (lastHour[s * parts + k] as number)) * HOUR_MS
      const agg = acc.slot(slots, bi, template, time)
      const aggSums = agg.sums
      for (let q = 0; q < width; q++) aggSums[q] = (aggSums[q] as number) + (c[at + q] as number)
      agg.records += records
      noteLatest(agg, template, time)
    }
  }
}

/**
 * Adds the hours still arriving at now (at most (settle - delay) / 1 h + 1 of them), each summed
 * as it is at now, per group (hourly-sums.ts: ArrivingHour).
 */
function addArrivingHours<R extends UsageRecord>(
  acc: Accumulator<R>,
  synthetic: SyntheticAccount,
  plan: StreamPlan<R>,
  window: RecordWindow,
  lag: Lag,
  buckets: readonly Bucket[],
  sums: HourlySums,
): void {
  const width = plan.spec.quantities.length
  const arriving = arrivingRange(window)
  for (let h = arriving.fromHour; h < arriving.toHour; h++) {
    const hour = sums.arriving(synthetic, plan, h, lag, window.nowMs)
    const time = h * HOUR_MS
    const bi = bucketIndex(buckets, time)
    const { sums: c, stride } = hour
    hour.groups.forEach((g, gi) => {
      const records = c[gi * stride + width] as number
      if (records === 0) return
      const template = hour.latest[gi] as R
      const agg = acc.slot(acc.groupOf(g.group, g.split, g.key), bi, template, time)
      const aggSums = agg.sums
      for (let q = 0; q < width; q++) aggSums[q] = (aggSums[q] as number) + (c[gi * stride + q] as number)
      agg.records += records
      noteLatest(agg, template, time)
    })
  }
}
