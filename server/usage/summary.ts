// GET .../billing/summary [contract 2]: rated dollar line items over whole UTC days, computed by
// the same aggregation engine as billingUsage: each stream's aggregates of one UTC day are rated
// by the stream's own description into line items. Serverless line items are the parts of the
// records' costNanoUsd, so their totals equal the sum of costNanoUsd by construction.

import { internal, invalidArgument } from '../errors.js'
import type { WorldAccount } from '../data/world.js'
import { allStreams } from '../streams/registry.js'
import type { LineItemPiece } from '../streams/stream.js'
import { DAY_MS, formatUtcSeconds } from '../time.js'
import { aggregateUsage, type EngineOptions } from './aggregate.js'
import { bucketsFor } from './buckets.js'
import { money, roundDiv, type Money } from './money.js'
import { readParams, requiredWindow, scalar, show } from './params.js'
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
  if (!granularity)
    throw invalidArgument(`invalid granularity ${show(g)}: must be one of ${GRANULARITIES.join(', ')} or 0-1`)
  // [real] only the UTC date part counts, and the end date is excluded.
  const startDay = Math.floor(start.ms / DAY_MS) * DAY_MS
  const endDay = Math.floor(end.ms / DAY_MS) * DAY_MS
  if (startDay > endDay) throw invalidArgument('the start_time date must not be after the end_time date')
  // [ours] like billingUsage, at most 31 days per request.
  if (endDay - startDay > MAX_WINDOW_DAYS * DAY_MS)
    throw invalidArgument(`the end_time date must not be more than ${MAX_WINDOW_DAYS} days after the start_time date`)
  return { query: { startDay, endDay, daily: granularity === 'DAILY' }, ignored: params.ignored }
}

interface Accumulator {
  item: Omit<LineItem, 'quantity' | 'unitAmount' | 'totalCost'>
  unitNano: number
  /** quantity / scale is the line item's quantity; both integers add exactly. */
  quantity: number
  scale: number
  /** Exact nano-USD, carried in a bigint: a range's total may pass 2^53. */
  totalNano: bigint
  perHour: boolean
}

const exact = (nano: number) => {
  if (!Number.isSafeInteger(nano))
    throw internal(`a line item amount (${nano} nano-USD) exceeds 2^53 and cannot be rated exactly`)
  return BigInt(nano)
}

/** The line items of one day (or of the whole range): pieces with the same names and unit price add up. */
class LineItems {
  readonly items = new Map<string, Accumulator>()

  add(series: string, piece: LineItemPiece): void {
    const { category, grouping, secondary, unitNano } = piece
    const key = [series, category, ...grouping, ...secondary, unitNano].join('\u0000')
    let acc = this.items.get(key)
    if (!acc) {
      const item = {
        category,
        groupingKey: grouping[0],
        groupingValue: grouping[1],
        secondaryGroupingKey: secondary[0],
        secondaryGroupingValue: secondary[1],
        series,
      }
      acc = { item, unitNano, quantity: 0, scale: piece.scale, totalNano: 0n, perHour: piece.perHour === true }
      this.items.set(key, acc)
    }
    acc.quantity += piece.quantity
    if (piece.nano !== undefined) acc.totalNano += exact(piece.nano)
  }

  /** Closes a day: GPU time is rated once per line item and day, seconds x price per hour / 3600, rounded. */
  close(): void {
    for (const acc of this.items.values())
      if (acc.perHour) acc.totalNano = roundDiv(exact(acc.quantity) * BigInt(acc.unitNano), 3600n)
  }

  /** Adds a closed day into a range's totals. */
  merge(day: LineItems): void {
    for (const [key, acc] of day.items) {
      const total = this.items.get(key)
      if (total) {
        total.quantity += acc.quantity
        total.totalNano += acc.totalNano
      } else this.items.set(key, { ...acc })
    }
  }

  /** In series order, then by category and the grouping values [ours]. */
  list(seriesOrder: readonly string[]): LineItem[] {
    return [...this.items.values()]
      .map(acc => ({
        ...acc.item,
        quantity: acc.quantity / acc.scale,
        unitAmount: money(BigInt(acc.unitNano)),
        totalCost: money(acc.totalNano),
      }))
      .sort((a, b) => {
        const order = seriesOrder.indexOf(a.series) - seriesOrder.indexOf(b.series)
        if (order !== 0) return order
        for (const k of ['category', 'groupingValue', 'secondaryGroupingValue'] as const)
          if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1
        return 0
      })
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
    const plan = { spec, groupBy: spec.summary.groupBy, filters: [] }
    for (const agg of aggregateUsage(account, plan, window, days, engine))
      for (const piece of spec.summary.lineItems(agg)) perDay[agg.bucketIndex]!.add(spec.usageType, piece)
  }
  const series = allStreams().map(s => s.usageType)
  const range = new LineItems()
  for (const day of perDay) {
    day.close()
    range.merge(day)
  }
  const usageBuckets = query.daily
    ? days.map((d, i) => ({
        startTime: formatUtcSeconds(d.startMs),
        endTime: formatUtcSeconds(d.endMs),
        lineItems: perDay[i]!.list(series),
      }))
    : []
  return { lineItems: range.list(series), usageBuckets }
}
