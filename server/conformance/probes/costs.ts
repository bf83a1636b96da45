// Rated costs (POST usageCosts:query) [contract 2]: its rows against its subtotal, its HOUR rows
// against its DAY rows, two adjacent windows against their union, pages against one page, and
// the whole against billingUsage's text serverless rows. Most of these are the mock's promises
// [ours] (a record's rated cost is its costNanoUsd, to the nano): a target that breaks one is
// reported, not failed. Paging is [real], and what clients read of it (the same subtotal on every
// page, the last page without a token) is treated so too: clients were written against the
// live API. The probe asks for ACCOUNT scope first; a key that may not use it (403 code 7, a
// plain user's) is probed in SELF scope, and the summary says which.

import { DAY_MS, formatUtc, HOUR_MS } from '../../time.js'
import { TEXT_USAGE_TYPE } from '../../streams/serverless.js'
import { nanosOf, readUsage, requireDocumentBody, type CostsBody, type Money } from '../document-body.js'
import type { Span } from '../local-days.js'
import { NO_USAGE, param, windowParams, type Plan } from '../plan.js'
import { shown, type Exchange, type Probe, type Scope } from '../probe.js'
import { groupOf } from '../usage-body.js'
import { canonical } from './accounts.js'
import { insideWindow } from './companions.js'

type CostScope = 'ACCOUNT' | 'SELF'
/** One page of every probe's rows: the mock's maximum, more than two days have. */
const LARGE_PAGE = 1000
/** Pages read at most when paging small (a target that never ends its pages differs there). */
const MAX_PAGES = 5

/** [D+1d, D+3d): two UTC days with usage, the days of companions.summary-total (its billingUsage answer is shared). */
const costsWindow = (anchorDayMs: number): Span => ({ startMs: anchorDayMs + DAY_MS, endMs: anchorDayMs + 3 * DAY_MS })

const costsBody = (span: Span, scope: CostScope, groupBy: string[] = [], more: Record<string, unknown> = {}) => ({
  startTime: formatUtc(span.startMs),
  endTime: formatUtc(span.endMs),
  scope,
  ...(groupBy.length ? { groupBy } : {}),
  ...more,
})

/** A valid query's answer: 200 [real], matching the document [real]; n/a when the target does not serve it. */
function readCosts(scope: Scope, exchange: Exchange): CostsBody {
  const { status } = exchange.answer
  if (status === 404 || status === 501)
    return scope.notApplicable(`the target does not serve usageCosts:query (${status})`)
  scope.require200(exchange)
  requireDocumentBody(scope, exchange)
  return exchange.answer.json as CostsBody
}

/** Money in nanos; unreadable Money (units beyond 2^53 sent as a number) is a failed check that ends the probe. */
function nanos(scope: Scope, money: Money, where: string): bigint {
  const n = nanosOf(money)
  if (n === null) scope.require('real', `${where} is readable Money`, 'units of at most 2^53', shown(money), false)
  return n as bigint
}

const sumOf = (scope: Scope, body: CostsBody) =>
  body.rows.reduce((s, r, i) => s + nanos(scope, r.subtotal, `row ${i}'s subtotal`), 0n)

interface Whole {
  span: Span
  costScope: CostScope
  whole: CostsBody
  /** The query of the probes' window, grouped and sized, in the scope probed. */
  ask(groupBy: string[], more?: Record<string, unknown>): Promise<CostsBody>
}

/**
 * The window's answer without groupBy, in ACCOUNT scope or, after a 403 code 7, in SELF scope;
 * n/a without usage. Every costs probe starts here (the request is sent once, and reused).
 */
async function whole(scope: Scope, plan: Plan): Promise<Whole> {
  if (plan.anchorDayMs === null) return scope.notApplicable(NO_USAGE(plan))
  const span = costsWindow(plan.anchorDayMs)
  let costScope: CostScope = 'ACCOUNT'
  let exchange = await scope.get('usageCosts:query', [], { body: costsBody(span, costScope) })
  const { status, json } = exchange.answer
  if (status === 403 && (json as { code?: unknown } | undefined)?.code === 7) {
    costScope = 'SELF'
    exchange = await scope.get('usageCosts:query', [], { body: costsBody(span, costScope) })
  }
  scope.note = `scope ${costScope}${costScope === 'SELF' ? ': the key may not use ACCOUNT (403 code 7)' : ''}`
  const body = readCosts(scope, exchange)
  if (nanos(scope, body.subtotal, 'subtotal') === 0n)
    return scope.notApplicable(
      `no rated usage in scope ${costScope} between ${formatUtc(span.startMs)} and ${formatUtc(span.endMs)}`,
    )
  const ask = async (groupBy: string[], more: Record<string, unknown> = {}) =>
    readCosts(scope, await scope.get('usageCosts:query', [], { body: costsBody(span, costScope, groupBy, more) }))
  return { span, costScope, whole: body, ask }
}

/** One answer holding every row, or n/a: a longer answer's rows are not all on its page. */
async function onePage(scope: Scope, w: Whole, groupBy: string[]): Promise<CostsBody> {
  const body = await w.ask(groupBy, { pageSize: LARGE_PAGE })
  if (body.nextPageToken !== '')
    scope.notApplicable(`more than ${LARGE_PAGE} rows grouped by ${groupBy.join(', ')}: not all on one page`)
  return body
}

const BY_DAY_AND_MODEL = ['DAY', 'MODEL']

/** The rows by day and model on one page, and on small pages (about three), as long as the target pages. */
async function pages(scope: Scope, plan: Plan): Promise<{ all: CostsBody; pages: CostsBody[]; ended: boolean }> {
  const w = await whole(scope, plan)
  const all = await onePage(scope, w, BY_DAY_AND_MODEL)
  if (all.rows.length < 2) return scope.notApplicable(`${all.rows.length} rows by day and model: nothing to page`)
  const pageSize = Math.ceil(all.rows.length / 3)
  const out: CostsBody[] = []
  let token = ''
  do {
    out.push(await w.ask(BY_DAY_AND_MODEL, { pageSize, ...(token ? { pageToken: token } : {}) }))
    token = (out.at(-1) as CostsBody).nextPageToken
  } while (token !== '' && out.length < MAX_PAGES)
  return { all, pages: out, ended: token === '' }
}

/** Text serverless rows of billingUsage over the window, by model (what usageCosts rates). */
async function textUsage(scope: Scope, w: Whole) {
  const usage = readUsage(
    scope,
    await scope.get('billingUsage', [
      ...windowParams(w.span),
      param('timezone', 'UTC'),
      param('usageType', 'SERVERLESS'),
      param('groupBy', 'model_name'),
    ]),
  )
  return usage.serverless.filter(insideWindow(w.span)).filter(r => r.usageType === TEXT_USAGE_TYPE)
}

/** billingUsage is account-wide: SELF scope counts one user's keys only. */
const accountWide = (scope: Scope, w: Whole) => {
  if (w.costScope === 'SELF')
    scope.notApplicable(
      'scope SELF (the key may not use ACCOUNT, 403 code 7) counts one user: billingUsage is account-wide',
    )
}

export function costProbes(): Probe<Plan>[] {
  return [
    {
      id: 'costs.rows-sum-to-subtotal',
      rule: 'usageCosts:query rows sum to subtotal, and a groupBy leaves subtotal unchanged',
      tag: 'ours',
      run: async (scope, plan) => {
        const w = await whole(scope, plan)
        const grouped = await onePage(scope, w, BY_DAY_AND_MODEL)
        const total = nanos(scope, w.whole.subtotal, 'subtotal')
        for (const [what, body] of [
          ['without groupBy', w.whole],
          ['by DAY and MODEL', grouped],
        ] as const) {
          const sum = sumOf(scope, body)
          const subtotal = nanos(scope, body.subtotal, 'subtotal')
          scope.check(
            'ours',
            `${what}: rows versus subtotal`,
            `${subtotal} nano-USD`,
            `${sum} nano-USD in ${body.rows.length} rows`,
            sum === subtotal,
          )
        }
        const g = nanos(scope, grouped.subtotal, 'subtotal')
        scope.check(
          'ours',
          'subtotal by DAY and MODEL versus without groupBy',
          `${total} nano-USD`,
          `${g} nano-USD`,
          g === total,
        )
      },
    },
    {
      id: 'costs.hours-sum-to-days',
      rule: 'usageCosts:query HOUR rows of each UTC day sum to its DAY row',
      tag: 'ours',
      run: async (scope, plan) => {
        const w = await whole(scope, plan)
        const byDay = (body: CostsBody, what: string) => {
          const out = new Map<string, bigint>()
          for (const [i, row] of body.rows.entries()) {
            const t = Date.parse(String(row.dimensions.startTime))
            scope.require(
              'ours',
              `${what} rows have a startTime`,
              'an RFC 3339 time',
              shown(row.dimensions.startTime),
              !Number.isNaN(t),
            )
            const day = formatUtc(Math.floor(t / DAY_MS) * DAY_MS)
            out.set(day, (out.get(day) ?? 0n) + nanos(scope, row.subtotal, `${what} row ${i}'s subtotal`))
          }
          return out
        }
        const hours = byDay(await onePage(scope, w, ['HOUR']), 'HOUR')
        const days = byDay(await onePage(scope, w, ['DAY']), 'DAY')
        const show = (m: Map<string, bigint>) =>
          [...m].map(([d, n]) => `${d.slice(0, 10)} ${n}`).join(', ') || 'no rows'
        const same =
          canonical(Object.fromEntries([...hours].map(([d, n]) => [d, String(n)]))) ===
          canonical(Object.fromEntries([...days].map(([d, n]) => [d, String(n)])))
        scope.check('ours', 'nano-USD per UTC day, HOUR rows versus DAY rows', show(days), show(hours), same)
      },
    },
    {
      id: 'costs.split-window',
      rule: 'usageCosts:query subtotals of [a,b) and [b,c) add up to that of [a,c)',
      tag: 'ours',
      run: async (scope, plan) => {
        const w = await whole(scope, plan)
        // b is a whole hour inside the window, not a midnight (as additivity.split-window).
        const b = w.span.startMs + DAY_MS + 5 * HOUR_MS
        const part = async (span: Span) => {
          const exchange = await scope.get('usageCosts:query', [], { body: costsBody(span, w.costScope) })
          return nanos(scope, readCosts(scope, exchange).subtotal, 'subtotal')
        }
        const first = await part({ startMs: w.span.startMs, endMs: b })
        const second = await part({ startMs: b, endMs: w.span.endMs })
        const total = nanos(scope, w.whole.subtotal, 'subtotal')
        scope.check(
          'ours',
          `[a,b) + [b,c) with b = ${formatUtc(b)}`,
          `${total} nano-USD`,
          `${first} + ${second} = ${first + second} nano-USD`,
          first + second === total,
        )
      },
    },
    {
      id: 'costs.pages-concatenate',
      rule: 'usageCosts:query small pages, followed by nextPageToken, concatenate to the rows of one large page',
      tag: 'real',
      run: async (scope, plan) => {
        const { all, pages: small, ended } = await pages(scope, plan)
        scope.require(
          'real',
          'the last page has no nextPageToken',
          `"" within ${MAX_PAGES} pages`,
          ended ? '""' : `a token on page ${MAX_PAGES}`,
          ended,
        )
        const rows = small.flatMap(p => p.rows)
        const same = canonical(rows) === canonical(all.rows)
        scope.check(
          'real',
          `${small.length} pages versus one`,
          `${all.rows.length} rows, the same in the same order`,
          same
            ? 'the same'
            : `${rows.length} rows, e.g. ${shown(rows.find((r, i) => canonical(r) !== canonical(all.rows[i])))}`,
          same,
        )
      },
    },
    {
      id: 'costs.subtotal-every-page',
      rule: 'usageCosts:query subtotal is that of the whole query, the same on every page',
      tag: 'real',
      run: async (scope, plan) => {
        const { all, pages: small } = await pages(scope, plan)
        const total = nanos(scope, all.subtotal, 'subtotal')
        const got = small.map((p, i) => nanos(scope, p.subtotal, `page ${i + 1}'s subtotal`))
        scope.check(
          'real',
          `subtotal on ${small.length} pages`,
          `${total} nano-USD on each`,
          got.every(n => n === total) ? `${total} nano-USD on each` : got.join(', '),
          got.every(n => n === total),
        )
      },
    },
    {
      id: 'costs.models-of-billing-usage',
      rule: 'usageCosts:query MODEL values are the models of billingUsage text serverless rows with a cost, over the same window',
      tag: 'ours',
      run: async (scope, plan) => {
        const w = await whole(scope, plan)
        accountWide(scope, w)
        const byModel = await onePage(scope, w, BY_DAY_AND_MODEL)
        const rated = new Set(byModel.rows.map(r => r.dimensions.model ?? '(unattributed)'))
        const costs = new Map<string, number>()
        for (const row of await textUsage(scope, w)) {
          const model = groupOf(row).model_name ?? '(none)'
          costs.set(model, (costs.get(model) ?? 0) + Number(row.costNanoUsd ?? 0))
        }
        const used = new Set([...costs].filter(([, c]) => c !== 0).map(([m]) => m))
        const extra = [...rated].filter(m => !used.has(m))
        const missing = [...used].filter(m => !rated.has(m))
        const problems = [
          ...(extra.length ? [`${extra.length} not in billingUsage, e.g. ${shown(extra[0])}`] : []),
          ...(missing.length ? [`${missing.length} of billingUsage missing, e.g. ${shown(missing[0])}`] : []),
        ]
        scope.check(
          'ours',
          'models with a rated cost',
          `the ${used.size} models of billingUsage`,
          problems.length ? problems.join('; ') : `the same ${rated.size}`,
          problems.length === 0,
        )
      },
    },
    {
      id: 'costs.subtotal-of-billing-usage',
      rule: `usageCosts:query subtotal equals the costNanoUsd of billingUsage ${TEXT_USAGE_TYPE} rows over the same instants`,
      tag: 'ours',
      run: async (scope, plan) => {
        const w = await whole(scope, plan)
        accountWide(scope, w)
        const rows = await textUsage(scope, w)
        const sum = rows.reduce((s, r) => s + BigInt(Math.round(Number(r.costNanoUsd ?? 0))), 0n)
        const total = nanos(scope, w.whole.subtotal, 'subtotal')
        scope.check(
          'ours',
          'subtotal versus costNanoUsd, to the nano',
          `${sum} nano-USD (${rows.length} rows)`,
          `${total} nano-USD`,
          sum === total,
        )
      },
    },
  ]
}
