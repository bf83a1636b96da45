// GET .../billing/summary [contract 2]: rated dollar line items over whole UTC days, from the
// same records and price list as billingUsage, so the serverless totals equal the sum of
// costNanoUsd over the same days to the nano.

import { internal, invalidArgument } from '../errors.js'
import type { DedicatedRecord, ServerlessRecord, TrainingRecord } from '../data/records.js'
import { visitRecords, type SeriesVisitor } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import { acceleratorNanoPerHour, modelPrice, rateWith, trainerNanoPerHour, trainingTokenNano, type ModelPrice } from '../data/prices.js'
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
  /** Exact nano-USD: a number while it stays well within 2^53, carried into the bigint beyond. */
  small: number
  totalNano: bigint
  /** GPU time is rated once per line item and day: seconds x price per hour / 3600, rounded. */
  perHour: boolean
}

const CARRY = 2 ** 52

function addNano(acc: Accumulator, nano: number): void {
  if (!Number.isSafeInteger(nano)) throw internal(`a line item amount (${nano} nano-USD) exceeds 2^53 and cannot be rated exactly`)
  acc.small += nano
  if (acc.small > CARRY || acc.small < -CARRY) {
    acc.totalNano += BigInt(acc.small)
    acc.small = 0
  }
}

const totalOf = (acc: Accumulator) => acc.totalNano + BigInt(acc.small)

/** Line items merge when everything that names them, and their unit price, is the same. */
function itemKey(item: Accumulator['item'], unitNano: number): string {
  return [item.series, item.category, item.groupingKey, item.groupingValue, item.secondaryGroupingKey, item.secondaryGroupingValue, unitNano].join('\u0000')
}

class LineItems {
  private readonly items = new Map<string, Accumulator>()

  /** The line item so named, created empty on first use. */
  slot(
    series: Series,
    category: string,
    grouping: [string, string],
    secondary: [string, string],
    unitNano: number,
    quantityScale: number,
    perHour = false,
  ): Accumulator {
    const item = { category, groupingKey: grouping[0], groupingValue: grouping[1], secondaryGroupingKey: secondary[0], secondaryGroupingValue: secondary[1], series }
    const key = itemKey(item, unitNano)
    let acc = this.items.get(key)
    if (!acc) {
      acc = { item, unitNano, quantity: 0, quantityScale, small: 0, totalNano: 0n, perHour }
      this.items.set(key, acc)
    }
    return acc
  }

  /** Closes a day: GPU-time items get their rounded cost. */
  close(): Accumulator[] {
    for (const acc of this.items.values())
      if (acc.perHour) {
        acc.totalNano = roundDiv(BigInt(acc.quantity) * BigInt(acc.unitNano), 3600n)
        acc.small = 0
      }
    return [...this.items.values()]
  }
}

/**
 * Serverless: one line per model and type, at the type's unit price. The rating and the line
 * items are looked up once per series; a record only adds to them. A record's own cost (from
 * a fixture) that differs from the price list goes to an adjustment line, so the totals still
 * equal the sum of costNanoUsd.
 */
function serverlessVisitor(items: LineItems): SeriesVisitor<ServerlessRecord> {
  let price: ModelPrice | undefined
  let audio = false
  let grouping: [string, string] = ['', '']
  let slots: (Accumulator | undefined)[] = []
  const slot = (i: number, category: string, type: string, unit: number, scale: number) =>
    (slots[i] ??= items.slot('SERVERLESS', category, grouping, ['type', type], unit, scale))
  return {
    begin(t) {
      price = modelPrice(t.model)
      audio = price?.kind === 'audio' || (!price && t.usageType === 'AUDIO_INFERENCE_USAGE')
      grouping = ['model', t.model]
      slots = []
      return true
    },
    add(_time, m) {
      const [prompt, cached, completion, micros, cost] = m as [number, number, number, number, number]
      let rated = 0
      if (audio) {
        const perSecond = price?.kind === 'audio' ? price.perSecond : 0
        rated = rateWith(price, 0, 0, 0, micros / 1e6)
        if (micros > 0) {
          const acc = slot(0, 'Audio Transcription', 'audio_seconds', perSecond, 1e6)
          acc.quantity += micros
          addNano(acc, rated)
        }
      } else {
        const tokenPrice = price?.kind === 'tokens' ? price : undefined
        const parts: [number, string, number, number][] = [
          [0, 'input', prompt - cached, tokenPrice?.input ?? 0],
          [1, 'cached_input', cached, tokenPrice?.cachedInput ?? 0],
          [2, 'output', completion, tokenPrice?.output ?? 0],
        ]
        for (const [i, type, tokens, unit] of parts) {
          if (tokens === 0) continue
          const acc = slot(i, 'Text Completion', type, unit, 1)
          acc.quantity += tokens
          addNano(acc, tokens * unit)
          rated += tokens * unit
        }
      }
      if (cost !== rated) addNano(slot(3, 'Adjustment', 'adjustment', 0, 1), cost - rated)
    },
  }
}

/** Dedicated: one line per accelerator type, in GPU-hours, rated when the day closes. */
function dedicatedVisitor(items: LineItems): SeriesVisitor<DedicatedRecord> {
  let acc: Accumulator
  return {
    begin(t) {
      const unit = acceleratorNanoPerHour(t.acceleratorType)
      acc = items.slot('DEDICATED_DEPLOYMENT', 'Dedicated Deployment', ['accelerator_type', t.acceleratorType], ['', ''], unit, 3600, true)
      return true
    },
    add(_time, m) {
      acc.quantity += m[0] as number
    },
  }
}

/** Training: tokens per job type and base model; trainer GPU time per job type and accelerator. */
function trainingVisitor(items: LineItems): SeriesVisitor<TrainingRecord> {
  let template: TrainingRecord
  let tokens: Accumulator | undefined
  let gpu: Accumulator | undefined
  return {
    begin(t) {
      template = t
      tokens = gpu = undefined
      return true
    },
    add(_time, m) {
      const [count, seconds] = m as [number, number]
      const t = template
      const grouping: [string, string] = ['job_type', t.jobType]
      if (count > 0) {
        const unit = trainingTokenNano(t.baseModel)
        tokens ??= items.slot('TRAINING', 'Training Tokens', grouping, ['base_model', t.baseModel], unit, 1)
        tokens.quantity += count
        addNano(tokens, count * unit)
      }
      if (seconds > 0) {
        if (!gpu) {
          const unit = trainerNanoPerHour(t.jobType, t.baseModel, t.acceleratorType)
          const category = unit === 0 && t.jobType === 'RFT' ? 'Trainer GPU Time (RFT under 16B, free)' : 'Trainer GPU Time'
          gpu = items.slot('TRAINING', category, grouping, ['accelerator_type', t.acceleratorType], unit, 3600, true)
        }
        gpu.quantity += seconds
      }
    },
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
      totalCost: money(totalOf(acc)),
    }))
    .sort(compareItems)
}

/** Day by day (memory stays bounded), then the days' line items summed for the whole range. */
export function computeBillingSummary(account: WorldAccount, query: SummaryQuery, nowMs: number): SummaryBody {
  const totals = new Map<string, Accumulator>()
  const usageBuckets: SummaryBody['usageBuckets'] = []
  for (let day = query.startDay; day < query.endDay; day += DAY_MS) {
    const items = new LineItems()
    visitRecords(account, 'serverless', day, day + DAY_MS, nowMs, serverlessVisitor(items))
    visitRecords(account, 'dedicated', day, day + DAY_MS, nowMs, dedicatedVisitor(items))
    visitRecords(account, 'training', day, day + DAY_MS, nowMs, trainingVisitor(items))
    const closed = items.close()
    for (const acc of closed) {
      const key = itemKey(acc.item, acc.unitNano)
      const total = totals.get(key)
      if (total) {
        total.quantity += acc.quantity
        total.totalNano += totalOf(acc)
      } else totals.set(key, { ...acc, small: 0, totalNano: totalOf(acc) })
    }
    if (query.daily)
      usageBuckets.push({ startTime: formatUtcSeconds(day), endTime: formatUtcSeconds(day + DAY_MS), lineItems: toLineItems(closed) })
  }
  return { lineItems: toLineItems([...totals.values()]), usageBuckets }
}
