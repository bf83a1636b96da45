// GET .../billing/summary [contract 2]: rated dollar line items over whole UTC days, from the
// same records and price list as billingUsage, so the serverless totals equal the sum of
// costNanoUsd over the same days to the nano.

import { invalidArgument } from '../errors.js'
import type { DedicatedRecord, ServerlessRecord, TrainingRecord } from '../data/records.js'
import { recordsIn } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import { acceleratorNanoPerHour, modelPrice, trainerNanoPerHour, trainingTokenNano } from '../data/prices.js'
import { DAY_MS, formatUtcSeconds } from '../time.js'
import { money, roundDiv, type Money } from './money.js'
import { readParams, requiredWindow, scalar, show } from './params.js'

export type Series = 'SERVERLESS' | 'DEDICATED_DEPLOYMENT' | 'TRAINING'
const SERIES_ORDER: Series[] = ['SERVERLESS', 'DEDICATED_DEPLOYMENT', 'TRAINING']
const GRANULARITIES = ['GRANULARITY_UNSPECIFIED', 'DAILY'] as const
/** [ours] like billingUsage, at most 31 days per request. */
export const MAX_SUMMARY_DAYS = 31

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
  series: Series
}

export interface SummaryBody {
  lineItems: LineItem[]
  usageBuckets: { startTime: string; endTime: string; lineItems: LineItem[] }[]
}

export function parseSummaryQuery(raw: Record<string, unknown>, strict = false): { query: SummaryQuery; ignored: string[] } {
  const params = readParams(raw, ['start_time', 'end_time', 'granularity'], strict)
  const { start, end } = requiredWindow(params)
  const g = scalar(params, 'granularity') ?? 'GRANULARITY_UNSPECIFIED'
  const granularity = /^[01]$/.test(g) ? GRANULARITIES[Number(g)] : GRANULARITIES.find(x => x === g)
  if (!granularity) throw invalidArgument(`invalid granularity ${show(g)}: must be one of ${GRANULARITIES.join(', ')} or 0-1`)
  // [real] only the UTC date part counts, and the end date is excluded.
  const startDay = Math.floor(start.ms / DAY_MS) * DAY_MS
  const endDay = Math.floor(end.ms / DAY_MS) * DAY_MS
  if (startDay > endDay) throw invalidArgument('the start_time date must not be after the end_time date')
  if (endDay - startDay > MAX_SUMMARY_DAYS * DAY_MS)
    throw invalidArgument(`the end_time date must not be more than ${MAX_SUMMARY_DAYS} days after the start_time date`)
  return { query: { startDay, endDay, daily: granularity === 'DAILY' }, ignored: params.ignored }
}

interface Accumulator {
  item: Omit<LineItem, 'quantity' | 'unitAmount' | 'totalCost'>
  unitNano: number
  /** quantity x quantityScale is an integer (tokens, microseconds of audio, accelerator seconds). */
  quantity: number
  quantityScale: number
  totalNano: bigint
  /** GPU time is rated once per line item and day: seconds x price per hour / 3600, rounded. */
  perHour: boolean
}

/** Line items merge when everything that names them, and their unit price, is the same. */
function itemKey(item: Accumulator['item'], unitNano: number): string {
  return [item.series, item.category, item.groupingKey, item.groupingValue, item.secondaryGroupingKey, item.secondaryGroupingValue, unitNano].join('\u0000')
}

class LineItems {
  private readonly items = new Map<string, Accumulator>()

  add(
    series: Series,
    category: string,
    grouping: [string, string],
    secondary: [string, string],
    unitNano: number,
    quantity: number,
    quantityScale: number,
    totalNano: bigint,
    perHour = false,
  ): void {
    const item = { category, groupingKey: grouping[0], groupingValue: grouping[1], secondaryGroupingKey: secondary[0], secondaryGroupingValue: secondary[1], series }
    const key = itemKey(item, unitNano)
    let acc = this.items.get(key)
    if (!acc) {
      acc = {
        item,
        unitNano,
        quantity: 0,
        quantityScale,
        totalNano: 0n,
        perHour,
      }
      this.items.set(key, acc)
    }
    acc.quantity += quantity
    acc.totalNano += totalNano
  }

  /** Closes a day: GPU-time items get their rounded cost. */
  close(): Accumulator[] {
    for (const acc of this.items.values())
      if (acc.perHour) acc.totalNano = roundDiv(BigInt(acc.quantity) * BigInt(acc.unitNano), 3600n)
    return [...this.items.values()]
  }
}

function serverlessItems(items: LineItems, r: ServerlessRecord): void {
  const price = modelPrice(r.model)
  const grouping: [string, string] = ['model', r.model]
  let rated = 0n
  if (price?.kind === 'audio' || (!price && r.usageType === 'AUDIO_INFERENCE_USAGE')) {
    const micros = Math.round(r.audioInputSeconds * 1e6)
    const perSecond = price?.kind === 'audio' ? price.perSecond : 0
    rated = BigInt(Math.round((micros * perSecond) / 1e6))
    if (micros > 0) items.add('SERVERLESS', 'Audio Transcription', grouping, ['type', 'audio_seconds'], perSecond, micros, 1e6, rated)
  } else {
    const parts: [string, number, number][] = [
      ['input', r.promptTokens - r.cachedPromptTokens, price?.input ?? 0],
      ['cached_input', r.cachedPromptTokens, price?.cachedInput ?? 0],
      ['output', r.completionTokens, price?.output ?? 0],
    ]
    for (const [type, tokens, unit] of parts) {
      if (tokens === 0) continue
      const total = BigInt(tokens) * BigInt(unit)
      rated += total
      items.add('SERVERLESS', 'Text Completion', grouping, ['type', type], unit, tokens, 1, total)
    }
  }
  // A record's own cost (from a fixture) that differs from the price list: the difference is
  // an adjustment line, so the totals still equal the sum of costNanoUsd.
  const adjustment = BigInt(r.costNanoUsd) - rated
  if (adjustment !== 0n) items.add('SERVERLESS', 'Adjustment', grouping, ['type', 'adjustment'], 0, 0, 1, adjustment)
}

function dedicatedItems(items: LineItems, r: DedicatedRecord): void {
  const unit = acceleratorNanoPerHour(r.acceleratorType)
  items.add('DEDICATED_DEPLOYMENT', 'Dedicated Deployment', ['accelerator_type', r.acceleratorType], ['', ''], unit, r.acceleratorSeconds, 3600, 0n, true)
}

function trainingItems(items: LineItems, r: TrainingRecord): void {
  const grouping: [string, string] = ['job_type', r.jobType]
  if (r.tokens > 0) {
    const unit = trainingTokenNano(r.baseModel)
    items.add('TRAINING', 'Training Tokens', grouping, ['base_model', r.baseModel], unit, r.tokens, 1, BigInt(r.tokens) * BigInt(unit))
  }
  if (r.acceleratorSeconds > 0) {
    const unit = trainerNanoPerHour(r.jobType, r.baseModel, r.acceleratorType)
    const category = unit === 0 && r.jobType === 'RFT' ? 'Trainer GPU Time (RFT under 16B, free)' : 'Trainer GPU Time'
    items.add('TRAINING', category, grouping, ['accelerator_type', r.acceleratorType], unit, r.acceleratorSeconds, 3600, 0n, true)
  }
}

function compareItems(a: LineItem, b: LineItem): number {
  const order = SERIES_ORDER.indexOf(a.series) - SERIES_ORDER.indexOf(b.series)
  if (order !== 0) return order
  for (const k of ['category', 'groupingValue', 'secondaryGroupingValue'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1
  return 0
}

function toLineItems(accs: Accumulator[]): LineItem[] {
  return accs
    .map(acc => ({
      ...acc.item,
      quantity: acc.quantity / acc.quantityScale,
      unitAmount: money(BigInt(acc.unitNano)),
      totalCost: money(acc.totalNano),
    }))
    .sort(compareItems)
}

/** Day by day (memory stays bounded), then the days' line items summed for the whole range. */
export function computeBillingSummary(account: WorldAccount, query: SummaryQuery, nowMs: number): SummaryBody {
  const totals = new Map<string, Accumulator>()
  const usageBuckets: SummaryBody['usageBuckets'] = []
  for (let day = query.startDay; day < query.endDay; day += DAY_MS) {
    const items = new LineItems()
    for (const r of recordsIn(account, 'serverless', day, day + DAY_MS, nowMs)) serverlessItems(items, r)
    for (const r of recordsIn(account, 'dedicated', day, day + DAY_MS, nowMs)) dedicatedItems(items, r)
    for (const r of recordsIn(account, 'training', day, day + DAY_MS, nowMs)) trainingItems(items, r)
    const closed = items.close()
    for (const acc of closed) {
      const key = itemKey(acc.item, acc.unitNano)
      const total = totals.get(key)
      if (total) {
        total.quantity += acc.quantity
        total.totalNano += acc.totalNano
      } else totals.set(key, { ...acc })
    }
    if (query.daily)
      usageBuckets.push({ startTime: formatUtcSeconds(day), endTime: formatUtcSeconds(day + DAY_MS), lineItems: toLineItems(closed) })
  }
  return { lineItems: toLineItems([...totals.values()]), usageBuckets }
}
