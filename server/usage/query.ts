// billingUsage query parameters -> UsageQuery, with the validation order of contract 1.3.
// The input is the object qs produced (dots in keys kept literal); nothing here knows HTTP.

import {
  dimensionNotOfUsageType,
  filterEntryNotMap,
  filterEntryUnknownField,
  filterNotMap,
  filterValuesNotList,
  startNotBeforeEnd,
  unknownDimension,
  unknownEnumValue,
  unknownZone,
  windowTooLong,
} from '../messages.js'
import { allDimensions, allStreams, usageTypes } from '../streams/registry.js'
import type { StreamSpec } from '../model/stream.js'
import { ceilMs, compareInstants, type Instant } from '../time.js'
import { readParams, requiredWindow, scalar, stringsOf } from './params.js'
import { longerThanAllowed, MAX_WINDOW_DAYS } from './window.js'
import { isKnownZone, zoneHint } from './zones.js'

const UNSPECIFIED = 'USAGE_TYPE_UNSPECIFIED'

export interface UsageQuery {
  start: Instant
  end: Instant
  /** Whole-millisecond bounds: records with fromMs <= t < toMs are in the window. */
  fromMs: number
  toMs: number
  /** [real] USAGE_TYPE_UNSPECIFIED (every stream) or one stream's usage type. */
  usageType: string
  streams: readonly StreamSpec[]
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

function parseFilter(value: unknown): Map<string, string[]> {
  const filters = new Map<string, string[]>()
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw filterNotMap()
  for (const [dimension, entry] of Object.entries(value as Record<string, unknown>)) {
    const where = `filter[${dimension}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw filterEntryNotMap(where)
    for (const field of Object.keys(entry)) if (field !== 'values') throw filterEntryUnknownField(where, field)
    let values = (entry as { values: unknown }).values
    // qs turns indexed forms (values[0]=a&values[1]=b) into an array, or into an object past
    // its array limit; accept both, in index order.
    if (typeof values === 'object' && values !== null && !Array.isArray(values)) {
      const entries = Object.entries(values as Record<string, unknown>)
      if (!entries.every(([k]) => /^\d+$/.test(k))) throw filterValuesNotList(where)
      values = entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v)
    }
    filters.set(dimension, [...new Set(stringsOf(`${where}[values]`, values))])
  }
  return filters
}

/** [real] the enum by name, or [gw] by its number as a string. */
function parseUsageType(text: string | undefined): string {
  const names = usageTypes()
  if (text === undefined) return UNSPECIFIED
  if (names.includes(text)) return text
  if (/^\d$/.test(text) && Number(text) < names.length) return names[Number(text)] as string
  throw unknownEnumValue('usage_type', text, names)
}

const appliesTo = (spec: StreamSpec, dimension: string) => Object.hasOwn(spec.dimensions, dimension)

function checkDimensions(
  groupBy: string[],
  filters: string[],
  streams: readonly StreamSpec[],
  usageType: string,
): void {
  const named: (readonly ['group_by' | 'filter', string])[] = [
    ...groupBy.map(d => ['group_by', d] as const),
    ...filters.map(d => ['filter', d] as const),
  ]
  // 7. every dimension exists in some stream
  const all = allDimensions()
  for (const [kind, d] of named) if (!all.includes(d)) throw unknownDimension(kind, d, all)
  // 8. with an explicit usage type, every dimension belongs to its stream
  if (usageType === UNSPECIFIED) return
  for (const [kind, d] of named)
    if (!streams.every(s => appliesTo(s, d))) throw dimensionNotOfUsageType(kind, d, usageType)
}

const ALL_FIELDS = ['start_time', 'end_time', 'usage_type', 'timezone', 'group_by', 'filter']

export function parseUsageQuery(raw: Record<string, unknown>, options: ParseOptions = {}): ParsedUsageQuery {
  const params = readParams(raw, options.fields ?? ALL_FIELDS, options.strictParams)
  const usageTypeText = scalar(params, 'usage_type')
  const timezoneText = scalar(params, 'timezone')
  const filters =
    params.filter === undefined || options.applyFilters === false
      ? new Map<string, string[]>()
      : parseFilter(params.filter)

  // 1. required, 2. parseable
  const { start, end } = requiredWindow(params)
  // 3. usage type
  const usageType = parseUsageType(usageTypeText)
  // 4. order, 5. at most 31 x 24 hours (exactly 31 days is allowed)
  if (compareInstants(start, end) >= 0) throw startNotBeforeEnd('start_time', 'end_time')
  if (longerThanAllowed(start, end)) throw windowTooLong('start_time', 'end_time', MAX_WINDOW_DAYS)
  // 6. time zone: empty or absent is UTC [real]
  const timezone = timezoneText || 'UTC'
  if (!isKnownZone(timezone)) throw unknownZone(timezone, zoneHint(timezone))
  // 7, 8. dimensions exist, and belong to an explicit usage type's stream; 9. duplicates once
  const groupBy = [...new Set(params.values.get('group_by') ?? [])]
  const streams = usageType === UNSPECIFIED ? allStreams() : allStreams().filter(s => s.usageType === usageType)
  checkDimensions(groupBy, [...filters.keys()], streams, usageType)

  return {
    query: { start, end, fromMs: ceilMs(start), toMs: ceilMs(end), usageType, streams, timezone, groupBy, filters },
    ignored: params.ignored,
  }
}
