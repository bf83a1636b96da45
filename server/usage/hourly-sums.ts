// Hourly sums of synthetic usage, per group of a plan, in blocks of 128 hours, kept within a byte
// budget and shared by every question, session and client. Synthetic records are a pure function
// of (seed, series, hour), so a block, once summed, never changes: a later question with the same
// grouping and filters, whatever its window, zone or clock, adds up a few prefix sums per bucket
// instead of generating every record again, and its cost follows the answer's size, not the
// history's or the number of series. Explicit fixture records are few and added per question.
// With a usage lag, an hour not yet settled enters no block (how much of it is visible depends on
// now): its records are kept one by one instead (PlanHour), and summed once per batch of arrivals
// (ArrivingHour), which every question of that minute reuses.

import { arrivalStep, seriesHash, syntheticUnits, type Lag } from '../data/lag.js'
import type { UsageRecord } from '../model/records.js'
import { visitSynthetic } from '../data/source.js'
import { visiblePart } from '../streams/stream.js'
import type { SyntheticAccount } from '../data/synthetic/plan.js'
import { hourlySumTooLarge } from '../messages.js'
import { HOUR_MS } from '../time.js'
import type { StreamPlan, StreamSpec } from '../model/stream.js'
import { groupingOf } from './grouping.js'

/** How many blocks' first readers are remembered (a few hundred bytes each). */
const READERS_LIMIT = 4096

/** Hours per block: a 31-day window touches at most 7 blocks, and builds at most 1.2x its hours. */
export const BLOCK_HOURS = 128

/** What names a group within a stream's plan: its values and its split. */
export function groupKey(group: readonly string[], split: string): string {
  return `${split}\u0000${group.join('\u0000')}`
}

/** One group of a block. */
export interface BlockGroup {
  group: string[]
  split: string
  /** groupKey(group, split), computed once. */
  key: string
  /** Its place among the block's groups, in the block's arrays. */
  index: number
}

export interface PlanBlock<R extends UsageRecord = UsageRecord> {
  /** The block's first hour (hours since the epoch). */
  startHour: number
  groups: BlockGroup[]
  /**
   * Prefix sums of each group's quantities then its record count (`stride` numbers), hour by
   * hour: [(i x groups + index) x stride + q] is the sum over the block's hours < i.
   * Hour-major across the groups: a bucket's bounds are two runs of adjacent memory for all the
   * groups at once. (One array per group made W3 read 140 groups x 7 blocks of scattered memory
   * per question, a cache miss for each; its aggregation took as long as writing its rows.)
   */
  cumulative: Float64Array
  /** The quantities and the record count: a group's numbers at one hour. */
  stride: number
  /** [i x groups + index]: the group's latest hour <= i (block-relative) holding a record, or -1. */
  lastHour: Int16Array
  /**
   * [i x groups + index]: the template of the series whose record was last at that hour (a later
   * series wins a tie), the record an aggregate's attributes come from.
   */
  latest: (R | undefined)[]
  bytes: number
}

/** Identity of a synthetic account in cache keys (accounts are built once and never change). */
const accountIds = new WeakMap<SyntheticAccount, number>()
let lastAccountId = 0
function accountId(account: SyntheticAccount): number {
  let id = accountIds.get(account)
  if (id === undefined) accountIds.set(account, (id = ++lastAccountId))
  return id
}

/**
 * One hour of a plan's synthetic records, not summed: the records of an hour still arriving,
 * each with its group, its series' template and hash (its arrival shape), and its amounts.
 */
export interface PlanHour<R extends UsageRecord = UsageRecord> {
  groups: BlockGroup[]
  /** Per record: its group's index in `groups`. */
  group: Int32Array
  templates: R[]
  /** Per record: seriesHash of its series (data/lag.ts). */
  series: Uint32Array
  /** [record x width + q]: the record's amounts, in the stream's quantity order. */
  amounts: Float64Array
  count: number
  bytes: number
}

/**
 * An hour still arriving, summed as it is between two batches of arrivals (data/lag.ts): per
 * group, what has arrived of its records, and the last of them that shows (a later series wins
 * a tie, as everywhere).
 */
export interface ArrivingHour<R extends UsageRecord = UsageRecord> {
  groups: BlockGroup[]
  /** [group x stride + q]: the group's visible quantities, then how many of its records show. */
  sums: Float64Array
  stride: number
  latest: (R | undefined)[]
  bytes: number
}

function sumArriving<R extends UsageRecord>(
  plan: StreamPlan<R>,
  hour: PlanHour<R>,
  h: number,
  lag: Lag,
  nowMs: number,
): ArrivingHour<R> {
  const { spec } = plan
  const width = spec.quantities.length
  const stride = width + 1
  const sums = new Float64Array(hour.groups.length * stride)
  const latest = new Array<R | undefined>(hour.groups.length)
  const part = new Array<number>(width).fill(0)
  for (let i = 0; i < hour.count; i++) {
    const units = syntheticUnits(lag, hour.series[i] as number, h, nowMs)
    if (units === 0) continue
    const g = hour.group[i] as number
    const template = hour.templates[i] as R
    const m = visiblePart(spec, template, hour.amounts, i * width, units, part)
    for (let q = 0; q < width; q++) sums[g * stride + q] = (sums[g * stride + q] as number) + (m[q] as number)
    sums[g * stride + width] = (sums[g * stride + width] as number) + 1
    latest[g] = template
  }
  return { groups: hour.groups, sums, stride, latest, bytes: sums.length * 8 + latest.length * 8 + 256 }
}

/** The records of one hour of a plan, one by one. */
function buildHour<R extends UsageRecord>(synthetic: SyntheticAccount, plan: StreamPlan<R>, hour: number): PlanHour<R> {
  const { spec } = plan
  const width = spec.quantities.length
  const grouping = groupingOf(plan)
  const groups = new Map<string, BlockGroup>()
  const group: number[] = []
  const templates: R[] = []
  const series: number[] = []
  const amounts: number[] = []
  let current: BlockGroup
  let template: R
  let hash = 0
  visitSynthetic(synthetic, spec, hour, hour + 1, {
    begin(t) {
      const g = grouping(t)
      if (!g) return false
      const key = groupKey(g.group, g.split)
      let entry = groups.get(key)
      if (!entry) groups.set(key, (entry = { ...g, key, index: groups.size }))
      current = entry
      template = t
      hash = seriesHash(spec, t)
      return true
    },
    add(_time, m) {
      group.push(current.index)
      templates.push(template)
      series.push(hash)
      for (let q = 0; q < width; q++) amounts.push(m[q] as number)
    },
  })
  const count = group.length
  return {
    groups: [...groups.values()],
    group: Int32Array.from(group),
    templates,
    series: Uint32Array.from(series),
    amounts: Float64Array.from(amounts),
    count,
    bytes: count * (width * 8 + 16) + groups.size * 64 + 256,
  }
}

/** Sums one block of a plan: every synthetic record of its hours below `untilHour`, grouped. */
function buildBlock<R extends UsageRecord>(
  synthetic: SyntheticAccount,
  plan: StreamPlan<R>,
  startHour: number,
  untilHour: number,
): PlanBlock<R> {
  const { spec } = plan
  const grouping = groupingOf(plan)
  const stride = spec.quantities.length + 1 // the quantities, then the record count
  const groups = new Map<string, { group: string[]; split: string; values: Float64Array; latest: (R | undefined)[] }>()
  let current: { values: Float64Array; latest: (R | undefined)[] } | undefined
  let template: R
  visitSynthetic(synthetic, spec, startHour, untilHour, {
    begin(t) {
      const g = grouping(t)
      if (!g) return false
      const key = groupKey(g.group, g.split)
      let entry = groups.get(key)
      if (!entry) {
        const values = new Float64Array(BLOCK_HOURS * stride)
        entry = { ...g, values, latest: new Array<R | undefined>(BLOCK_HOURS) }
        groups.set(key, entry)
      }
      current = entry
      template = t
      return true
    },
    add(time, m) {
      const h = time / HOUR_MS - startHour
      const { values, latest } = current as { values: Float64Array; latest: (R | undefined)[] }
      const at = h * stride
      for (let q = 0; q < stride - 1; q++) values[at + q] = (values[at + q] as number) + (m[q] as number)
      values[at + stride - 1] = (values[at + stride - 1] as number) + 1
      latest[h] = template
    },
  })
  const entries = [...groups.entries()]
  const count = entries.length
  const cumulative = new Float64Array((BLOCK_HOURS + 1) * count * stride)
  const lastHour = new Int16Array(BLOCK_HOURS * count)
  const latestAt = new Array<R | undefined>(BLOCK_HOURS * count)
  const out: BlockGroup[] = entries.map(([key, { group, split: s, values, latest }], index) => {
    for (let i = 0; i < BLOCK_HOURS; i++) {
      const from = (i * count + index) * stride
      const to = from + count * stride
      for (let q = 0; q < stride; q++)
        cumulative[to + q] = (cumulative[from + q] as number) + (values[i * stride + q] as number)
    }
    // Differences of prefix sums are exact while every prefix is: refuse rather than round.
    for (let q = 0; q < stride; q++) {
      const total = cumulative[(BLOCK_HOURS * count + index) * stride + q] as number
      if (!Number.isSafeInteger(total)) throw hourlySumTooLarge(total)
    }
    let last = -1
    for (let i = 0; i < BLOCK_HOURS; i++) {
      if ((values[i * stride + stride - 1] as number) > 0) last = i
      lastHour[i * count + index] = last
      latestAt[i * count + index] = last >= 0 ? latest[last] : undefined
    }
    return { group, split: s, key, index }
  })
  const bytes = count * (stride * (BLOCK_HOURS + 1) * 8 + BLOCK_HOURS * 10) + 256
  return { startHour, groups: out, cumulative, stride, lastHour, latest: latestAt, bytes }
}

/**
 * One block's synthetic records summed per series and per bucket part: the parts are the hours
 * of the block that each bucket of a window holds (`parts`: block-relative hour ranges, [i, j)
 * pairs). Any plan of those buckets is then a selection and an addition over the series,
 * whatever its grouping and filters: what a question never asked before costs.
 */
export interface SeriesBlock<R extends UsageRecord = UsageRecord> {
  /** The series with a record in the block, in the order they are visited (a later one wins a tie). */
  templates: R[]
  /** How many bucket parts. */
  parts: number
  /** The quantities and the record count. */
  stride: number
  /** [(series x parts + part) x stride + q]: the series' sums over the part's hours. */
  sums: Float64Array
  /** [series x parts + part]: the block-relative hour of the series' latest record in the part, or -1. */
  lastHour: Int16Array
  bytes: number
}

function buildSeriesBlock<R extends UsageRecord>(
  synthetic: SyntheticAccount,
  spec: StreamSpec<R>,
  startHour: number,
  untilHour: number,
  parts: readonly number[],
): SeriesBlock<R> {
  const count = parts.length / 2
  const stride = spec.quantities.length + 1
  // Which part each hour of the block is in (-1: none of the window's buckets).
  const partOfHour = new Int16Array(BLOCK_HOURS).fill(-1)
  for (let k = 0; k < count; k++)
    for (let h = parts[2 * k] as number; h < (parts[2 * k + 1] as number); h++) partOfHour[h] = k
  const templates: R[] = []
  const rows: Float64Array[] = []
  const lasts: Int16Array[] = []
  let values: Float64Array
  let last: Int16Array
  visitSynthetic(synthetic, spec, startHour, untilHour, {
    begin(t) {
      templates.push(t)
      rows.push((values = new Float64Array(count * stride)))
      lasts.push((last = new Int16Array(count).fill(-1)))
      return true
    },
    add(time, m) {
      const h = time / HOUR_MS - startHour
      const k = partOfHour[h] as number
      if (k < 0) return
      const at = k * stride
      for (let q = 0; q < stride - 1; q++) values[at + q] = (values[at + q] as number) + (m[q] as number)
      values[at + stride - 1] = (values[at + stride - 1] as number) + 1
      last[k] = h
    },
  })
  const sums = new Float64Array(templates.length * count * stride)
  const lastHour = new Int16Array(templates.length * count)
  rows.forEach((row, s) => sums.set(row, s * count * stride))
  lasts.forEach((l, s) => lastHour.set(l, s * count))
  for (const v of sums) if (!Number.isSafeInteger(v)) throw hourlySumTooLarge(v)
  return {
    templates,
    parts: count,
    stride,
    sums,
    lastHour,
    bytes: sums.length * 8 + lastHour.length * 2 + templates.length * 8 + 256,
  }
}

/**
 * The cache of plan blocks, least recently used out once the byte budget is spent (0 keeps
 * none: every block is summed again for each question).
 */
export class HourlySums {
  /** Blocks, and the hours still arriving kept one record at a time, least recently used first. */
  private readonly blocks = new Map<
    string,
    PlanBlock<never> | PlanHour<never> | ArrivingHour<never> | SeriesBlock<never>
  >()
  /** Which plan first read a block's hours in given buckets (SeriesBlock's key): a bounded table. */
  private readonly readers = new Map<string, string>()
  private bytes = 0

  constructor(private readonly maxBytes: number) {}

  /**
   * The block holding `hour`, summed over its hours below `untilHour` (the clock's hour, or with
   * a lag the first hour not settled: a block the bound is inside is summed again once it moves).
   */
  block<R extends UsageRecord>(
    synthetic: SyntheticAccount,
    plan: StreamPlan<R>,
    hour: number,
    untilHour: number,
  ): PlanBlock<R> {
    const startHour = Math.floor(hour / BLOCK_HOURS) * BLOCK_HOURS
    const until = Math.min(startHour + BLOCK_HOURS, untilHour)
    const key = `${accountId(synthetic)}|${plan.key}|${startHour}|${until}`
    return this.kept(key, () => buildBlock(synthetic, plan, startHour, until))
  }

  /** The plan's block holding `hour` if it is kept (see block), without summing it. */
  keptBlock<R extends UsageRecord>(
    synthetic: SyntheticAccount,
    plan: StreamPlan<R>,
    hour: number,
    untilHour: number,
  ): PlanBlock<R> | undefined {
    const startHour = Math.floor(hour / BLOCK_HOURS) * BLOCK_HOURS
    const until = Math.min(startHour + BLOCK_HOURS, untilHour)
    return this.peek(`${accountId(synthetic)}|${plan.key}|${startHour}|${until}`)
  }

  /**
   * The block holding `hour` summed per series and bucket part (SeriesBlock), when another plan
   * has read the same hours in the same buckets before: the first question of a window sums its
   * own plan's block (hours, reused by that plan in any window), a second plan of the window
   * sums the series once, from which every later plan is an addition. Undefined: sum the plan's
   * own block.
   */
  seriesBlock<R extends UsageRecord>(
    synthetic: SyntheticAccount,
    plan: StreamPlan<R>,
    hour: number,
    untilHour: number,
    parts: readonly number[],
  ): SeriesBlock<R> | undefined {
    const startHour = Math.floor(hour / BLOCK_HOURS) * BLOCK_HOURS
    const until = Math.min(startHour + BLOCK_HOURS, untilHour)
    const key = `${accountId(synthetic)}|${plan.spec.kind}|series ${startHour}|${until}|${parts.join(',')}`
    // Without a budget nothing is kept: each question sums its own plan's records alone.
    if (this.maxBytes === 0) return undefined
    const kept = this.peek<SeriesBlock<R>>(key)
    if (kept) return kept
    const first = this.readers.get(key)
    const reader = plan.key
    if (first === undefined || first === reader) {
      if (this.readers.size >= READERS_LIMIT) this.readers.clear()
      this.readers.set(key, reader)
      return undefined
    }
    return this.kept(key, () => buildSeriesBlock(synthetic, plan.spec, startHour, until, parts))
  }

  /** The records of one hour of a plan, one by one (an hour still arriving: data/lag.ts). */
  hour<R extends UsageRecord>(synthetic: SyntheticAccount, plan: StreamPlan<R>, hour: number): PlanHour<R> {
    const key = `${accountId(synthetic)}|${plan.key}|hour ${hour}`
    return this.kept(key, () => buildHour(synthetic, plan, hour))
  }

  /**
   * An hour not yet settled, summed as it is at now: the same for every now of one batch of
   * arrivals (one a minute), so the key is the batch, with the lag and seed that shape it.
   */
  arriving<R extends UsageRecord>(
    synthetic: SyntheticAccount,
    plan: StreamPlan<R>,
    hour: number,
    lag: Lag,
    nowMs: number,
  ): ArrivingHour<R> {
    const step = arrivalStep(lag, hour, nowMs)
    const key = `${accountId(synthetic)}|${plan.key}|arriving ${hour}|${step}|${lag.delayMs}/${lag.settleMs}/${lag.seed}`
    return this.kept(key, () => sumArriving(plan, this.hour(synthetic, plan, hour), hour, lag, nowMs))
  }

  /** An entry by its key if it is kept (marked as just used), else undefined. */
  private peek<T>(key: string): T | undefined {
    const entry = this.blocks.get(key)
    if (entry) {
      this.blocks.delete(key)
      this.blocks.set(key, entry)
    }
    return entry as T | undefined
  }

  /** An entry by its key, built when missing; the key names everything it depends on, so its type too. */
  private kept<T extends { bytes: number }>(key: string, build: () => T): T {
    let entry = this.blocks.get(key) as T | undefined
    if (entry) {
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.blocks.delete(key)
      this.blocks.set(key, entry as never)
      return entry
    }
    entry = build()
    if (entry.bytes <= this.maxBytes) {
      this.blocks.set(key, entry as never)
      this.bytes += entry.bytes
      for (const [k, v] of this.blocks) {
        if (this.bytes <= this.maxBytes) break
        this.blocks.delete(k)
        this.bytes -= v.bytes
      }
    }
    return entry
  }

  get size(): { blocks: number; bytes: number } {
    return { blocks: this.blocks.size, bytes: this.bytes }
  }
}
