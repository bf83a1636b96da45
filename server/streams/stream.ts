// What the stream descriptions share (their types are the vocabulary's, model/stream.ts): the
// row fields every stream has, a record's amounts, the part of a record still arriving, exact
// int64 totals. Adding a stream is a new description plus its registration (registry.ts).

import { usageTotalTooLarge } from '../messages.js'
import type { UsageRecord } from '../model/records.js'
import type { Aggregate, StreamPlan, RowField, StreamSpec } from '../model/stream.js'

/** The row's bounds [ours]: the bucket's local day clipped to the window, in UTC, formatted once. */
export const BOUNDS_FIELDS: readonly RowField<UsageRecord>[] = [
  { name: 'startTime', kind: 'string', per: 'bucket', value: b => b.startTime },
  { name: 'endTime', kind: 'string', per: 'bucket', value: b => b.endTime },
]

/** `group`: the grouping values keyed by the dimension names as requested [ours]. */
export const GROUP_FIELD: RowField<UsageRecord> = {
  name: 'group',
  kind: 'json',
  per: 'group',
  value: (g, plan) => groupObject(plan.groupBy, g.group),
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
    value: (g, plan) => g.group[plan.groupBy.indexOf(dimension)],
  }
}

/** A field's value for an aggregate: the field reads what its type says (its bucket, its group, or all of it). */
export function fieldValue<R extends UsageRecord>(field: RowField<R>, a: Aggregate<R>, plan: StreamPlan<R>): unknown {
  if (field.per === 'bucket') return field.value(a.bucket)
  return field.value(a, plan)
}

/** The fields of a row in this plan. */
export function fieldsOf<R extends UsageRecord>(spec: StreamSpec<R>, plan: StreamPlan<R>): RowField<R>[] {
  return spec.rowFields.filter(f => !f.when || f.when(plan))
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
  if (!Number.isSafeInteger(n)) throw usageTotalTooLarge(n)
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
