// Grouping and ordering, read off every 200 billingUsage answer of the run. `group` holds the
// grouping dimensions: the requested ones that apply to the row's stream (others are ignored on
// it [real]), or the stream's default grouping when groupBy is empty [real]. Rows are sorted by
// startTime, then by the group values in groupBy order, as strings [ours].

import { matchesDocument } from '../document-body.js'
import type { Exchange, Probe, Scope } from '../probe.js'
import { DEFAULT_GROUP_BY, DIMENSIONS, groupOf, rowsOf, STREAMS, type Stream } from '../usage-body.js'
import { okAnswers } from './shape.js'

const requestedGroupBy = (e: Exchange) => [
  ...new Set(e.params.filter(([name]) => name === 'groupBy').map(([, value]) => value)),
]

/** The run's billingUsage answers with (or without) a groupBy, of those that match the document. */
function usageAnswers(scope: Scope, grouped: boolean): Exchange[] {
  return okAnswers(
    scope,
    'billingUsage',
    e => matchesDocument(e) && requestedGroupBy(e).length > 0 === grouped,
    `no billingUsage answer of this run ${grouped ? 'had a groupBy' : 'was without groupBy'} and matched the document`,
  )
}

const describeKeys = (keys: readonly string[]) => (keys.length ? keys.join(', ') : '(none)')
const sameKeys = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')

/** One check of `group` keys over every row of the answers, against `expectedFor`. */
function checkKeys(
  scope: Scope,
  answers: Exchange[],
  expectedFor: (stream: Stream, e: Exchange) => readonly string[],
  what: string,
): void {
  const wrong: string[] = []
  const wrongEmpty: string[] = []
  let rows = 0
  for (const exchange of answers)
    for (const stream of STREAMS) {
      const expected = expectedFor(stream, exchange)
      for (const row of rowsOf(exchange.answer.json, stream)) {
        rows++
        const keys = Object.keys(groupOf(row))
        if (sameKeys(keys, expected)) continue
        const note = `${stream} row keyed ${describeKeys(keys)} instead of ${describeKeys(expected)} (${exchange.line})`
        // A stream left with no grouping dimension gives daily totals with an empty group [ours].
        ;(expected.length === 0 ? wrongEmpty : wrong).push(note)
      }
    }
  if (rows === 0) return scope.notApplicable('no rows to read in the answers of this run')
  scope.check(
    'real',
    what,
    'exactly those dimensions',
    wrong.length ? `${wrong.length} rows differ, e.g. ${wrong[0]}` : `so in ${rows} rows`,
    wrong.length === 0,
  )
  if (wrongEmpty.length)
    scope.check(
      'ours',
      'a stream with no grouping dimension left has an empty group',
      '{}',
      wrongEmpty[0] as string,
      false,
    )
}

export function groupingProbes(): Probe<unknown>[] {
  return [
    {
      id: 'grouping.requested-keys',
      rule: "group keys are exactly the requested dimensions that apply to the row's stream",
      tag: 'real',
      run: async scope => {
        const answers = usageAnswers(scope, true)
        checkKeys(
          scope,
          answers,
          (stream, e) => requestedGroupBy(e).filter(d => DIMENSIONS[stream].includes(d)),
          'group keys are the requested dimensions',
        )
      },
    },
    {
      id: 'grouping.default',
      rule: 'without groupBy, rows are grouped by the default dimensions of their stream',
      tag: 'real',
      run: async scope => {
        const answers = usageAnswers(scope, false)
        checkKeys(scope, answers, stream => DEFAULT_GROUP_BY[stream], 'group keys are the default dimensions')
      },
    },
    {
      id: 'ordering.rows-sorted',
      rule: 'rows are sorted by startTime, then by the group values in groupBy order (as strings)',
      tag: 'ours',
      run: async scope => {
        const answers = usageAnswers(scope, true)
        const unsorted: string[] = []
        if (answers.every(e => STREAMS.every(s => rowsOf(e.answer.json, s).length < 2)))
          return scope.notApplicable('no answer of this run has two rows to compare')
        for (const exchange of answers)
          for (const stream of STREAMS) {
            const order = requestedGroupBy(exchange).filter(d => DIMENSIONS[stream].includes(d))
            const sortKey = (row: Record<string, unknown>) => [
              String(Date.parse(String(row.startTime))).padStart(16, '0'),
              ...order.map(d => groupOf(row)[d] ?? ''),
            ]
            const rows = rowsOf(exchange.answer.json, stream)
            for (let i = 1; i < rows.length; i++) {
              const [a, b] = [sortKey(rows[i - 1]!), sortKey(rows[i]!)]
              const first = a.findIndex((v, k) => v !== b[k])
              if (first >= 0 && (a[first] as string) > (b[first] as string)) {
                unsorted.push(`${stream} rows ${i - 1} and ${i} of ${exchange.line}`)
                break
              }
            }
          }
        scope.check(
          'ours',
          `row order in ${answers.length} grouped answers`,
          'sorted',
          unsorted.length ? `out of order: ${unsorted[0]}` : 'sorted',
          unsorted.length === 0,
        )
      },
    },
  ]
}
