// GET .../billing/summary [contract 2]: rated dollar line items over whole UTC days, computed by
// the same aggregation engine as billingUsage: each stream's aggregates of one UTC day are rated
// by the stream's own description into line items. Serverless line items are the parts of the
// records' costNanoUsd, so their totals equal the sum of costNanoUsd by construction.

import { lineItemTooLarge, summaryDatesReversed, summaryTooManyDays, unknownEnumValue } from '../messages.js'
import type { WorldAccount } from '../data/world.js'
import { allStreams } from '../streams/registry.js'
import type { LineItemPiece } from '../model/stream.js'
import { DAY_MS, formatUtcSeconds } from '../time.js'
import { aggregateUsage, type EngineOptions } from './aggregate.js'
import { planOf } from './plan.js'
import { bucketsFor } from './buckets.js'
import { addNano, money, roundDiv, type Money } from '../json/money.js'
import { readParams, requiredWindow, scalar } from './params.js'
import { MAX_WINDOW_DAYS } from './window.js'

const GRANULARITIES = ['GRANULARITY_UNSPECIFIED', 'DAILY'] as const

export interface SummaryQuery {
  /** UTC midnights: days startDay <= d < endDay. */
  startDay: number
  endDay: number
  daily: boolean
}

export interface LineItem {
  category: string
  groupingKey: string
  groupingValue: string
  secondaryGroupingKey: string
  secondaryGroupingValue: string
  quantity: number
  unitAmount: Money
  totalCost: Money
  /** The stream's usage type: SERVERLESS, DEDICATED_DEPLOYMENT, TRAINING. */
  series: string
}

export interface SummaryBody {
  lineItems: LineItem[]
  usageBuckets: { startTime: string; endTime: string; lineItems: LineItem[] }[]
}

export function parseSummaryQuery(
  raw: Record<string, unknown>,
  strict = false,
): { query: SummaryQuery; ignored: string[] } {
  const params = readParams(raw, ['start_time', 'end_time', 'granularity'], strict)
  const { start, end } = requiredWindow(params)
  const g = scalar(params, 'granularity') ?? 'GRANULARITY_UNSPECIFIED'
  const granularity = /^[01]$/.test(g) ? GRANULARITIES[Number(g)] : GRANULARITIES.find(x => x === g)
  if (!granularity) throw unknownEnumValue('granularity', g, GRANULARITIES)
  // [real] only the UTC date part counts, and the end date is excluded.
  const startDay = Math.floor(start.ms / DAY_MS) * DAY_MS
  const endDay = Math.floor(end.ms / DAY_MS) * DAY_MS
  if (startDay > endDay) throw summaryDatesReversed()
  // [ours] like billingUsage, at most 31 days per request.
  if (endDay - startDay > MAX_WINDOW_DAYS * DAY_MS) throw summaryTooManyDays(MAX_WINDOW_DAYS)
  return { query: { startDay, endDay, daily: granularity === 'DAILY' }, ignored: params.ignored }
}

/** One line item being summed. A class, so that every accumulator has one shape (V8 keeps the code that reads them fast). */
class Accumulator {
  /** quantity / scale is the line item's quantity; both integers add exactly. */
  quantity = 0
  /**
   * Exact nano-USD: a number while the total is below 2^53 (adding numbers allocates nothing),
   * a bigint once it passes (a range's total may).
   */
  totalNano: number | bigint = 0

  constructor(
    readonly piece: Omit<LineItemPiece, 'quantity' | 'nano'>,
    readonly series: string,
  ) {}

  addNano(nano: number | bigint): void {
    this.totalNano = addNano(this.totalNano, nano)
  }

  copy(): Accumulator {
    const out = new Accumulator(this.piece, this.series)
    out.quantity = this.quantity
    out.totalNano = this.totalNano
    return out
  }

  /** The line item, its fields in the order the answer has always had. */
  lineItem(): LineItem {
    const { category, grouping, secondary, unitNano, scale } = this.piece
    return {
      category,
      groupingKey: grouping[0],
      groupingValue: grouping[1],
      secondaryGroupingKey: secondary[0],
      secondaryGroupingValue: secondary[1],
      series: this.series,
      quantity: this.quantity / scale,
      unitAmount: money(unitNano),
      totalCost: money(this.totalNano),
    }
  }
}

const exact = (nano: number) => {
  if (!Number.isSafeInteger(nano)) throw lineItemTooLarge(nano)
  return nano
}

/** The line items of one day (or of the whole range): pieces with the same names and unit price add up. */
class LineItems {
  readonly items = new Map<string, Accumulator>()

  add(series: string, piece: LineItemPiece): void {
    const { category, grouping, secondary, unitNano } = piece
    const key = `${series}\u0000${category}\u0000${grouping[0]}\u0000${grouping[1]}\u0000${secondary[0]}\u0000${secondary[1]}\u0000${unitNano}`
    let acc = this.items.get(key)
    if (!acc) {
      acc = new Accumulator(piece, series)
      this.items.set(key, acc)
    }
    acc.quantity += piece.quantity
    if (piece.nano !== undefined) acc.addNano(exact(piece.nano))
  }

  /** Closes a day: GPU time is rated once per line item and day, seconds x price per hour / 3600, rounded. */
  close(): void {
    for (const acc of this.items.values())
      if (acc.piece.perHour) acc.totalNano = roundDiv(BigInt(exact(acc.quantity)) * BigInt(acc.piece.unitNano), 3600n)
  }

  /** Adds a closed day into a range's totals. */
  merge(day: LineItems): void {
    for (const [key, acc] of day.items) {
      const total = this.items.get(key)
      if (total) {
        total.quantity += acc.quantity
        total.addNano(acc.totalNano)
      } else this.items.set(key, acc.copy())
    }
  }

  /**
   * The items' keys in list order [ours]: series order, then category and the grouping values
   * (then, for items that share those, the grouping keys and the unit price as text, so that an
   * item's place never depends on when it first appeared). Sorted once, on the range, whose items
   * include every day's: a day's list is the range's order, filtered.
   */
  order(seriesOrder: readonly string[]): string[] {
    // One sort key per item, the fields joined (no value contains U+0000) and the item's position
    // last. The default sort compares UTF-16 code units, as `<` does, and needs no comparator
    // that V8 would have to guess the types of.
    const keys = [...this.items.keys()]
    const sortKeys = [...this.items.values()].map((acc, i) => {
      const { category, grouping, secondary, unitNano } = acc.piece
      const rank = String.fromCharCode(seriesOrder.indexOf(acc.series) + 1)
      return [
        rank,
        category,
        grouping[1],
        secondary[1],
        grouping[0],
        secondary[0],
        String(unitNano),
        String(i).padStart(8, '0'),
      ].join('\u0000')
    })
    return sortKeys.sort().map(k => keys[Number(k.slice(k.lastIndexOf('\u0000') + 1))]!)
  }

  /** The line items, in the given order of keys. */
  list(order: readonly string[]): LineItem[] {
    const out: LineItem[] = []
    for (const key of order) {
      const acc = this.items.get(key)
      if (acc) out.push(acc.lineItem())
    }
    return out
  }
}

/** Each UTC day's line items from the engine's daily aggregates, then the days summed for the range. */
export function computeBillingSummary(
  account: WorldAccount,
  query: SummaryQuery,
  nowMs: number,
  engine: EngineOptions = {},
): SummaryBody {
  const days = bucketsFor(query.startDay, query.endDay, 'UTC')
  const perDay = days.map(() => new LineItems())
  const window = { fromMs: query.startDay, toMs: query.endDay, nowMs }
  for (const spec of allStreams()) {
    const plan = planOf(spec, spec.summary.groupBy)
    for (const agg of aggregateUsage(account, plan, window, days, engine))
      for (const piece of spec.summary.lineItems(agg)) perDay[agg.bucketIndex]!.add(spec.usageType, piece)
  }
  const range = new LineItems()
  for (const day of perDay) {
    day.close()
    range.merge(day)
  }
  const order = range.order(allStreams().map(s => s.usageType))
  const usageBuckets = query.daily
    ? days.map((d, i) => ({
        startTime: formatUtcSeconds(d.startMs),
        endTime: formatUtcSeconds(d.endMs),
        lineItems: perDay[i]!.list(order),
      }))
    : []
  return { lineItems: range.list(order), usageBuckets }
}
