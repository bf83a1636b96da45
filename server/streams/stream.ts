// What a stream of usage is (serverless inference, dedicated deployments, training jobs, ...):
// one description per stream, in one file each, which every other part reads. Fixtures take
// its fields, the generator fills its quantities, the aggregation engine groups by its
// dimensions and sums its quantities, the serializer asks it for a row, and the billing summary
// asks it for line items. Adding a stream is a new description plus its registration
// (registry.ts).

import { internal } from '../errors.js'
import type { UsageRecord } from '../data/records.js'
import type { Aggregate, StreamPlan } from '../usage/aggregate.js'

/**
 * A fixture field's type: text, a non-negative integer, non-negative seconds, or one of a list
 * ('' is the same as omitted: the list's default if it has one, else unknown).
 */
export type FieldType = 'string' | 'count' | 'seconds' | { oneOf: readonly string[]; default?: string }

/** A row of the billingUsage answer, in proto-JSON shape. */
export type JsonRow = Record<string, unknown>

/**
 * How a row's field is written: a JSON string, an int64 (a JSON string of digits [real]), a
 * number, or any JSON value (an object).
 */
export type JsonKind = 'string' | 'int64' | 'number' | 'json'

/** A field of a row: its name, how it is written, and its value for an aggregate. */
export interface RowField<R extends UsageRecord> {
  name: string
  kind: JsonKind
  value(aggregate: Aggregate<R>, plan: StreamPlan<R>): unknown
  when?(plan: StreamPlan<R>): boolean
  /**
   * The value is the same for every row of a bucket (it reads only `bucket`) or of a group (it
   * reads only `group`, `split` and the plan): the row writer writes it once per answer. Without
   * it, the value is asked of every row.
   */
  per?: 'bucket' | 'group'
}

/** The row's bounds [ours]: the bucket's local day clipped to the window, in UTC, formatted once. */
export const BOUNDS_FIELDS: readonly RowField<UsageRecord>[] = [
  { name: 'startTime', kind: 'string', per: 'bucket', value: a => a.bucket.startTime },
  { name: 'endTime', kind: 'string', per: 'bucket', value: a => a.bucket.endTime },
]

/** `group`: the grouping values keyed by the dimension names as requested [ours]. */
export const GROUP_FIELD: RowField<UsageRecord> = {
  name: 'group',
  kind: 'json',
  per: 'group',
  value: (a, plan) => groupObject(plan.groupBy, a.group),
}

/** A field present only when its dimension is a grouping dimension of the plan. */
export const whenGrouped = (dimension: string) => (plan: StreamPlan<never>) => plan.groupBy.includes(dimension)

/** A top-level copy of a grouping value, present only when its dimension is grouped. */
export function groupedValueField(name: string, dimension: string): RowField<UsageRecord> {
  return {
    name,
    kind: 'string',
    per: 'group',
    when: whenGrouped(dimension),
    value: (a, plan) => a.group[plan.groupBy.indexOf(dimension)],
  }
}

/** The fields of a row in this plan. */
export function fieldsOf<R extends UsageRecord>(spec: StreamSpec<R>, plan: StreamPlan<R>): RowField<R>[] {
  return spec.rowFields.filter(f => !f.when || f.when(plan))
}

/**
 * How a record yields a value. (Written as a method, which TypeScript checks bivariantly, so
 * that the description of one stream's records is a description of records.)
 */
export type Accessor<R, T> = { of(record: R): T }['of']

/** An amount each record adds to its group. Integers only, so that sums stay exact. */
export interface Quantity<R> {
  name: string
  of(record: R): number
}

/**
 * A piece of a billing-summary line item, from one aggregate. Pieces with the same names and
 * unit price add up; `perHour` pieces (GPU time) are rated once per line item and day.
 */
export interface LineItemPiece {
  category: string
  grouping: readonly [key: string, value: string]
  secondary: readonly [key: string, value: string]
  /** Nano-USD per unit of quantity (per hour for perHour pieces). */
  unitNano: number
  /** The quantity times `scale` is an integer: tokens, microseconds of audio, seconds of GPU. */
  quantity: number
  scale: number
  /** Exact nano-USD; absent for perHour pieces, which are rated when the day closes. */
  nano?: number
  perHour?: boolean
}

export interface StreamSpec<R extends UsageRecord = UsageRecord> {
  /** The record kind in fixture files, and the stream's key in filter options. */
  kind: string
  /** The request's usage_type value that selects this stream alone, and the summary's series. */
  usageType: string
  /** The billingUsage answer's array of this stream's rows. */
  rowsField: string
  /**
   * The record's own fixture fields besides kind, account, time and annotations, in the order
   * exports write them. Omitted: '' for text, 0 for numbers, a list's default (or '').
   */
  fields: Readonly<Record<string, FieldType>>
  /**
   * Rules across fields of a fixture entry, each problem to `problem`; `given(field)` tells
   * whether a field was given with a valid value (an omitted one has its default).
   */
  check?(
    entry: Readonly<Record<string, unknown>>,
    problem: (field: string, text: string) => void,
    given: (field: string) => boolean,
  ): void
  /** Completes a record from a fixture entry, e.g. a cost rated from the price list when omitted. */
  complete?(record: R, entry: Readonly<Record<string, unknown>>): R
  /** GROUP BY and filter dimensions, and how a record yields each one's value [contract 1.4]. */
  dimensions: Readonly<Record<string, Accessor<R, string>>>
  /** The grouping when `groupBy` is empty [real]. */
  defaultGroupBy: readonly string[]
  /** What a record adds up, in the order of an aggregate's sums. */
  quantities: readonly Quantity<R>[]
  /** The inverse, for exports: a record of the same series at `time` holding these sums. */
  recordAt(template: R, time: number, sums: readonly number[]): R
  /**
   * Usage still arriving [costs-and-accounts.md section 4]: a record's amounts (quantity q at
   * amounts[at + q]) when `units` / ARRIVAL_UNITS of it has arrived, into `out`. Without it,
   * every amount is rounded down (partOf). Either way the visible part is itself a record of the
   * stream, which obeys the stream's rules, and no amount decreases as more arrives.
   */
  partial?(template: R, amounts: ArrayLike<number>, at: number, units: number, out: number[]): void
  /** Rows are also split by this value, since a row carries one (serverless usage types). */
  split?(record: R): string
  /**
   * The fields of a row of one group and day [contract 1.6], in order: how each is computed and
   * written. A field with `when` is present only in some plans (deprecated fields, attributes of
   * a grouped dimension).
   */
  rowFields: readonly RowField<R>[]
  /** The billing summary [contract 2]: each day's aggregates of `groupBy`, rated into pieces. */
  summary: { groupBy: readonly string[]; lineItems(aggregate: Aggregate<R>): LineItemPiece[] }
}

/** A record's amounts, in the stream's quantity order. */
export function measure<R extends UsageRecord>(spec: StreamSpec<R>, record: R): number[] {
  return spec.quantities.map(q => q.of(record))
}

/** How finely usage arrives: a record's visible part is a number of 1/1024ths of it. */
export const ARRIVAL_UNITS = 1024

/**
 * floor(q x units / ARRIVAL_UNITS), exact for every safe integer q: q x units is exact below
 * 2^53 (and dividing by a power of two always is); above, q is split into its multiple of
 * ARRIVAL_UNITS and the rest.
 */
export function partOf(q: number, units: number): number {
  return q <= EXACT_PRODUCT
    ? Math.floor((q * units) / ARRIVAL_UNITS)
    : Math.floor(q / ARRIVAL_UNITS) * units + Math.floor(((q % ARRIVAL_UNITS) * units) / ARRIVAL_UNITS)
}
const EXACT_PRODUCT = Number.MAX_SAFE_INTEGER / ARRIVAL_UNITS

/**
 * A record's amounts (quantity q at amounts[at + q]) when `units` / ARRIVAL_UNITS of it has
 * arrived, into `out` (returned).
 */
export function visiblePart<R extends UsageRecord>(
  spec: StreamSpec<R>,
  template: R,
  amounts: ArrayLike<number>,
  at: number,
  units: number,
  out: number[],
): number[] {
  if (spec.partial) spec.partial(template, amounts, at, units, out)
  else for (let q = 0; q < spec.quantities.length; q++) out[q] = partOf(amounts[at + q] as number, units)
  return out
}

/** The annotation dimensions every stream has; '' for a record without that annotation. */
export const ANNOTATION_DIMENSIONS = {
  'annotations.team': (r: UsageRecord) => r.annotations.team,
  'annotations.project': (r: UsageRecord) => r.annotations.project,
  'annotations.environment': (r: UsageRecord) => r.annotations.environment,
} as const

/** int64 as a JSON string [real]; refuses a sum that a double no longer holds exactly. */
export function int64(n: number): string {
  return String(exactTotal(n))
}

/** A usage total that a double holds exactly, or an internal error: never a rounded number. */
export function exactTotal(n: number): number {
  if (!Number.isSafeInteger(n)) throw internal(`a usage total (${n}) exceeds 2^53 and cannot be summed exactly`)
  return n
}

/** `group`: the grouping values keyed by the dimension names as requested [ours]. */
export function groupObject(groupBy: readonly string[], values: readonly string[]): Readonly<Record<string, string>> {
  // An aggregate's group values are one array shared by all its buckets' rows: so is the object.
  const known = groups.get(values)
  if (known?.groupBy === groupBy) return known.group
  const group: Record<string, string> = {}
  for (let i = 0; i < values.length; i++) group[groupBy[i] as string] = values[i] as string
  groups.set(values, { groupBy, group })
  return group
}
const groups = new WeakMap<readonly string[], { groupBy: readonly string[]; group: Record<string, string> }>()
