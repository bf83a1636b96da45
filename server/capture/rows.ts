// From billingUsage rows back to fixture records, per stream: which record field each grouping
// dimension fills, which other row fields a record takes (a deployment's baseModel and
// placement are attributes, not dimensions: rows carry them when grouped by deployment), and
// the row's amounts as integers. A row grouped by every dimension of its stream holds exactly
// the fields of the records it sums; its amounts are spread over the day's hours (hours.ts).

import { EntryProblems, toRecord } from '../data/fixture-entries.js'
import { streamOf } from '../streams/registry.js'
import type { StreamSpec } from '../model/stream.js'
import { formatUtc } from '../time.js'
import { spreadOverHours, type Amounts } from './hours.js'

export type Row = Record<string, unknown>
export type Entry = Record<string, unknown>

/** A row that cannot become a record (an amount that is not a count, a cached part over the whole). */
export class RowProblem extends Error {}

export interface StreamCapture {
  spec: StreamSpec
  /**
   * The series: the dimensions whose values determine the others' (a key's annotations, a
   * deployment's accelerator). A grouping the target refuses is split into requests that all
   * keep these, and joined on them.
   */
  identity: readonly string[]
  /** The record field each dimension fills; `annotations.<key>` fill `annotations`. */
  fieldOf: Readonly<Record<string, string>>
  /** The record fields a row carries besides its group. */
  attributes(row: Row): Record<string, string>
  /** The row's amounts, by name, as non-negative integers (or a RowProblem). */
  amounts(row: Row): Amounts
  /** A record's quantity fields from its share of the amounts. */
  quantities(amounts: Amounts): Record<string, number>
  /**
   * A quantity the mock rates from the others when a fixture omits it (serverless cost): an
   * hour's share is its own rating when the day's amount is the day's rating and the hours'
   * ratings add up to it, so the billing summary's line items reproduce too.
   */
  rated?: string
}

/** An int64 amount [real: a JSON string of digits]; absent is 0, as proto3 JSON omits zeros. */
function count(row: Row, field: string): number {
  const v = row[field]
  if (v === undefined || v === null) return 0
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n
  throw new RowProblem(`${field} ${JSON.stringify(v)} is not a non-negative integer below 2^53`)
}

/** A double amount, non-negative; absent is 0. */
function amount(row: Row, field: string): number {
  const v = row[field] ?? 0
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v
  throw new RowProblem(`${field} ${JSON.stringify(v)} is not a non-negative number`)
}

const text = (v: unknown) => (typeof v === 'string' ? v : '')

const stream = (kind: string) => streamOf(kind) as StreamSpec

const serverless: StreamCapture = {
  spec: stream('serverless'),
  identity: ['model_name', 'api_key_id'],
  fieldOf: { model_name: 'model', api_key_id: 'apiKeyId', api_key_name: 'apiKeyName' },
  attributes: row => ({ usageType: text(row.usageType) }),
  amounts(row) {
    const prompt = count(row, 'promptTokens')
    const cached = count(row, 'cachedPromptTokens')
    if (cached > prompt) throw new RowProblem(`cachedPromptTokens ${cached} exceeds promptTokens ${prompt}`)
    return {
      // Split as cached and uncached, so that no hour gets more cached tokens than prompt tokens
      // (uncachedPromptTokens is derived: prompt minus cached [real]).
      uncached: prompt - cached,
      cached,
      completion: count(row, 'completionTokens'),
      // Audio seconds in whole microseconds, as the mock sums them.
      audioMicros: Math.round(amount(row, 'audioInputSeconds') * 1e6),
      // A double [real]; nano-USD are whole, so it is rounded to the nano.
      cost: Math.round(amount(row, 'costNanoUsd')),
    }
  },
  quantities: a => ({
    promptTokens: (a.uncached as number) + (a.cached as number),
    cachedPromptTokens: a.cached as number,
    completionTokens: a.completion as number,
    audioInputSeconds: (a.audioMicros as number) / 1e6,
    // Given explicitly, so that the cost reproduces even for prices the mock does not know.
    costNanoUsd: a.cost as number,
  }),
  rated: 'costNanoUsd',
}

const dedicated: StreamCapture = {
  spec: stream('dedicated'),
  identity: ['deployment_name'],
  fieldOf: { deployment_name: 'deployment', accelerator_type: 'acceleratorType' },
  attributes: row => ({
    baseModel: text(row.baseModel),
    // [real] REGION_UNSPECIFIED is how an unknown placement is written: the record's ''.
    placement: row.placement === 'REGION_UNSPECIFIED' ? '' : text(row.placement),
    usageType: text(row.usageType),
  }),
  amounts: row => ({ acceleratorSeconds: count(row, 'acceleratorSeconds') }),
  quantities: a => ({ acceleratorSeconds: a.acceleratorSeconds as number }),
}

const training: StreamCapture = {
  spec: stream('training'),
  identity: ['job_id'],
  fieldOf: {
    job_id: 'jobId',
    job_type: 'jobType',
    usage_type: 'usageType',
    accelerator_type: 'acceleratorType',
    base_model: 'baseModel',
  },
  attributes: row => ({ trainingSessionId: text(row.trainingSessionId) }),
  amounts: row => ({ tokens: count(row, 'tokens'), acceleratorSeconds: count(row, 'acceleratorSeconds') }),
  quantities: a => ({ tokens: a.tokens as number, acceleratorSeconds: a.acceleratorSeconds as number }),
}

/** The streams capture knows, in the order of the answer's arrays. */
export const CAPTURES: readonly StreamCapture[] = [serverless, dedicated, training]

export function captureOf(kind: string): StreamCapture | undefined {
  return CAPTURES.find(c => c.spec.kind === kind)
}

export const ANNOTATION_PREFIX = 'annotations.'

/** One row of an answer, read: its span, its group values, attributes and amounts. */
export interface Part {
  /** The row's bucket (a UTC day clipped to the window, and to now). */
  startMs: number
  endMs: number
  /** The value rows are also split by (serverless usageType), '' for other streams. */
  split: string
  /** The values of the dimensions it was grouped by. */
  values: Record<string, string>
  attributes: Record<string, string>
  amounts: Amounts
  /** Why the row cannot become records. */
  problem?: string
}

/** Reads a row of an answer grouped by `dims`, its bounds clipped to [fromMs, toMs). */
export function readRow(capture: StreamCapture, row: Row, dims: readonly string[], fromMs: number, toMs: number): Part {
  const group = (typeof row.group === 'object' && row.group !== null ? row.group : {}) as Record<string, unknown>
  const startMs = Math.max(Date.parse(text(row.startTime)), fromMs)
  const endMs = Math.min(Date.parse(text(row.endTime)), toMs)
  const part: Part = {
    startMs,
    endMs,
    split: capture.spec.split ? text(row.usageType) : '',
    values: Object.fromEntries(dims.map(d => [d, text(group[d])])),
    attributes: capture.attributes(row),
    amounts: {},
  }
  if (Number.isNaN(startMs) || Number.isNaN(endMs))
    part.problem = `startTime ${JSON.stringify(row.startTime)} or endTime ${JSON.stringify(row.endTime)} is not a timestamp`
  else
    try {
      part.amounts = capture.amounts(row)
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err
      part.problem = err.message
    }
  return part
}

export interface Converted {
  entries: Entry[]
  /** Values of a field that the mock's fixtures do not accept, replaced by the field's default. */
  unknown: { field: string; value: string }[]
  problem?: string
}

/**
 * A part's fixture records: the day's record checked by the mock's own fixture rules, then its
 * amounts spread over the hours. Fields in the stream's order; empty strings are left out (the
 * default), every number is written.
 */
export function toEntries(capture: StreamCapture, part: Part, account: string): Converted {
  const { spec } = capture
  if (part.problem) return { entries: [], unknown: [], problem: part.problem }
  const fields: Record<string, unknown> = { ...part.attributes }
  const annotations: Record<string, string> = {}
  for (const [dim, value] of Object.entries(part.values)) {
    if (dim.startsWith(ANNOTATION_PREFIX)) {
      if (value !== '') annotations[dim.slice(ANNOTATION_PREFIX.length)] = value
    } else {
      const field = capture.fieldOf[dim]
      if (field) fields[field] = value
    }
  }
  const unknown: Converted['unknown'] = []
  for (const [field, type] of Object.entries(spec.fields)) {
    const value = fields[field]
    if (typeof type === 'object' && typeof value === 'string' && value !== '' && !type.oneOf.includes(value)) {
      unknown.push({ field, value })
      fields[field] = ''
    }
  }
  const entryAt = (time: number, amounts: Amounts): Entry => {
    const quantities = capture.quantities(amounts)
    const entry: Entry = { kind: spec.kind, account, time: formatUtc(time) }
    for (const field of Object.keys(spec.fields)) {
      const value = quantities[field] ?? fields[field]
      if (value !== undefined && value !== '') entry[field] = value
    }
    if (Object.keys(annotations).length > 0) entry.annotations = annotations
    return entry
  }
  const day = entryAt(part.startMs, part.amounts)
  try {
    toRecord(day)
  } catch (err) {
    if (!(err instanceof EntryProblems)) throw err
    return { entries: [], unknown, problem: err.message }
  }
  const hours = spreadOverHours(part.startMs, part.endMs, part.amounts).map(h => entryAt(h.time, h.amounts))
  if (capture.rated) rateHours(capture.rated, day, hours)
  return { entries: hours, unknown }
}

/** The amount the mock would rate for an entry without `field` (its own rating rules). */
function ratingOf(field: string, entry: Entry): number {
  const { [field]: _given, ...rest } = entry
  return (toRecord(rest) as unknown as Record<string, number>)[field] as number
}

/** Each hour's `field` as its own rating, when the day's is the day's rating and they add up. */
function rateHours(field: string, day: Entry, hours: Entry[]): void {
  if (day[field] !== ratingOf(field, day)) return
  const rated = hours.map(h => ratingOf(field, h))
  if (rated.reduce((a, b) => a + b, 0) !== day[field]) return
  hours.forEach((h, i) => (h[field] = rated[i]))
}
