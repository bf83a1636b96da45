// The rows of the billingUsage answer as JSON bytes, written from a stream's row fields
// (stream.ts) exactly as JSON.stringify would write the row objects, encoded as UTF-8, in one
// pass (the answer is most of what the server sends; see json-bytes.ts).

import type { UsageRecord } from '../model/records.js'
import type { AggregateField, Aggregate, RowField, StreamPlan, StreamSpec } from '../model/stream.js'
import { CHAR, JsonBytes } from './json-bytes.js'
import { exactTotal, fieldsOf, fieldValue, int64 } from '../streams/stream.js'

/** Writes one row of a plan's answer into `out`. */
export type RowWriter<R extends UsageRecord> = (out: JsonBytes, aggregate: Aggregate<R>) => void

/**
 * A field's text in a row: a comma, its key and its value (an int64 as a string of digits);
 * nothing for a value JSON.stringify leaves out of an object (undefined, a function, a symbol).
 */
function fieldText<R extends UsageRecord>(field: RowField<R>, value: unknown): string {
  const text = JSON.stringify(field.kind === 'int64' ? int64(value as number) : value) as string | undefined
  return text === undefined ? '' : `,${JSON.stringify(field.name)}:${text}`
}

/**
 * Encoded pieces kept across answers, by the object they were encoded for: a bucket (the lists
 * of a window's buckets are remembered, buckets.ts) or a group's values array (kept with the
 * hourly sums that hold it), then by the run's fields and the stream (a bucket) or the plan's
 * identity (a group). Both objects come back from question to question; a piece goes when its
 * object does.
 */
type Pieces = Map<string, { split: string; bytes: Uint8Array }>
const kept = new WeakMap<object, Pieces>()

/**
 * How rows of this plan are written: its fields chosen once, then a row per aggregate. Every
 * field is written with a comma before it, and the row's first comma becomes its opening brace.
 * A value of undefined is left out, as JSON.stringify leaves out such a property; an int64 field
 * always has a value.
 *
 * Most of a row repeats: consecutive fields with the same `per` are written as one piece, encoded
 * once per bucket or group (a row of W1 is three pieces and its numbers). Numbers are written as
 * they come; a text once per value and writer, an object every time.
 */
export function rowWriter<R extends UsageRecord>(spec: StreamSpec<R>, plan: StreamPlan<R>): RowWriter<R> {
  const parts: RowWriter<R>[] = []
  const fields = fieldsOf(spec, plan)
  for (let i = 0; i < fields.length;) {
    const field = fields[i] as RowField<R>
    const { per } = field
    if (per) {
      let j = i + 1
      while (j < fields.length && fields[j]?.per === per) j++
      parts.push(pieceWriter(fields.slice(i, j), per, plan))
      i = j
    } else {
      parts.push(fieldWriter(field, plan))
      i++
    }
  }
  return (out, aggregate) => {
    const start = out.length
    for (const part of parts) part(out, aggregate)
    if (out.length === start) out.byte(CHAR.leftBrace)
    else out.setByte(start, CHAR.leftBrace)
    out.byte(CHAR.rightBrace)
  }
}

/** A run of fields with the same `per`, as one piece per bucket or group. */
function pieceWriter<R extends UsageRecord>(
  run: RowField<R>[],
  per: 'bucket' | 'group',
  plan: StreamPlan<R>,
): RowWriter<R> {
  // The stream too: a field's name does not say how another stream computes it. A bucket's piece
  // reads the bucket alone: without the plan, a bucket keeps one piece per stream, not one per
  // plan a client ever asked for. A group's piece is the plan's (its identity, usage/plan.ts).
  const fields = `${per}|${run.map(f => f.name).join(',')}`
  const signature = per === 'bucket' ? `${plan.spec.kind}|${fields}` : `${plan.key}|${fields}`
  const encode = (a: Aggregate<R>) => Buffer.from(run.map(f => fieldText(f, fieldValue(f, a, plan))).join(''))
  const piece = (a: Aggregate<R>): Uint8Array => {
    const owner = per === 'bucket' ? a.bucket : a.group
    // The split is part of what names a group; a bucket's piece does not depend on it.
    const split = per === 'bucket' ? '' : a.split
    let pieces = kept.get(owner)
    if (!pieces) kept.set(owner, (pieces = new Map() as Pieces))
    let known = pieces.get(signature)
    if (known?.split !== split) pieces.set(signature, (known = { split, bytes: encode(a) }))
    return known.bytes
  }
  // In front of the kept pieces, this answer's, without a lookup by object: a row asks for one.
  if (per === 'bucket') {
    const byBucket: Uint8Array[] = []
    return (out, a) => out.bytes((byBucket[a.bucketIndex] ??= piece(a)))
  }
  const byGroup = new Map<readonly string[], { split: string; bytes: Uint8Array }>()
  return (out, a) => {
    let known = byGroup.get(a.group)
    if (known?.split !== a.split) byGroup.set(a.group, (known = { split: a.split, bytes: piece(a) }))
    out.bytes(known.bytes)
  }
}

/** A field asked of every row. */
function fieldWriter<R extends UsageRecord>(field: AggregateField<R>, plan: StreamPlan<R>): RowWriter<R> {
  const key = Buffer.from(`,${JSON.stringify(field.name)}:${field.kind === 'int64' ? '"' : ''}`)
  if (field.kind === 'int64')
    return (out, a) => {
      out.bytes(key)
      out.number(exactTotal(field.value(a, plan) as number))
      out.byte(CHAR.quote)
    }
  if (field.kind === 'number')
    return (out, a) => {
      const value = field.value(a, plan)
      if (typeof value !== 'number') out.text(fieldText(field, value))
      else {
        out.bytes(key)
        out.number(value)
      }
    }
  const encoded = new Map<string, Uint8Array>()
  return (out, a) => {
    const value = field.value(a, plan)
    // A text repeats (a deployment's placement on each of its rows); an object is made per row.
    if (typeof value !== 'string') {
      out.text(fieldText(field, value))
      return
    }
    let bytes = encoded.get(value)
    if (!bytes) encoded.set(value, (bytes = Buffer.from(fieldText(field, value))))
    out.bytes(bytes)
  }
}
