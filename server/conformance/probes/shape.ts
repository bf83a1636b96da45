// Every 200 answer of the run, read against the published document (responseCheck of
// server/contract.ts: the document is the contract). Each shape rule is reported by one probe:
// int64 encoding by shape.int64-strings, the three arrays by shape.three-arrays, and the rest
// of the document by shape.schema, which reads int64 numbers as strings and missing arrays as
// empty (document-body.ts) so that no drift is reported twice. shape.schema reads every answer;
// the others read only those that match the document as shape.schema reads it.

import { documentProblems, firstFew, mapInt64, matchesDocument, responseSchema } from '../document-body.js'
import type { Exchange, Operation, Probe, Scope } from '../probe.js'
import { ARRAY_OF, STREAMS } from '../usage-body.js'

/**
 * The 200 answers to the user's key on the user's account that `which` selects, noted as read.
 * The probes that read answers field by field take only those matching the document: the others
 * are shape.schema's finding (and that of the probe that sent them), not a reason to read them.
 */
export function okAnswers(
  scope: Scope,
  operation?: Operation,
  which: (e: Exchange) => boolean = matchesDocument,
  none = 'no request of this run was answered 200 with a body matching the document',
): Exchange[] {
  const { session } = scope
  const answers = session.exchanges.filter(
    e =>
      e.credentials === 'key' &&
      e.account === session.account &&
      e.answer.status === 200 &&
      (!operation || e.operation === operation) &&
      which(e),
  )
  if (answers.length === 0) return scope.notApplicable(none)
  scope.uses(answers)
  return answers
}

export function shapeProbes(): Probe<unknown>[] {
  return [
    {
      id: 'shape.schema',
      rule: 'every 200 answer matches openapi/fireworks-usage.yaml',
      tag: 'real',
      run: async scope => {
        const violations: string[] = []
        const extra: string[] = []
        const every = () => true
        for (const exchange of okAnswers(scope, undefined, every, 'no request of this run was answered 200')) {
          const problems = documentProblems(exchange)
          violations.push(...problems.violations.map(p => `${exchange.line}: ${p}`))
          extra.push(...problems.extra.map(p => `${exchange.line}: ${p}`))
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
