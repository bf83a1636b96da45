// The two companion operations, when the target serves them. Both agreements are the mock's
// own promises [ours] (contract 2 and 3), so a target that disagrees is reported, not failed.
// A row whose bucket starts at or after the window's end lies outside the days compared.

import { DAY_MS, formatUtc } from '../../time.js'
import type { Span } from '../local-days.js'
import { allDimensionsParams, dayWindow, NO_USAGE, param, windowParams, type Plan } from '../plan.js'
import type { Exchange, Probe, Scope } from '../probe.js'
import { DIMENSIONS, groupOf, readInt64, rowsOf, STREAMS, type Row } from '../usage-body.js'

/** 404 or 501: the target does not have the operation; anything else but 200 is an answer to judge. */
function served(scope: Scope, exchange: Exchange): void {
  const { status } = exchange.answer
  if (status === 404 || status === 501)
    return scope.notApplicable(`the target does not serve ${exchange.operation} (${status})`)
  scope.require('ours', `${exchange.operation} answers 200`, '200', String(status), status === 200)
}

const insideWindow = (span: Span) => (row: Row) => Date.parse(String(row.startTime)) < span.endMs

interface Money {
  units?: unknown
  nanos?: unknown
}
/** google.type.Money in nanos; null when unreadable. */
function nanosOf(m: Money | undefined): bigint | null {
  const units = readInt64(m?.units)
  return units === null || !Number.isInteger(m?.nanos) ? null : units * 1_000_000_000n + BigInt(m?.nanos as number)
}

export function companionProbes(): Probe<Plan>[] {
  return [
    {
      id: 'companions.summary-total',
      rule: 'billing/summary serverless total equals the sum of costNanoUsd over the same UTC days',
      tag: 'ours',
      run: async (scope, plan) => {
        if (plan.anchorDayMs === null) return scope.notApplicable(NO_USAGE(plan))
        const span = { startMs: plan.anchorDayMs + DAY_MS, endMs: plan.anchorDayMs + 3 * DAY_MS }
        const summary = await scope.get('billing/summary', windowParams(span))
        served(scope, summary)
        const usage = await scope.get('billingUsage', [
          ...windowParams(span),
          param('timezone', 'UTC'),
          param('usageType', 'SERVERLESS'),
        ])
        scope.require200(usage)
        const rows = rowsOf(usage.answer.json, 'serverless').filter(insideWindow(span))
        if (rows.length === 0)
          return scope.notApplicable(
            `no serverless usage between ${formatUtc(span.startMs)} and ${formatUtc(span.endMs)}`,
          )
        const costs = BigInt(Math.round(rows.reduce((s, r) => s + Number(r.costNanoUsd ?? 0), 0)))
        const items = (
          (summary.answer.json as { lineItems?: { series?: string; totalCost?: Money }[] }).lineItems ?? []
        ).filter(i => i.series === 'SERVERLESS')
        const amounts = items.map(i => nanosOf(i.totalCost))
        const total = amounts.every(a => a !== null) ? amounts.reduce<bigint>((s, a) => s + a, 0n) : null
        // Each line item is rounded to the nano: allow one nano per item.
        const gap = total === null ? null : total > costs ? total - costs : costs - total
        const got = total === null ? 'a totalCost that is not Money' : `${total} nano-USD in ${items.length} line items`
        scope.check(
          'ours',
          'serverless line items versus costNanoUsd',
          `${costs} nano-USD (sum of ${rows.length} rows)`,
          got,
          gap !== null && gap <= BigInt(items.length),
        )
      },
    },
    {
      id: 'companions.filter-options',
      rule: 'accountUsageFilterOptions lists exactly the values the rows of the same window carry',
      tag: 'ours',
      run: async (scope, plan) => {
        if (plan.anchorDayMs === null) return scope.notApplicable(NO_USAGE(plan))
        const span = dayWindow(plan.anchorDayMs)
        const options = await scope.get('accountUsageFilterOptions', windowParams(span))
        served(scope, options)
        const body = (options.answer.json ?? {}) as Record<string, Record<string, unknown> | undefined>
        for (const stream of STREAMS) {
          let rows: Row[] = []
          if (plan.daysWithData[stream].has(span.startMs)) {
            const usage = await scope.get('billingUsage', allDimensionsParams(span, stream))
            scope.require200(usage)
            rows = rowsOf(usage.answer.json, stream).filter(insideWindow(span))
          }
          const listed = body[stream] ?? {}
          const problems: string[] = []
          for (const dimension of new Set([...DIMENSIONS[stream], ...Object.keys(listed)])) {
            const offered = new Set(Array.isArray(listed[dimension]) ? (listed[dimension] as string[]) : [])
            const seen = new Set(rows.map(r => groupOf(r)[dimension] as string))
            const unused = [...offered].filter(v => !seen.has(v))
            const unlisted = [...seen].filter(v => !offered.has(v))
            if (unused.length)
              problems.push(`${dimension}: ${unused.length} options select no row, e.g. ${JSON.stringify(unused[0])}`)
            if (unlisted.length)
              problems.push(
                `${dimension}: ${unlisted.length} values in rows are not options, e.g. ${JSON.stringify(unlisted[0])}`,
              )
          }
          const what = `${stream}: every option selects rows, every value in rows is an option`
          scope.check(
            'ours',
            what,
            `the values of ${rows.length} rows grouped by every dimension`,
            problems.length ? problems.join('; ') : 'the same values',
            problems.length === 0,
          )
        }
      },
    },
  ]
}
