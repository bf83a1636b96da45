// Hourly sums of synthetic usage, per group of a plan, in blocks of 128 hours, kept within a byte
// budget and shared by every question, session and client. Synthetic records are a pure function
// of (seed, series, hour), so a block, once summed, never changes: a later question with the same
// grouping and filters, whatever its window, zone or clock, adds up a few prefix sums per bucket
// instead of generating every record again, and its cost follows the answer's size, not the
// history's or the number of series. Explicit fixture records are few and added per question.

import type { UsageRecord } from '../data/records.js'
import { visitSynthetic } from '../data/source.js'
import type { SyntheticAccount } from '../data/synthetic/plan.js'
import { internal } from '../errors.js'
import { HOUR_MS } from '../time.js'
import type { StreamPlan } from './aggregate.js'

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
   * hour: [(i x groups + index) x stride + q] is the sum over the block's hours < i (prefixSum).
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

/** The sum of quantity `q` (the record count: q = stride - 1) of a group over the block's hours < i. */
export function prefixSum(block: PlanBlock, g: BlockGroup, q: number, i: number): number {
  return block.cumulative[(i * block.groups.length + g.index) * block.stride + q] as number
}

/** Identity of a synthetic account in cache keys (accounts are built once and never change). */
const accountIds = new WeakMap<SyntheticAccount, number>()
let lastAccountId = 0
function accountId(account: SyntheticAccount): number {
  let id = accountIds.get(account)
  if (id === undefined) accountIds.set(account, (id = ++lastAccountId))
  return id
}

/** What a plan's blocks depend on besides the hours: stream, grouping and filters. */
export function planKey(plan: StreamPlan): string {
  const filters = plan.filters.map(([d, values]) => `${d}=${[...values].sort().join('\u0001')}`).join('\u0002')
  return `${plan.spec.kind}|${plan.groupBy.join(',')}|${filters}`
}

/** Sums one block of a plan: every synthetic record of its hours below `untilHour`, grouped. */
function buildBlock<R extends UsageRecord>(
  synthetic: SyntheticAccount,
  plan: StreamPlan<R>,
  startHour: number,
  untilHour: number,
): PlanBlock<R> {
  const { spec } = plan
  const groupBy = plan.groupBy.map(d => spec.dimensions[d] as (r: R) => string)
  const filters = plan.filters.map(([d, values]) => [spec.dimensions[d] as (r: R) => string, values] as const)
  const split = spec.split?.bind(spec)
  const stride = spec.quantities.length + 1 // the quantities, then the record count
  const groups = new Map<string, { group: string[]; split: string; values: Float64Array; latest: (R | undefined)[] }>()
  let current: { values: Float64Array; latest: (R | undefined)[] } | undefined
  let template: R
  visitSynthetic(synthetic, spec, startHour, untilHour, {
    begin(t) {
      if (!filters.every(([get, values]) => values.has(get(t)))) return false
      const group = groupBy.map(get => get(t))
      const splitValue = split ? split(t) : ''
      const key = groupKey(group, splitValue)
      let entry = groups.get(key)
      if (!entry) {
        const values = new Float64Array(BLOCK_HOURS * stride)
        entry = { group, split: splitValue, values, latest: new Array<R | undefined>(BLOCK_HOURS) }
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
      if (!Number.isSafeInteger(total))
        throw internal(`an hourly usage sum (${total}) exceeds 2^53 and cannot be summed exactly`)
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
 * The cache of plan blocks, least recently used out once the byte budget is spent (0 keeps
 * none: every block is summed again for each question).
 */
export class HourlySums {
  private readonly blocks = new Map<string, PlanBlock<never>>()
  private bytes = 0

  constructor(private readonly maxBytes: number) {}

  /**
   * The block holding `hour`, summed over its hours below `nowHour` (a block the clock is
   * inside is summed again once another hour has ended).
   */
  block<R extends UsageRecord>(
    synthetic: SyntheticAccount,
    plan: StreamPlan<R>,
    hour: number,
    nowHour: number,
  ): PlanBlock<R> {
    const startHour = Math.floor(hour / BLOCK_HOURS) * BLOCK_HOURS
    const untilHour = Math.min(startHour + BLOCK_HOURS, nowHour)
    const key = `${accountId(synthetic)}|${planKey(plan)}|${startHour}|${untilHour}`
    let block = this.blocks.get(key) as PlanBlock<R> | undefined
    if (block) {
      // Map keeps insertion order: re-inserting marks the block as most recently used.
      this.blocks.delete(key)
      this.blocks.set(key, block as PlanBlock<never>)
      return block
    }
    block = buildBlock(synthetic, plan, startHour, untilHour)
    if (block.bytes <= this.maxBytes) {
      this.blocks.set(key, block as PlanBlock<never>)
      this.bytes += block.bytes
      for (const [k, v] of this.blocks) {
        if (this.bytes <= this.maxBytes) break
        this.blocks.delete(k)
        this.bytes -= v.bytes
      }
    }
    return block
  }

  get size(): { blocks: number; bytes: number } {
    return { blocks: this.blocks.size, bytes: this.bytes }
  }
}
