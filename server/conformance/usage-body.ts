// Reading billingUsage answers: the three streams, their rows, their quantities and sums.
// Which fields are quantities, and which are int64, comes from the published document
// (openapi/fireworks-usage.yaml): a field added there is summed and checked here too.

import { contractDocument } from '../contract.js'
import { streamOf } from '../streams/registry.js'
import type { StreamSpec } from '../model/stream.js'

/** The real API's three streams [real]; what the mock knows of each is its own description. */
export const STREAMS = ['serverless', 'dedicated', 'training'] as const
export type Stream = (typeof STREAMS)[number]
function perStream<T>(of: (spec: StreamSpec) => T): Record<Stream, T> {
  const spec = (stream: Stream) => streamOf(stream) as StreamSpec
  return { serverless: of(spec('serverless')), dedicated: of(spec('dedicated')), training: of(spec('training')) }
}

/** [real] The response array of each stream (contract 1.6) and its usageType (1.2). */
export const ARRAY_OF = perStream(s => s.rowsField)
export const USAGE_TYPE_OF = perStream(s => s.usageType)
/** [real] Each stream's dimensions and its grouping when groupBy is empty (contract 1.4). */
export const DIMENSIONS = perStream<readonly string[]>(s => Object.keys(s.dimensions))
export const DEFAULT_GROUP_BY = perStream(s => s.defaultGroupBy)

export interface Row {
  startTime?: unknown
  endTime?: unknown
  group?: unknown
  [field: string]: unknown
}

export type Json = Record<string, unknown>
export const INT64_REF = '#/components/schemas/Int64'

const nodes = new Map<string, Json>()
/** The document node at a JSON pointer (`/a/b`) or a local $ref (`#/a/b`); remembered, as every value read resolves one. */
export function schemaAt(pointer: string): Json {
  let node = nodes.get(pointer)
  if (!node) {
    node = pointer
      .replace(/^#/, '')
      .slice(1)
      .split('/')
      .map(key => key.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((n, key) => (n as Json)?.[key], contractDocument()) as Json
    nodes.set(pointer, node)
  }
  return node
}

/** The row schema of a stream, as the document's gatewayAccountUsage names it. */
function rowSchema(stream: Stream): Json {
  const usage = schemaAt('#/components/schemas/gatewayAccountUsage')
  const items = ((usage.properties as Json)[ARRAY_OF[stream]] as Json).items as Json
  return schemaAt(items.$ref as string)
}

export interface Quantities {
  /** int64 fields (JSON strings), summed exactly. */
  int64: string[]
  /** double fields (JSON numbers). */
  double: string[]
}

const quantityCache = new Map<Stream, Quantities>()
/** The summable fields of a stream's rows, from the document. */
export function quantitiesOf(stream: Stream): Quantities {
  let q = quantityCache.get(stream)
  if (!q) {
    const properties = rowSchema(stream).properties as Record<string, Json>
    q = {
      int64: Object.keys(properties).filter(f => properties[f]?.$ref === INT64_REF),
      double: Object.keys(properties).filter(f => properties[f]?.type === 'number'),
    }
    quantityCache.set(stream, q)
  }
  return q
}

export function rowsOf(body: unknown, stream: Stream): Row[] {
  const rows = (body as Json | undefined)?.[ARRAY_OF[stream]]
  return Array.isArray(rows) ? (rows as Row[]) : []
}

export function groupOf(row: Row): Record<string, string> {
  return typeof row.group === 'object' && row.group !== null ? (row.group as Record<string, string>) : {}
}

/** An int64 read leniently (a string, or a number from a drifted server); null if unreadable. */
export function readInt64(value: unknown): bigint | null {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  return null
}

/** Per-field totals of a stream: exact for int64, floating for doubles. */
export type Sums = Map<string, bigint | number | null>

export function sumRows(rows: readonly Row[], stream: Stream): Sums {
  const { int64, double } = quantitiesOf(stream)
  const sums: Sums = new Map()
  for (const field of int64) {
    let total: bigint | null = 0n
    for (const row of rows) {
      const v = readInt64(row[field])
      total = total === null || v === null ? null : total + v
    }
    sums.set(field, total)
  }
  for (const field of double)
    sums.set(
      field,
      rows.reduce((s, row) => s + Number(row[field] ?? 0), 0),
    )
  return sums
}

/** Doubles agree when within a billionth of their size, or a thousandth absolute (rounding of sums). */
export function sameQuantity(a: bigint | number | null, b: bigint | number | null): boolean {
  if (a === null || b === null) return false
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b
  const x = Number(a)
  const y = Number(b)
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) + 1e-3
}

const show = (v: bigint | number | null) =>
  v === null ? 'unreadable' : typeof v === 'bigint' ? String(v) : String(Math.round(v * 1e6) / 1e6)

export interface SumDifference {
  field: string
  expected: string
  got: string
}

/** The fields whose sums differ, with both values. */
export function sumDifferences(expected: Sums, got: Sums): SumDifference[] {
  const out: SumDifference[] = []
  for (const [field, value] of expected) {
    const other = got.get(field) ?? null
    if (!sameQuantity(value, other)) out.push({ field, expected: show(value), got: show(other) })
  }
  return out
}

/** `promptTokens 12, completionTokens 3` from the expected or got side of differences. */
export function showDifferences(differences: readonly SumDifference[], side: 'expected' | 'got'): string {
  return differences.map(d => `${d.field} ${d[side]}`).join(', ')
}

/** A row's identity for comparing answers: its bucket and group. */
export function rowKey(row: Row): string {
  const group = groupOf(row)
  const keys = Object.keys(group).sort()
  return `${String(row.startTime)}|${String(row.endTime)}|${typeof row.usageType === 'string' ? row.usageType : ''}|${keys.map(k => `${k}=${group[k]}`).join('|')}`
}
