// What a stream of usage is (serverless inference, dedicated deployments, training jobs, ...):
// the description each stream gives of itself (streams/), which every other part reads. Fixtures
// take its fields, the generator fills its quantities, the aggregation engine groups by its
// dimensions and sums its quantities, the serializer asks it for a row, and the billing summary
// asks it for line items. And a question of one stream (its plan) with what the engine answers
// (aggregates: one group's sums over one bucket). Types only: the vocabulary every layer shares
// imports nothing of ours but itself.

import type { Bucket } from './bucket.js'
import type { Annotations, UsageRecord } from './records.js'

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

/** What a group's fields may read: its values (in the plan's groupBy order) and its split. */
export interface GroupOf {
  readonly group: readonly string[]
  readonly split: string
}

interface FieldOf<R extends UsageRecord> {
  name: string
  kind: JsonKind
  /** Present only in some plans (deprecated fields, attributes of a grouped dimension). */
  when?(plan: StreamPlan<R>): boolean
}

/** A field the same for every row of a bucket: it reads the bucket alone, and is encoded once per bucket. */
export interface BucketField<R extends UsageRecord> extends FieldOf<R> {
  per: 'bucket'
  value(bucket: Bucket): unknown
}

/** A field the same for every row of a group: it reads the group and the plan, and is encoded once per group. */
export interface GroupField<R extends UsageRecord> extends FieldOf<R> {
  per: 'group'
  value(group: GroupOf, plan: StreamPlan<R>): unknown
}

/** A field asked of every row: it may read the whole aggregate (its sums, its latest record). */
export interface AggregateField<R extends UsageRecord> extends FieldOf<R> {
  per?: undefined
  value(aggregate: Aggregate<R>, plan: StreamPlan<R>): unknown
}

/**
 * A field of a row: its name, how it is written, and its value, typed by what it reads, so that
 * what the row writer may encode once (per bucket, per group) follows from the type.
 */
export type RowField<R extends UsageRecord> = BucketField<R> | GroupField<R> | AggregateField<R>

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
 * Each quantity's place in the stream's amounts (a record's, an aggregate's sums), by name:
 * placesOf(QUANTITIES).promptTokens. A stream declares its quantities once, in order; everything
 * else reads them by name, so that reordering them is safe and a misspelt name a type error.
 */
export function placesOf<const T extends readonly { name: string }[]>(
  quantities: T,
): { readonly [K in T[number]['name']]: number } {
  return Object.freeze(Object.fromEntries(quantities.map((q, i) => [q.name, i]))) as {
    readonly [K in T[number]['name']]: number
  }
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

/**
 * Receives records series by series: `begin` with the series' constant fields (a record whose
 * time and quantities are placeholders), then `add` for each record of the series, with its
 * time and its amounts in the stream's quantity order. `begin` returning false skips the
 * series, so a filtered-out series costs nothing. The amounts array is reused: copy what you keep.
 */
export interface SeriesVisitor<R> {
  begin(template: R): boolean
  add(time: number, amounts: readonly number[]): void
}

/** One account of the synthetic world, as a stream plans its series from it. */
export interface SyntheticPlanning {
  account: string
  /** The account's keys, and the hours they exist ([createdHour, revokedHour)). */
  keys: readonly { id: string; name: string; annotations: Annotations; createdHour: number; revokedHour: number }[]
  /** The world's first hour (hours since the epoch). */
  startHour: number
  /** Multiplies the series of every account (WORLD_SCALE). */
  multiplier: number
  /** A pure function of (seed, account, what, index): the root of every draw of one entity. */
  entity(what: string, index: number): number
}

/**
 * The synthetic records of a stream, brought in the stream's own file: its series of an account,
 * planned once when the world is built, and their records for any range of hours, each a pure
 * function of the series and the hour (so a window of any age costs the same, and the hourly
 * sums may keep them). Written as methods, checked bivariantly, so that a stream's own series type
 * is a series.
 */
export interface SyntheticStream<R> {
  plan(account: SyntheticPlanning): unknown
  visit(series: unknown, fromHour: number, toHour: number, v: SeriesVisitor<R>): void
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
  /**
   * The stream's synthetic records (a built-in stream's are in data/synthetic/emit.ts). Without
   * it, and without a built-in generator, the stream has fixture records only.
   */
  synthetic?: SyntheticStream<R>
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

/** What one stream does with a query: its grouping and filters, other streams' dimensions dropped. */
export interface StreamPlan<R extends UsageRecord = UsageRecord> {
  spec: StreamSpec<R>
  groupBy: readonly string[]
  /** Dimension -> accepted values (OR); dimensions are ANDed. */
  filters: readonly (readonly [dimension: string, values: ReadonlySet<string>])[]
  /** What names the plan: the stream, the grouping and the filters (usage/plan.ts makes every plan). */
  key: string
}

export interface Aggregate<R extends UsageRecord = UsageRecord> {
  bucket: Bucket
  bucketIndex: number
  /** The grouping values, in the plan's groupBy order. */
  group: readonly string[]
  /** The stream's split value (serverless: the usage type), '' for a stream without one. */
  split: string
  /** In the stream's quantity order. */
  sums: number[]
  /** How many records the sums hold. */
  records: number
  /** The latest record of the group (a later input wins a tie): the source of attributes such as
   *  a deployment's placement, which are not grouping dimensions themselves [ours]. */
  latest: R
  latestTime: number
}

export interface Window {
  fromMs: number
  toMs: number
  /** Nothing exists at or after now. */
  nowMs: number
}
