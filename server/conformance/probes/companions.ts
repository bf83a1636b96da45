// The two companion operations, when the target serves them. Both agreements are the mock's
// own promises [ours] (contract 2 and 3), so a target that disagrees is reported, not failed.
// A row whose bucket starts at or after the window's end lies outside the days compared.

import { DAY_MS, formatUtc } from '../../time.js'
import { nanosOf, readUsage, requireDocumentBody, type FilterOptionsBody, type SummaryBody } from '../document-body.js'
import type { Span } from '../local-days.js'
import { allDimensionsParams, dayWindow, NO_USAGE, param, windowParams, type Plan } from '../plan.js'
import { describeAnswer, shown, type Exchange, type Probe, type Scope } from '../probe.js'
import { DIMENSIONS, groupOf, STREAMS, type Row } from '../usage-body.js'

/**
 * 404 or 501: the target does not have the operation; anything else but 200 is an answer to
 * judge. A 200 is read once it matches the document; the body is returned as the document types it.
 */
function served<Body>(scope: Scope, exchange: Exchange): Body {
  const { status } = exchange.answer
  if (status === 404 || status === 501)
    return scope.notApplicable(`the target does not serve ${exchange.operation} (${status})`)
  scope.require(
    'ours',
    `${exchange.operation} answers 200`,
    '200',
    status === 200 ? '200' : describeAnswer(exchange.answer),
    status === 200,
  )
  requireDocumentBody(scope, exchange)
  return exchange.answer.json as Body
}

export const insideWindow = (span: Span) => (row: Row) => Date.parse(String(row.startTime)) < span.endMs

export function companionProbes(): Probe<Plan>[] {
  return [
    {
      id: 'companions.summary-total',
      rule: 'billing/summary serverless total equals the sum of costNanoUsd over the same UTC days',
      tag: 'ours',
      run: async (scope, plan) => {
        if (plan.anchorDayMs === null) return scope.notApplicable(NO_USAGE(plan))
        const span = { startMs: plan.anchorDayMs + DAY_MS, endMs: plan.anchorDayMs + 3 * DAY_MS }
        const summary = served<SummaryBody>(scope, await scope.get('billing/summary', windowParams(span)))
        const usage = readUsage(
          scope,
          await scope.get('billingUsage', [
            ...windowParams(span),
            param('timezone', 'UTC'),
            param('usageType', 'SERVERLESS'),
          ]),
        )
        const rows = usage.serverless.filter(insideWindow(span))
        if (rows.length === 0)
          return scope.notApplicable(
            `no serverless usage between ${formatUtc(span.startMs)} and ${formatUtc(span.endMs)}`,
          )
        const costs = BigInt(Math.round(rows.reduce((s, r) => s + Number(r.costNanoUsd ?? 0), 0)))
        const items = summary.lineItems.filter(i => i.series === 'SERVERLESS')
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
        const body = served<FilterOptionsBody>(scope, await scope.get('accountUsageFilterOptions', windowParams(span)))
        for (const stream of STREAMS) {
          let rows: Row[] = []
          if (plan.daysWithData[stream].has(span.startMs))
            rows = readUsage(scope, await scope.get('billingUsage', allDimensionsParams(span, stream)))[stream].filter(
              insideWindow(span),
            )
          const listed = body[stream]
          const problems: string[] = []
          for (const dimension of new Set([...DIMENSIONS[stream], ...Object.keys(listed)])) {
            const offered = new Set(listed[dimension] ?? [])
            const seen = new Set(rows.map(r => groupOf(r)[dimension] as string))
            const unused = [...offered].filter(v => !seen.has(v))
            const unlisted = [...seen].filter(v => !offered.has(v))
            if (unused.length)
              problems.push(`${dimension}: ${unused.length} options select no row, e.g. ${shown(unused[0])}`)
            if (unlisted.length)
              problems.push(
                `${dimension}: ${unlisted.length} values in rows are not options, e.g. ${shown(unlisted[0])}`,
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
