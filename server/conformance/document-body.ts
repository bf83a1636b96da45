// The validated view of a 200 answer: a probe reads a body only once it matches the published
// document (openapi/fireworks-usage.yaml, the contract), so no probe reads a field that is
// missing or of another type, and an answer it cannot read is a difference naming what it got.
// The document is read as shape.schema reports it: two drifts are read leniently, each reported
// by one probe of its own: int64 values sent as JSON numbers (shape.int64-strings) and a stream's
// array left out (shape.three-arrays; proto3 JSON may leave out an empty repeated field). A field
// the document does not list is [ours] news (shape.schema), not a reason to stop reading.

import { responseCheck, responseSchemaPointers, type ResponseCheck } from '../contract.js'
import { excerpt, shown, type Exchange, type Operation, type Scope } from './probe.js'
import {
  ARRAY_OF,
  INT64_REF,
  readInt64,
  rowsOf,
  schemaAt,
  STREAMS,
  type Json,
  type Row,
  type Stream,
} from './usage-body.js'

export const DOCUMENT = 'openapi/fireworks-usage.yaml'

/** Each operation's method and path as server/contract.ts reads them (`::` is a literal colon). */
const DOCUMENT_PATH: Record<Operation, readonly [method: 'GET' | 'POST', path: string]> = {
  billingUsage: ['GET', '/v1/accounts/{account_id}/billingUsage'],
  'billing/summary': ['GET', '/v1/accounts/{account_id}/billing/summary'],
  accountUsageFilterOptions: ['GET', '/v1/accounts/{account_id}/accountUsageFilterOptions'],
  accounts: ['GET', '/v1/accounts'],
  account: ['GET', '/v1/accounts/{account_id}'],
  'usageCosts:query': ['POST', '/v1/accounts/{account_id}/usageCosts::query'],
}

export function responseSchema(operation: Operation): Json {
  return schemaAt((responseSchemaPointers(...DOCUMENT_PATH[operation]) as Record<string, string>)['200'] as string)
}

/** A copy of `value` in which every int64 position (by the schema) is replaced by `map`'s result. */
export function mapInt64(
  schema: Json,
  value: unknown,
  path: string,
  map: (path: string, value: unknown) => unknown,
): unknown {
  if (schema.$ref === INT64_REF) return map(path, value)
  if (typeof schema.$ref === 'string') return mapInt64(schemaAt(schema.$ref), value, path, map)
  if (Array.isArray(value))
    return schema.items ? value.map((v, i) => mapInt64(schema.items as Json, v, `${path}/${i}`, map)) : value
  if (typeof value !== 'object' || value === null) return value
  const properties = (schema.properties ?? {}) as Record<string, Json>
  const rest = typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as Json) : undefined
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const sub = properties[key] ?? rest
      return [key, sub ? mapInt64(sub, v, `${path}/${key}`, map) : v]
    }),
  )
}

/** `a; b; c; and 2 more`. */
export const firstFew = (items: string[]) =>
  items.length > 3 ? `${items.slice(0, 3).join('; ')}; and ${items.length - 3} more` : items.join('; ')

/** The value at a JSON pointer (`/a/0/b`) of a body, or undefined. */
function valueAt(body: unknown, pointer: string): unknown {
  if (pointer === '/') return body // contract.ts writes the root as /
  return pointer
    .split('/')
    .slice(1)
    .map(key => key.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Json)[key] : undefined), body)
}

export interface DocumentProblems {
  /** Where the body departs from the document, each naming the place (and the value got). */
  violations: string[]
  /** Fields the document does not list [ours]. */
  extra: string[]
}

const checks = new Map<Operation, ResponseCheck>()
const seen = new WeakMap<Exchange, DocumentProblems>()

/** How a 200 answer departs from the document, read leniently as above (computed once per answer). */
export function documentProblems(exchange: Exchange): DocumentProblems {
  const known = seen.get(exchange)
  if (known) return known
  const { json, text } = exchange.answer
  const problems: DocumentProblems = { violations: [], extra: [] }
  if (json === undefined) problems.violations.push(`not JSON: ${text === '' ? 'an empty body' : excerpt(text)}`)
  else {
    let check = checks.get(exchange.operation)
    if (!check) {
      check = responseCheck(...DOCUMENT_PATH[exchange.operation]) as ResponseCheck
      checks.set(exchange.operation, check)
    }
    // A body that matches as sent needs no lenient reading (its copy costs more than the check).
    let found = check(200, json)
    if (found !== null) {
      let body = mapInt64(responseSchema(exchange.operation), json, '', (_, v) =>
        typeof v === 'number' ? String(v) : v,
      )
      if (exchange.operation === 'billingUsage' && typeof body === 'object' && body !== null && !Array.isArray(body))
        body = { ...Object.fromEntries(STREAMS.map(s => [ARRAY_OF[s], []])), ...body }
      found = check(200, body)
    }
    for (const problem of found?.split('; ') ?? []) {
      if (problem.includes('must NOT have additional properties')) problems.extra.push(problem)
      else {
        // "/serverlessCosts/0/startTime must be string": the value got, from the body as sent.
        const at = /^(\/\S*) must (be|match)/.exec(problem)?.[1]
        problems.violations.push(at === undefined ? problem : `${problem}, got ${shown(valueAt(json, at))}`)
      }
    }
  }
  seen.set(exchange, problems)
  return problems
}

/** Whether an answer can be read: it matches the document (leniently). */
export const matchesDocument = (exchange: Exchange) => documentProblems(exchange).violations.length === 0

/** A 200 answer the probe reads must match the document [real]; otherwise the probe ends there. */
export function requireDocumentBody(scope: Scope, exchange: Exchange): void {
  const { violations } = documentProblems(exchange)
  if (violations.length)
    scope.require(
      'real',
      `the answer matches ${DOCUMENT}`,
      `the body the document describes for ${exchange.operation}`,
      `${firstFew(violations)} in ${exchange.line}`,
      false,
    )
}

/** The rows of each stream of a 200 billingUsage answer, once it matches the document. */
export function usageRows(scope: Scope, exchange: Exchange): Record<Stream, Row[]> {
  requireDocumentBody(scope, exchange)
  return Object.fromEntries(STREAMS.map(s => [s, rowsOf(exchange.answer.json, s)])) as Record<Stream, Row[]>
}

/** The rows of a valid billingUsage request: a 200 [real] matching the document [real]. */
export function readUsage(scope: Scope, exchange: Exchange): Record<Stream, Row[]> {
  scope.require200(exchange)
  return usageRows(scope, exchange)
}

/** google.type.Money, as the document describes it. */
export interface Money {
  currencyCode: string
  units: string | number
  nanos: number
}
/** google.type.Money in nanos; null when unreadable (units beyond 2^53 as a number). */
export function nanosOf(m: Money): bigint | null {
  const units = readInt64(m.units)
  return units === null ? null : units * 1_000_000_000n + BigInt(m.nanos)
}

/** billing/summary's 200 body, once it matches the document. */
export interface SummaryBody {
  lineItems: { series: string; totalCost: Money }[]
}
/** accountUsageFilterOptions's 200 body, once it matches the document: dimension -> values, per stream. */
export type FilterOptionsBody = Record<Stream, Record<string, string[]>>
/** gatewayAccount, once it matches the document (a readMask may leave any field out). */
export type AccountBody = Record<string, unknown> & { name?: string }
/** GET /v1/accounts's 200 body, once it matches the document. */
export interface AccountsBody {
  accounts: AccountBody[]
  nextPageToken?: string
  totalSize: number
}
/** usageCosts:query's 200 body, once it matches the document. */
export interface CostsBody {
  rows: { dimensions: { startTime?: string; model?: string; [dimension: string]: unknown }; subtotal: Money }[]
  subtotal: Money
  nextPageToken: string
}
