// billingUsage query parameters -> UsageQuery, with the validation order of contract 1.3.
// The input is the object qs produced (dots in keys kept literal); nothing here knows HTTP.

import { invalidArgument } from '../errors.js'
import type { Stream } from '../data/records.js'
import { ceilMs, compareInstants, DAY_MS, type Instant } from '../time.js'
import { ALL_DIMENSIONS, appliesTo, DEFAULT_GROUP_BY } from './dimensions.js'
import { readParams, requiredWindow, scalar, show, stringsOf } from './params.js'
import { isKnownZone } from './zones.js'

/** [real] The enum of the request's usage_type, in proto order (the number is also accepted [gw]). */
export const USAGE_TYPES = ['USAGE_TYPE_UNSPECIFIED', 'SERVERLESS', 'DEDICATED_DEPLOYMENT', 'TRAINING'] as const
export type UsageType = (typeof USAGE_TYPES)[number]
const STREAM_OF: Record<Exclude<UsageType, 'USAGE_TYPE_UNSPECIFIED'>, Stream> = {
  SERVERLESS: 'serverless',
  DEDICATED_DEPLOYMENT: 'dedicated',
  TRAINING: 'training',
}

export interface UsageQuery {
  start: Instant
  end: Instant
  /** Whole-millisecond bounds: records with fromMs <= t < toMs are in the window. */
  fromMs: number
  toMs: number
  usageType: UsageType
  streams: Stream[]
  timezone: string
  /** As requested, duplicates removed, first occurrence kept. */
  groupBy: string[]
  /** Dimension -> accepted values (OR); dimensions are ANDed. */
  filters: Map<string, string[]>
}

export interface ParseOptions {
  /** Reject unknown parameters instead of ignoring them. */
  strictParams?: boolean
  /** false reproduces the live gateway, which does not apply `filter` yet. */
  applyFilters?: boolean
  /** The fields this operation has (proto names); others are unknown parameters. Default: all. */
  fields?: readonly string[]
}

export interface ParsedUsageQuery {
  query: UsageQuery
  /** Parameters that were ignored, for the x-mock-ignored-params header. */
  ignored: string[]
}

export const MAX_WINDOW_MS = 31 * DAY_MS

function parseFilter(value: unknown): Map<string, string[]> {
  const filters = new Map<string, string[]>()
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidArgument('invalid filter: expected filter[<dimension>][values]=<value>')
  for (const [dimension, entry] of Object.entries(value)) {
    const where = `filter[${dimension}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw invalidArgument(`invalid ${where}: expected ${where}[values]=<value>`)
    for (const field of Object.keys(entry))
      if (field !== 'values') throw invalidArgument(`invalid ${where}: unknown field ${show(field)}, expected ${where}[values]=<value>`)
    let values = (entry as { values: unknown }).values
    // qs turns indexed forms (values[0]=a&values[1]=b) into an array, or into an object past
    // its array limit; accept both, in index order.
    if (typeof values === 'object' && values !== null && !Array.isArray(values)) {
      const entries = Object.entries(values)
      if (!entries.every(([k]) => /^\d+$/.test(k))) throw invalidArgument(`invalid ${where}[values]: expected a list of values`)
      values = entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v)
    }
    filters.set(dimension, [...new Set(stringsOf(`${where}[values]`, values))])
  }
  return filters
}

function parseUsageType(text: string | undefined): UsageType {
  if (text === undefined) return 'USAGE_TYPE_UNSPECIFIED'
  if ((USAGE_TYPES as readonly string[]).includes(text)) return text as UsageType
  if (/^[0-3]$/.test(text)) return USAGE_TYPES[Number(text)] as UsageType
  throw invalidArgument(`invalid usage_type ${show(text)}: must be one of ${USAGE_TYPES.join(', ')} or 0-3`)
}

function checkDimensions(groupBy: string[], filters: string[], usageType: UsageType): void {
  const named: (readonly ['group_by' | 'filter', string])[] = [...groupBy.map(d => ['group_by', d] as const), ...filters.map(d => ['filter', d] as const)]
  // 7. every dimension exists in some stream
  for (const [kind, d] of named)
    if (!ALL_DIMENSIONS.includes(d))
      throw invalidArgument(`unknown ${kind} dimension ${show(d)}; valid dimensions are ${ALL_DIMENSIONS.join(', ')}`)
  // 8. with an explicit usage type, every dimension belongs to its stream
  if (usageType === 'USAGE_TYPE_UNSPECIFIED') return
  for (const [kind, d] of named)
    if (!appliesTo(STREAM_OF[usageType], d))
      throw invalidArgument(`${kind} dimension ${show(d)} does not apply to usage_type ${usageType}`)
}

const ALL_FIELDS = ['start_time', 'end_time', 'usage_type', 'timezone', 'group_by', 'filter']

export function parseUsageQuery(raw: Record<string, unknown>, options: ParseOptions = {}): ParsedUsageQuery {
  const params = readParams(raw, options.fields ?? ALL_FIELDS, options.strictParams)
  const usageTypeText = scalar(params, 'usage_type')
  const timezoneText = scalar(params, 'timezone')
  const filters =
    params.filter === undefined || options.applyFilters === false ? new Map<string, string[]>() : parseFilter(params.filter)

  // 1. required, 2. parseable
  const { start, end } = requiredWindow(params)
  // 3. usage type
  const usageType = parseUsageType(usageTypeText)
  // 4. order, 5. at most 31 x 24 hours (exactly 31 days is allowed)
  if (compareInstants(start, end) >= 0) throw invalidArgument('start_time must be before end_time')
  const spanMs = end.ms - start.ms
  if (spanMs > MAX_WINDOW_MS || (spanMs === MAX_WINDOW_MS && end.subNs > start.subNs))
    throw invalidArgument('end_time must not be more than 31 days after start_time')
  // 6. time zone: empty or absent is UTC [real]
  const timezone = timezoneText || 'UTC'
  if (!isKnownZone(timezone)) throw invalidArgument(`invalid timezone ${show(timezone)}: must be an IANA time zone such as America/Los_Angeles`)
  // 7, 8. dimensions exist, and belong to an explicit usage type's stream; 9. duplicates once
  const groupBy = [...new Set(params.values.get('group_by') ?? [])]
  checkDimensions(groupBy, [...filters.keys()], usageType)

  const streams: Stream[] = usageType === 'USAGE_TYPE_UNSPECIFIED' ? ['serverless', 'dedicated', 'training'] : [STREAM_OF[usageType]]
  return {
    query: { start, end, fromMs: ceilMs(start), toMs: ceilMs(end), usageType, streams, timezone, groupBy, filters },
    ignored: params.ignored,
  }
}

/** What one stream does with a query: its grouping and filters, other streams' dimensions dropped. */
export interface StreamPlan {
  stream: Stream
  groupBy: string[]
  filters: [string, Set<string>][]
}

export function planFor(query: UsageQuery, stream: Stream): StreamPlan {
  // [real] dimensions of other streams are ignored; [ours] defaults only when groupBy is empty.
  const groupBy = query.groupBy.length === 0 ? [...DEFAULT_GROUP_BY[stream]] : query.groupBy.filter(d => appliesTo(stream, d))
  const filters = [...query.filters]
    .filter(([d]) => appliesTo(stream, d))
    .map(([d, vs]): [string, Set<string>] => [d, new Set(vs)])
  return { stream, groupBy, filters }
}
