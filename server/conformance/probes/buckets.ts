// Rows are daily buckets: local calendar days of `timezone` [real], 23 or 25 hours across a DST
// change; their bounds are the local day clipped to the window, as UTC with Z and no fraction
// [ours]. The expected days come from local-days.ts (Intl alone), not from the mock's code.

import { formatUtc, formatUtcSeconds } from '../../time.js'
import { MAX_WINDOW_MS } from '../../usage/window.js'
import { readUsage } from '../document-body.js'
import { clippedLocalDays, describeSpan, localDays, type Span } from '../local-days.js'
import { DST_ZONE, dstWindow, NO_USAGE, param, windowParams, zoneWindow, type Plan } from '../plan.js'
import type { Probe, Scope } from '../probe.js'
import { STREAMS } from '../usage-body.js'

/** The zones probed on the same three days (Kathmandu is +05:45, Kiritimati +14). */
export const ZONES = ['UTC', 'Asia/Kathmandu', 'Pacific/Kiritimati'] as const

/** The request of a zone's window; the additivity probes read the same answers. */
export const zoneParams = (span: Span, zone: string) => [...windowParams(span), param('timezone', zone)]

async function checkBuckets(scope: Scope, zone: string, span: Span): Promise<void> {
  const usage = readUsage(scope, await scope.get('billingUsage', zoneParams(span, zone)))
  const rows = STREAMS.flatMap(s => usage[s])
  if (rows.length === 0)
    return scope.notApplicable(`no usage between ${formatUtc(span.startMs)} and ${formatUtc(span.endMs)}`)

  const clipped = clippedLocalDays(zone, span.startMs, span.endMs)
  const whole = localDays(zone, span.startMs, span.endMs)
  const printed = new Set(clipped.map(d => `${formatUtcSeconds(d.startMs)}..${formatUtcSeconds(d.endMs)}`))
  const same = (a: Span) => (b: Span) => a.startMs === b.startMs && a.endMs === b.endMs
  const notLocalDays: string[] = []
  const notClipped: string[] = []
  const otherSpelling: string[] = []
  const seen = [...new Set(rows.map(r => `${String(r.startTime)}..${String(r.endTime)}`))]
  for (const bounds of seen) {
    if (printed.has(bounds)) continue
    const [start, end] = bounds.split('..').map(t => Date.parse(t)) as [number, number]
    const row = { startMs: start, endMs: end }
    if (clipped.some(same(row))) otherSpelling.push(bounds)
    else if (whole.some(same(row))) notClipped.push(bounds)
    else notLocalDays.push(bounds)
  }
  scope.check(
    'real',
    `every row is one local day of ${zone}`,
    clipped.map(d => `${d.date} ${describeSpan(d)}`).join('; '),
    notLocalDays.length === 0
      ? `${seen.length} distinct bounds, all local days`
      : `not a local day: ${notLocalDays.join('; ')}`,
    notLocalDays.length === 0,
  )
  scope.check(
    'ours',
    'row bounds are clipped to the window',
    'the first and last day cut at the window',
    notClipped.length === 0 ? 'clipped' : `whole days: ${notClipped.join('; ')}`,
    notClipped.length === 0,
  )
  scope.check(
    'ours',
    'row bounds are UTC with Z and no fraction',
    'e.g. 2026-11-01T07:00:00Z',
    otherSpelling.length === 0 ? 'as expected' : otherSpelling.join('; '),
    otherSpelling.length === 0,
  )
}

const zoneProbe = (id: string, zone: string, rule: string): Probe<Plan> => ({
  id,
  rule,
  tag: 'real',
  run: async (scope, plan) => {
    if (plan.anchorDayMs === null) return scope.notApplicable(NO_USAGE(plan))
    await checkBuckets(scope, zone, zoneWindow(plan.anchorDayMs))
  },
})

export function bucketProbes(): Probe<Plan>[] {
  return [
    zoneProbe('buckets.utc', 'UTC', 'rows of a 3-day window in UTC are the UTC days, clipped to the window'),
    {
      id: 'buckets.los-angeles-dst',
      rule: `rows across a DST change in ${DST_ZONE} are local days of 23 or 25 hours, clipped to the window`,
      tag: 'real',
      run: async (scope, plan) => {
        const span = dstWindow(plan)
        if (typeof span === 'string') return scope.notApplicable(span)
        await checkBuckets(scope, DST_ZONE, span)
      },
    },
    zoneProbe(
      'buckets.kathmandu',
      'Asia/Kathmandu',
      'rows in Asia/Kathmandu (+05:45) are local days from 18:15Z, clipped to the window',
    ),
    zoneProbe(
      'buckets.kiritimati',
      'Pacific/Kiritimati',
      'rows in Pacific/Kiritimati (+14) are local days from 10:00Z, clipped to the window',
    ),
    {
      id: 'windows.exactly-31-days',
      rule: 'a window of exactly 31 x 24 hours is accepted',
      tag: 'real',
      run: async (scope, plan) => {
        const end = plan.lookBack.endMs
        const exchange = await scope.get('billingUsage', windowParams({ startMs: end - MAX_WINDOW_MS, endMs: end }))
        readUsage(scope, exchange)
      },
    },
  ]
}
