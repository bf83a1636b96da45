// The rated-cost view: usageCosts:query's subtotals by UTC day and one of model, API key or
// user. Money stays exact: Money becomes integer nano-USD (BigInt), written from its decimal
// digits, never added as float dollars. No DOM; the query loop is given the call to make.

import { LOCALE } from './locale.js'
import { addDays, daysOf } from './view.js'

/** The stream control's value for this view, beside the usage streams. */
export const COSTS = 'COSTS'
export const COST_SOURCE = {
  label: 'Rated costs',
  quantities: { cost: { label: 'USD' } },
  groupBy: ['MODEL'],
}

/** What the view groups by besides DAY, each with its field in a row's `dimensions`. */
export const COST_GROUPS = { MODEL: 'model', API_KEY: 'apiKeyId', USER: 'user' }
export const costGroup = view => view.groupBy.find(d => d in COST_GROUPS) ?? 'MODEL'

const NANO = 1_000_000_000n
/** Nano-USD of a google.type.Money: `units` an int64 string, `nanos` of the same sign. */
export const nanoOf = money => BigInt(money.units) * NANO + BigInt(money.nanos)

// Intl formats a decimal string as the exact number it spells
const decimal = nano => {
  const abs = nano < 0n ? -nano : nano
  return `${nano < 0n ? '-' : ''}${abs / NANO}.${String(abs % NANO).padStart(9, '0')}`
}
const format = options => new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', ...options })
const [cents, every, compact] = [{}, { minimumFractionDigits: 9 }, { notation: 'compact' }].map(format)
export const exactUsd = nano => every.format(decimal(nano))
/** The chart sums whole nano-USD, exact below 2^53 (9 million USD): the legend in cents, the axis compact. */
export const COST_QUANTITY = { of: row => Number(row.nano), format: n => cents.format(decimal(BigInt(n))) }
export const axisUsd = nano => compact.format(nano / 1e9)

/** The bodies for the view's days (UTC days, the API's DAY buckets) in windows of 31 days at most, as the API takes. */
export function costBodies(view, group) {
  const days = daysOf(view)
  const windows = days.length > 0 ? [] : [[view.from, view.to]] // days in the wrong order: the API says so
  for (let i = 0; i < days.length; i += 31) windows.push([days[i], days[Math.min(i + 31, days.length) - 1]])
  return windows.map(([first, last]) => ({
    startTime: `${first}T00:00:00Z`,
    endTime: `${addDays(last, 1)}T00:00:00Z`,
    groupBy: ['DAY', group],
    pageSize: 1000, // the largest page, as cost tools ask
  }))
}

/**
 * The rows of every window and page, and the total: the sum of the windows' subtotals (the same
 * on every page). ACCOUNT scope, or SELF once that is refused (403: not an admin), as cost tools do.
 * settledUntil: the earliest of the answers'; incomplete: one of them said INCOMPLETE.
 */
export async function queryCosts(call, bodies, group) {
  const answer = { scope: 'ACCOUNT', rows: [], total: 0n, settledUntil: Infinity }
  const post = request =>
    call(request).then(({ body, settledUntil }) => {
      answer.settledUntil = Math.min(answer.settledUntil, settledUntil)
      answer.incomplete ||= body.attributionCompleteness === 'INCOMPLETE'
      return body
    })
  const ask = body =>
    post({ ...body, scope: answer.scope }).catch(err => {
      if (err.status !== 403 || answer.scope !== 'ACCOUNT') throw err
      answer.scope = 'SELF'
      return post({ ...body, scope: 'SELF' })
    })
  for (const body of bodies) {
    let page = await ask(body)
    answer.total += nanoOf(page.subtotal)
    for (;;) {
      for (const { dimensions, subtotal } of page.rows)
        answer.rows.push({
          startTime: dimensions.startTime,
          group: { [group]: dimensions[COST_GROUPS[group]] ?? '' }, // no value: unattributed
          nano: nanoOf(subtotal),
        })
      if (!page.nextPageToken) break
      page = await ask({ ...body, pageToken: page.nextPageToken })
    }
  }
  return answer
}

export function costTable(rows, group) {
  return {
    head: ['day', COST_GROUPS[group], 'subtotal'],
    numeric: [false, false, true],
    body: rows.map(r => [r.startTime.slice(0, 10), r.group[group] || '(none)', exactUsd(r.nano)]),
  }
}
