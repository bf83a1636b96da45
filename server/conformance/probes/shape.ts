// Every 200 answer of the run, read against the published document (responseCheck of
// server/contract.ts: the document is the contract). Each shape rule is reported by one probe:
// int64 encoding by shape.int64-strings, the three arrays by shape.three-arrays, and the rest
// of the document by shape.schema, which reads int64 numbers as strings and missing arrays as
// empty so that no drift is reported twice.

import { responseCheck, responseSchemaPointers } from '../../contract.js'
import type { Exchange, Operation, Probe, Scope } from '../probe.js'
import { ARRAY_OF, INT64_REF, schemaAt, STREAMS, type Json } from '../usage-body.js'

const DOCUMENT_PATH: Record<Operation, string> = {
  billingUsage: '/v1/accounts/{account_id}/billingUsage',
  'billing/summary': '/v1/accounts/{account_id}/billing/summary',
  accountUsageFilterOptions: '/v1/accounts/{account_id}/accountUsageFilterOptions',
}

/** The 200 answers to the user's key on the user's account. */
export function okAnswers(scope: Scope, operation?: Operation): Exchange[] {
  const { session } = scope
  const answers = session.exchanges.filter(
    e =>
      e.credentials === 'key' &&
      e.account === session.account &&
      e.answer.status === 200 &&
      (!operation || e.operation === operation),
  )
  if (answers.length === 0) return scope.notApplicable('no request of this run was answered 200')
  scope.uses(`(the ${answers.length} answers with status 200 of this run)`)
  return answers
}

/** A copy of `value` in which every int64 position (by the schema) is replaced by `map`'s result. */
function mapInt64(schema: Json, value: unknown, path: string, map: (path: string, value: unknown) => unknown): unknown {
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

function responseSchema(operation: Operation): Json {
  return schemaAt((responseSchemaPointers('GET', DOCUMENT_PATH[operation]) as Record<string, string>)['200'] as string)
}

const firstFew = (items: string[]) =>
  items.length > 3 ? `${items.slice(0, 3).join('; ')}; and ${items.length - 3} more` : items.join('; ')

export function shapeProbes(): Probe<unknown>[] {
  return [
    {
      id: 'shape.schema',
      rule: 'every 200 answer matches openapi/fireworks-usage.yaml',
      tag: 'real',
      run: async scope => {
        const violations: string[] = []
        const extra: string[] = []
        for (const exchange of okAnswers(scope)) {
          let body = mapInt64(responseSchema(exchange.operation), exchange.answer.json, '', (_, v) =>
            typeof v === 'number' ? String(v) : v,
          )
          if (exchange.operation === 'billingUsage' && typeof body === 'object' && body !== null)
            body = { ...Object.fromEntries(STREAMS.map(s => [ARRAY_OF[s], []])), ...body }
          const problems =
            exchange.answer.json === undefined
              ? 'not JSON'
              : responseCheck('GET', DOCUMENT_PATH[exchange.operation])?.(200, body)
          for (const problem of problems ? problems.split('; ') : [])
            (problem.includes('must NOT have additional properties') ? extra : violations).push(
              `${exchange.line}: ${problem}`,
            )
        }
        scope.check(
          'real',
          'fields and types',
          'as the document describes',
          violations.length ? firstFew(violations) : 'as described',
          violations.length === 0,
        )
        // The document's schemas are closed by our choice; a field the real API adds is news, not a failure.
        scope.check(
          'ours',
          'no field the document does not list',
          'no other field',
          extra.length ? firstFew(extra) : 'none',
          extra.length === 0,
        )
      },
    },
    {
      id: 'shape.int64-strings',
      rule: 'int64 values are JSON strings of digits',
      tag: 'real',
      run: async scope => {
        const wrong: string[] = []
        let seen = 0
        for (const exchange of okAnswers(scope))
          mapInt64(responseSchema(exchange.operation), exchange.answer.json, '', (path, v) => {
            seen++
            if (typeof v !== 'string' || !/^-?\d+$/.test(v))
              wrong.push(`${path} is ${JSON.stringify(v)} in ${exchange.line}`)
            return v
          })
        if (seen === 0) return scope.notApplicable('no answer of this run has an int64 value')
        scope.check(
          'real',
          `int64 values (${seen} seen)`,
          'strings such as "1842301"',
          wrong.length ? `${wrong.length} not strings: ${firstFew(wrong)}` : 'all strings',
          wrong.length === 0,
        )
      },
    },
    {
      id: 'shape.three-arrays',
      rule: 'serverlessCosts, dedicatedCosts and trainingCosts are always present, [] when not selected',
      tag: 'ours',
      run: async scope => {
        const missing: string[] = []
        const answers = okAnswers(scope, 'billingUsage')
        for (const exchange of answers) {
          const body = (exchange.answer.json ?? {}) as Record<string, unknown>
          const absent = STREAMS.map(s => ARRAY_OF[s]).filter(a => !Array.isArray(body[a]))
          if (absent.length) missing.push(`${absent.join(', ')} missing in ${exchange.line}`)
        }
        scope.check(
          'ours',
          `the three arrays in ${answers.length} answers`,
          'all present',
          missing.length ? firstFew(missing) : 'all present',
          missing.length === 0,
        )
      },
    },
  ]
}
