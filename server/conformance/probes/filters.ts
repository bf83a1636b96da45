// `filter[<dimension>][values]=<v>` [real]: values of one dimension are ORed, dimensions ANDed.
// Every filtered answer is checked against the unfiltered answer grouped by all the stream's
// dimensions: filtering before grouping must leave exactly the rows whose group matches, with
// the same numbers. A target that ignores filter (Fireworks documents that its live gateway
// does, today) gets one plain finding from filters.applied; the other filter probes then do
// not apply.

import { readUsage } from '../document-body.js'
import { allDimensionsParams, dayWindow, NO_USAGE, param, type Plan } from '../plan.js'
import type { Exchange, Param, Probe, Scope } from '../probe.js'
import {
  DIMENSIONS,
  groupOf,
  rowKey,
  showDifferences,
  STREAMS,
  sumDifferences,
  sumRows,
  type Row,
  type Stream,
} from '../usage-body.js'

/** A value no record has. */
export const ABSENT_VALUE = 'conformance-probe-absent-value'

interface Setup {
  stream: Stream
  base: Param[]
  /** The unfiltered answer; `baseline` is its rows of the stream. */
  exchange: Exchange
  baseline: Row[]
  dimension: string
  /** Non-empty values of `dimension`, most rows first. */
  values: string[]
}

const filterParam = (dimension: string, value: string) => param(`filter[${dimension}][values]`, value)

/** Distinct non-empty values of a dimension among rows, most frequent first. */
function valuesByFrequency(rows: readonly Row[], dimension: string): string[] {
  const counts = new Map<string, number>()
  for (const row of rows) {
    const v = groupOf(row)[dimension]
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v]) => v)
}

const matching = (rows: readonly Row[], wanted: Record<string, string[]>) =>
  rows.filter(r => Object.entries(wanted).every(([d, vs]) => vs.includes(groupOf(r)[d] as string)))

/** Rows of `got` must be exactly `expected`, number for number. */
function compareRows(scope: Scope, what: string, stream: Stream, expected: readonly Row[], got: readonly Row[]): void {
  const want = new Map(expected.map(r => [rowKey(r), r]))
  const have = new Map(got.map(r => [rowKey(r), r]))
  const missing = [...want.keys()].filter(k => !have.has(k))
  const extra = [...have.keys()].filter(k => !want.has(k))
  const numbers = [...want].flatMap(([k, r]) => {
    const other = have.get(k)
    const d = other ? sumDifferences(sumRows([r], stream), sumRows([other], stream)) : []
    return d.length > 0 ? [`${k}: ${showDifferences(d, 'got')} instead of ${showDifferences(d, 'expected')}`] : []
  })
  const problems = [
    ...(missing.length ? [`${missing.length} rows missing, e.g. ${missing[0]}`] : []),
    ...(extra.length ? [`${extra.length} rows too many, e.g. ${extra[0]}`] : []),
    ...(numbers.length ? [`${numbers.length} rows with other numbers, e.g. ${numbers[0]}`] : []),
  ]
  scope.check(
    'real',
    what,
    `the ${expected.length} matching rows of the unfiltered answer`,
    problems.length ? problems.join('; ') : `those ${got.length} rows`,
    problems.length === 0,
  )
}

export function filterProbes(): Probe<Plan>[] {
  const shared: { setup?: Setup; unavailable?: string } = {}

  const setupOf = (scope: Scope): Setup => {
    if (shared.unavailable) return scope.notApplicable(shared.unavailable)
    if (!shared.setup) return scope.notApplicable('there is no unfiltered answer to compare with (see filters.applied)')
    scope.uses([shared.setup.exchange])
    return shared.setup
  }

  /** Sends the filtered request of a probe and returns its rows. */
  const filtered = async (scope: Scope, setup: Setup, filters: Param[]) => {
    return readUsage(scope, await scope.get('billingUsage', [...setup.base, ...filters]))[setup.stream]
  }

  const applied: Probe<Plan> = {
    id: 'filters.applied',
    rule: 'the target applies filter at all (the live gateway is documented not to, yet)',
    tag: 'real',
    run: async (scope, plan) => {
      if (plan.anchorDayMs === null) return scope.notApplicable((shared.unavailable = NO_USAGE(plan)))
      const day = dayWindow(plan.anchorDayMs)
      for (const stream of STREAMS.filter(s => plan.daysWithData[s].has(day.startMs))) {
        const base = allDimensionsParams(day, stream)
        const exchange = await scope.get('billingUsage', base)
        const baseline = readUsage(scope, exchange)[stream]
        // The first dimension with two values to choose between (model_name on serverless).
        const dimension = DIMENSIONS[stream].find(d => valuesByFrequency(baseline, d).length >= 2)
        if (dimension) {
          shared.setup = { stream, base, exchange, baseline, dimension, values: valuesByFrequency(baseline, dimension) }
          break
        }
      }
      if (!shared.setup)
        return scope.notApplicable(
          (shared.unavailable = 'no dimension has two values to filter between on the probed day'),
        )
      const { dimension, values, baseline } = shared.setup
      const value = values[0] as string
      const rows = await filtered(scope, shared.setup, [filterParam(dimension, value)])
      const others = rows.filter(r => groupOf(r)[dimension] !== value).length
      const wanted = matching(baseline, { [dimension]: [value] }).length
      // Ignored, not merely wrong: the filtered answer is the unfiltered one.
      const ignored = others > 0 && rows.length >= baseline.length
      if (ignored) {
        shared.unavailable = 'the target ignores filter (see filters.applied)'
        scope.finding =
          `The target ignores filter: filter[${dimension}][values]=${value} returned all ${baseline.length} rows of the unfiltered ` +
          `request, ${others} of them for other values of ${dimension}. Fireworks documents that its live HTTP gateway does not ` +
          'apply filter yet; the mock applies it unless FILTERS=ignore. The other filter probes do not apply.'
      }
      scope.check(
        'real',
        `filter[${dimension}][values]=${JSON.stringify(value)} narrows the answer`,
        `${wanted} of ${baseline.length} rows`,
        `${rows.length} rows, ${others} with other values`,
        !ignored,
      )
    },
  }

  return [
    applied,
    {
      id: 'filters.one-value',
      rule: 'one value returns exactly the rows with that value, summing no more than unfiltered',
      tag: 'real',
      run: async scope => {
        const setup = setupOf(scope)
        const value = setup.values[0] as string
        const rows = await filtered(scope, setup, [filterParam(setup.dimension, value)])
        compareRows(
          scope,
          `rows of ${setup.dimension} = ${JSON.stringify(value)}`,
          setup.stream,
          matching(setup.baseline, { [setup.dimension]: [value] }),
          rows,
        )
        const all = sumRows(setup.baseline, setup.stream)
        const over = [...sumRows(rows, setup.stream)]
          .filter(([field, part]) => part === null || Number(part) > Number(all.get(field)))
          .map(([field, part]) => `${field} ${String(part)} > ${String(all.get(field))}`)
        scope.check(
          'real',
          'filtered sums are at most the unfiltered ones',
          'no quantity larger',
          over.length ? over.join('; ') : 'none larger',
          over.length === 0,
        )
      },
    },
    {
      id: 'filters.or-values',
      rule: 'two values of one dimension are ORed',
      tag: 'real',
      run: async scope => {
        const setup = setupOf(scope)
        const [a, b] = setup.values as [string, string]
        const rows = await filtered(scope, setup, [filterParam(setup.dimension, a), filterParam(setup.dimension, b)])
        compareRows(
          scope,
          `rows of ${setup.dimension} = ${JSON.stringify(a)} or ${JSON.stringify(b)}`,
          setup.stream,
          matching(setup.baseline, { [setup.dimension]: [a, b] }),
          rows,
        )
      },
    },
    {
      id: 'filters.and-dimensions',
      rule: 'two dimensions are ANDed',
      tag: 'real',
      run: async scope => {
        const setup = setupOf(scope)
        const value = setup.values[0] as string
        const selected = matching(setup.baseline, { [setup.dimension]: [value] })
        // A second dimension that still splits the selected rows makes AND observable.
        const others = DIMENSIONS[setup.stream].filter(d => d !== setup.dimension)
        const second =
          others.find(d => valuesByFrequency(selected, d).length >= 2) ??
          others.find(d => valuesByFrequency(selected, d).length >= 1)
        if (!second)
          return scope.notApplicable(
            `no second dimension has a value among the rows of ${setup.dimension} = ${JSON.stringify(value)}`,
          )
        const secondValue = valuesByFrequency(selected, second)[0] as string
        const rows = await filtered(scope, setup, [
          filterParam(setup.dimension, value),
          filterParam(second, secondValue),
        ])
        const what = `rows of ${setup.dimension} = ${JSON.stringify(value)} and ${second} = ${JSON.stringify(secondValue)}`
        compareRows(
          scope,
          what,
          setup.stream,
          matching(setup.baseline, { [setup.dimension]: [value], [second]: [secondValue] }),
          rows,
        )
      },
    },
    {
      id: 'filters.absent-value',
      rule: 'a value no record has returns no rows',
      tag: 'real',
      run: async scope => {
        const setup = setupOf(scope)
        const rows = await filtered(scope, setup, [filterParam(setup.dimension, ABSENT_VALUE)])
        scope.check(
          'real',
          `rows of ${setup.dimension} = ${JSON.stringify(ABSENT_VALUE)}`,
          'none',
          `${rows.length} rows`,
          rows.length === 0,
        )
      },
    },
  ]
}
