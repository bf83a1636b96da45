// Metamorphic properties that hold for any data: splitting the window, grouping, or the time
// zone moves usage between rows but never creates or loses any. Sums are per stream and per
// quantity (the document's int64 and double fields), int64 exactly.

import { DAY_MS, formatUtc, HOUR_MS } from '../../time.js'
import { readUsage } from '../document-body.js'
import type { Span } from '../local-days.js'
import { NO_USAGE, param, zoneWindow, type Plan } from '../plan.js'
import type { Probe, Scope } from '../probe.js'
import { showDifferences, STREAMS, sumDifferences, sumRows, type Row, type Stream, type Sums } from '../usage-body.js'
import { ZONES, zoneParams } from './buckets.js'

function sumsOf(usage: Record<Stream, Row[]>): Record<Stream, Sums> {
  return Object.fromEntries(STREAMS.map(s => [s, sumRows(usage[s], s)])) as Record<Stream, Sums>
}

function added(a: Sums, b: Sums): Sums {
  const out: Sums = new Map()
  for (const [field, x] of a) {
    const y = b.get(field) ?? null
    out.set(
      field,
      x === null || y === null ? null : typeof x === 'bigint' && typeof y === 'bigint' ? x + y : Number(x) + Number(y),
    )
  }
  return out
}

/** One check per stream with usage: `got` sums equal `expected` sums. */
function compareSums(
  scope: Scope,
  what: string,
  expected: Record<Stream, Sums>,
  got: Record<Stream, Sums>,
  rowCount: Record<Stream, number>,
): void {
  for (const stream of STREAMS) {
    if (rowCount[stream] === 0) continue
    const differences = sumDifferences(expected[stream], got[stream])
    const ok = differences.length === 0
    scope.check(
      'real',
      `${stream}: ${what}`,
      ok ? 'equal sums' : showDifferences(differences, 'expected'),
      ok ? `equal sums over ${rowCount[stream]} rows` : showDifferences(differences, 'got'),
      ok,
    )
  }
}

/** The UTC answer of the 3-day window, with usage, or n/a. */
async function baseline(
  scope: Scope,
  plan: Plan,
): Promise<{ span: Span; whole: Record<Stream, Row[]>; rows: Record<Stream, number> }> {
  if (plan.anchorDayMs === null) return scope.notApplicable(NO_USAGE(plan))
  const span = zoneWindow(plan.anchorDayMs)
  const whole = readUsage(scope, await scope.get('billingUsage', zoneParams(span, 'UTC')))
  const rows = Object.fromEntries(STREAMS.map(s => [s, whole[s].length])) as Record<Stream, number>
  if (STREAMS.every(s => rows[s] === 0))
    return scope.notApplicable(`no usage between ${formatUtc(span.startMs)} and ${formatUtc(span.endMs)}`)
  return { span, whole, rows }
}

export function additivityProbes(): Probe<Plan>[] {
  return [
    {
      id: 'additivity.split-window',
      rule: 'per stream, sums over [a,b) plus [b,c) equal [a,c): startTime included, endTime excluded',
      tag: 'real',
      run: async (scope, plan) => {
        const { span, whole, rows } = await baseline(scope, plan)
        // b is a whole hour inside the window (usage is often stamped on the hour), not a midnight.
        const b = span.startMs + DAY_MS + 5 * HOUR_MS
        const first = readUsage(
          scope,
          await scope.get('billingUsage', zoneParams({ startMs: span.startMs, endMs: b }, 'UTC')),
        )
        const second = readUsage(
          scope,
          await scope.get('billingUsage', zoneParams({ startMs: b, endMs: span.endMs }, 'UTC')),
        )
        const [x, y] = [sumsOf(first), sumsOf(second)]
        const parts = Object.fromEntries(STREAMS.map(s => [s, added(x[s], y[s])])) as Record<Stream, Sums>
        compareSums(scope, `[a,b) + [b,c) with b = ${formatUtc(b)}`, sumsOf(whole), parts, rows)
      },
    },
    {
      id: 'additivity.group-by',
      rule: 'per stream, sums with a groupBy equal sums without it',
      tag: 'real',
      run: async (scope, plan) => {
        const { span, whole, rows } = await baseline(scope, plan)
        const grouped = readUsage(
          scope,
          await scope.get('billingUsage', [
            ...zoneParams(span, 'UTC'),
            param('groupBy', 'model_name'),
            param('groupBy', 'annotations.team'),
          ]),
        )
        compareSums(scope, 'groupBy=model_name&groupBy=annotations.team', sumsOf(whole), sumsOf(grouped), rows)
      },
    },
    {
      id: 'additivity.time-zones',
      rule: 'per stream, sums over the same window are equal in every time zone',
      tag: 'real',
      run: async (scope, plan) => {
        const { span, whole, rows } = await baseline(scope, plan)
        for (const zone of ZONES.filter(z => z !== 'UTC')) {
          const other = readUsage(scope, await scope.get('billingUsage', zoneParams(span, zone)))
          compareSums(scope, `${zone} versus UTC`, sumsOf(whole), sumsOf(other), rows)
        }
      },
    },
  ]
}
