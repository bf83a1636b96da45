// The usage explorer (/explorer) in a real headless browser, on the default world with a pinned
// clock: the first visit's view, then a time zone and a group-by changed through the controls.
// Each time the chart's series (what uPlot draws, and its legend) and the table must match the
// API's rows for the same query, summed here independently (luxon for local days).
// The browser runs under this machine's own locale, then under two forced ones (a browser per
// locale): en_US.UTF-8, and C, under which Chromium reports the language "en-US@posix".
import { DateTime } from 'luxon'
import t, { type Test } from 'tap'
import type { Page } from 'puppeteer-core'
import { buildApp } from '../../server/app.js'
import { testConfig } from '../helpers.js'
import { launchBrowser, POLL } from './browser.js'

const NOW = '2026-06-10T12:00:00Z'
const KEY = 'fw_mockAcmeProdEng01' // the first key of the first account of the default world
const MAX_SERIES = 12 // the page draws the 11 largest groups and "Other (n groups)" past this

const app = buildApp(testConfig({ now: Date.parse(NOW) }))
const base = await app.listen({ port: 0, host: '127.0.0.1' })
const browser = await launchBrowser() // under this process's own locale
t.teardown(async () => {
  await browser.close()
  await app.close()
})

interface View {
  from: string
  to: string
  tz: string
  groupBy: string[]
}

type Row = Record<string, any> & { startTime: string; group: Record<string, string> }

/** The query of a view, built here from its definition (local midnights by luxon). */
function queryOf(view: View): [string, string][] {
  const start = DateTime.fromISO(view.from, { zone: view.tz }).startOf('day')
  const end = DateTime.fromISO(view.to, { zone: view.tz }).plus({ days: 1 }).startOf('day')
  const iso = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true })!
  const query: [string, string][] = [
    ['startTime', iso(start)],
    ['endTime', iso(end)],
    ['usageType', 'SERVERLESS'],
  ]
  if (view.tz !== 'UTC') query.push(['timezone', view.tz])
  for (const d of view.groupBy) query.push(['groupBy', d])
  return query
}

async function apiRows(view: View): Promise<Row[]> {
  const res = await fetch(`${base}/v1/accounts/acme-ai/billingUsage?${new URLSearchParams(queryOf(view))}`, {
    headers: { authorization: `Bearer ${KEY}` },
  })
  if (res.status !== 200) throw new Error(`the API answered ${res.status}: ${await res.text()}`)
  return (await res.json()).serverlessCosts
}

const dayOf = (row: Row, tz: string) => DateTime.fromISO(row.startTime).setZone(tz).toISODate()!
const tokens = (row: Row) => Number(row.promptTokens) + Number(row.completionTokens)

/** The series the page must draw: tokens (or `of`) per group and local day, largest total first, the smallest folded into "Other". */
function expectedSeries(rows: Row[], view: View, of = tokens) {
  const days: string[] = []
  for (let d = DateTime.fromISO(view.from); d <= DateTime.fromISO(view.to); d = d.plus({ days: 1 }))
    days.push(d.toISODate()!)
  const groups = new Map<string, { label: string; values: number[] }>()
  for (const row of rows) {
    const key = JSON.stringify(row.group)
    const label = Object.values(row.group)
      .map(v => (v === '' ? '(none)' : v.split('/').pop()))
      .join(' · ')
    if (!groups.has(key)) groups.set(key, { label, values: days.map(() => 0) })
    const values = groups.get(key)!.values
    const day = days.indexOf(dayOf(row, view.tz))
    values[day] = values[day]! + of(row)
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
  const all = [...groups.values()].sort((a, b) => sum(b.values) - sum(a.values) || a.label.localeCompare(b.label))
  if (all.length <= MAX_SERIES) return { days, series: all }
  const rest = all.slice(MAX_SERIES - 1)
  const other = { label: `Other (${rest.length} groups)`, values: days.map((_, i) => sum(rest.map(s => s.values[i]!))) }
  return { days, series: [...all.slice(0, MAX_SERIES - 1), other] }
}

/**
 * Reads a number as the page writes it in `locale` (`366,750,881`, `$9,527.97`, `9.527,97 $`):
 * its digits and its decimal and minus signs, as Intl here says; any other sign is left out.
 */
function numberIn(locale: string): (text: string) => number {
  const plain = plainIn(locale)
  return text => (/\d/.test(plain(text)) ? Number(plain(text)) : NaN) // a blank value is no zero
}
function plainIn(locale: string): (text: string) => string {
  const format = new Intl.NumberFormat(locale)
  const digits = new Map([...Array(10).keys()].map(d => [format.format(d), String(d)]))
  const sign = (type: string, n: number) => format.formatToParts(n).find(p => p.type === type)!.value
  const [decimal, minus] = [sign('decimal', 0.5), sign('minusSign', -1)]
  return text => [...text].map(c => digits.get(c) ?? (c === decimal ? '.' : c === minus ? '-' : '')).join('')
}

/** An amount of USD as the page writes it in `locale` (`$1,234.567891`), in nano-USD, exactly (no float). */
function nanosIn(locale: string): (text: string) => bigint {
  const plain = plainIn(locale)
  return text => {
    const [whole, fraction = ''] = plain(text).replace('-', '').split('.')
    if (!/^\d+$/.test(whole!) || fraction.length > 9) throw new Error(`not an amount of nano-USD: ${text}`)
    const nanos = BigInt(whole!) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'))
    return plain(text).startsWith('-') ? -nanos : nanos
  }
}

/** What the page shows: uPlot's series and drawn data, the legend, the table, the request, its locale. */
function shown(page: Page) {
  return page.evaluate(() => {
    const { chart, locale } = (globalThis as any).explorer
    const text = (el: Element | null) => el?.textContent ?? ''
    const legend = [...document.querySelectorAll('#chart .u-legend .u-series')].map(tr => [
      text(tr.querySelector('.u-label')),
      text(tr.querySelector('.u-value')),
    ])
    return {
      locale: locale as string,
      language: navigator.language, // as the page left it for uPlot
      state: document.body.dataset.state,
      hash: decodeURIComponent(location.hash),
      labels: chart ? chart.series.slice(1).map((s: { label: string }) => s.label) : [],
      drawn: chart ? (chart.data.slice(1) as number[][]) : [],
      legend,
      head: [...document.querySelectorAll('#rows thead th')].map(text),
      body: [...document.querySelectorAll('#rows tbody tr')].map(tr => [...tr.children].map(text)),
      curl: text(document.getElementById('snippet-curl')),
      fetch: text(document.getElementById('snippet-fetch')),
      error: ['error-status', 'error-code', 'error-message'].map(id => text(document.getElementById(id))),
    }
  })
}

/** Waits for a load after the `before`-th to finish (an answer to an older view is dropped by the page, never counted). */
async function loaded(page: Page, before: number): Promise<void> {
  await page.waitForFunction(
    (n: number) => (globalThis as any).explorer?.loads > n && document.body.dataset.state !== 'loading',
    POLL,
    before,
  )
}
const loads = (page: Page): Promise<number> => page.evaluate(() => (globalThis as any).explorer?.loads ?? 0)

/** Chart, legend, table and totals against the API's answers for the same view. */
async function matchesApi(t: Test, page: Page, view: View) {
  const rows = await apiRows(view)
  t.ok(rows.length > 0, 'the API has rows for the view')
  const { series } = expectedSeries(rows, view)
  const seen = await shown(page)
  t.equal(seen.state, 'ready')
  const number = numberIn(seen.locale)
  // the stack is listed and drawn top first: the largest series is at the bottom, last
  const topDown = [...series].reverse()
  t.same(
    seen.labels,
    topDown.map(s => s.label),
    'one series per group, in stack order',
  )
  // uPlot draws running totals; each series' own values are the difference to the one below it
  const own = seen.drawn.map((values, k) => values.map((v, i) => v - (seen.drawn[k + 1]?.[i] ?? 0)))
  t.same(
    own,
    topDown.map(s => s.values),
    'each series has its group tokens per day',
  )
  t.same(
    seen.legend[0],
    ['day', `${view.from.slice(5)} – ${view.to.slice(5)}`],
    'the legend names the days of its totals',
  )
  t.same(
    seen.legend.slice(1).map(([label, value]) => [label, number(value!)]),
    topDown.map(s => [s.label, s.values.reduce((a, b) => a + b, 0)]),
    'the legend lists each series with its total',
  )
  tableMatches(t, seen, rows, view)
  await totalsMatch(t, page, view)
  // the request shown is the query of the view
  const url = new URL(seen.curl.match(/'(http[^']+)'/)![1]!)
  t.same([...url.searchParams], queryOf(view), 'the curl line sends the same query')
  t.equal(url.origin + url.pathname, `${base}/v1/accounts/acme-ai/billingUsage`)
  return { rows, series, seen }
}

/** The table: one line per API row, in the API's order. */
function tableMatches(t: Test, seen: Awaited<ReturnType<typeof shown>>, rows: Row[], view: View) {
  const number = numberIn(seen.locale)
  const fields = [
    'usageType',
    'promptTokens',
    'cachedPromptTokens',
    'completionTokens',
    'audioInputSeconds',
    'costNanoUsd',
  ]
  const dimensions = Object.keys(rows[0]!.group)
  t.same(seen.head, ['day', ...dimensions, ...fields])
  t.same(
    seen.body.map(cells => cells.map((c, i) => (i > dimensions.length + 1 ? number(c) : c))),
    rows.map(r => [
      dayOf(r, view.tz),
      ...dimensions.map(d => r.group[d] || '(none)'),
      r.usageType,
      ...fields.slice(1).map(f => Number(r[f])),
    ]),
    'the table shows the rows',
  )
}

/** The billing summary's total for the window, of every stream and of serverless. */
async function totalsMatch(t: Test, page: Page, view: View) {
  const number = numberIn((await shown(page)).locale)
  const [start, end] = queryOf(view).map(([, v]) => v)
  const res = await fetch(`${base}/v1/accounts/acme-ai/billing/summary?startTime=${start}&endTime=${end}`, {
    headers: { authorization: `Bearer ${KEY}` },
  })
  const items = (await res.json()).lineItems as { series: string; totalCost: { units: string; nanos: number } }[]
  const dollars = (list: typeof items) =>
    list.reduce((sum, i) => sum + Number(i.totalCost.units) + i.totalCost.nanos / 1e9, 0)
  const totals = await page.evaluate(() =>
    ['total-all', 'total-stream'].map(id => document.getElementById(id)?.textContent ?? ''),
  )
  t.ok(Math.abs(number(totals[0]!) - dollars(items)) < 0.005, `all streams: ${totals[0]}`)
  t.ok(
    Math.abs(number(totals[1]!) - dollars(items.filter(i => i.series === 'SERVERLESS'))) < 0.005,
    `serverless: ${totals[1]}`,
  )
}

const page = await browser.newPage({ width: 1280, height: 900 })
page.on('pageerror', err => t.fail(`page error: ${String(err)}`))

t.test('the first visit opens on the first key, the last 7 whole days and serverless tokens by model', async t => {
  await page.goto(`${base}/explorer`)
  await loaded(page, 0)
  const view = { from: '2026-06-03', to: '2026-06-09', tz: 'UTC', groupBy: ['model_name'] }
  const { seen } = await matchesApi(t, page, view)
  t.equal(
    seen.hash,
    `#account=acme-ai&key=${KEY}&from=2026-06-03&to=2026-06-09&tz=UTC&stream=SERVERLESS&quantity=tokens&groupBy=model_name`,
    'the URL holds the view',
  )
  t.ok(seen.labels.includes('kimi-k2p6'), 'models are named')
  // whatever this machine's locale, the page writes its numbers in one that Intl takes
  t.equal(Intl.getCanonicalLocales(seen.locale)[0], seen.locale, `the page's locale ${seen.locale}`)
  t.equal(seen.language, seen.locale, 'and gave uPlot the same')
})

t.test('at 1280 px the table fits the page: its last column is whole', async t => fitsAt1280(t, page))

async function fitsAt1280(t: Test, page: Page) {
  t.equal(await page.evaluate(() => innerWidth), 1280)
  const box = await page.evaluate(() => {
    const table = document.getElementById('table')!
    const right = (el: Element) => el.getBoundingClientRect().right
    return {
      lastHeader: right([...document.querySelectorAll('#rows thead th')].pop()!),
      lastCell: right(document.querySelector('#rows tbody tr')!.lastElementChild!),
      container: right(table),
      page: document.documentElement.clientWidth,
      scrolls: table.scrollWidth > table.clientWidth,
    }
  })
  t.ok(box.lastHeader <= box.container && box.container <= box.page, JSON.stringify(box))
  t.ok(box.lastCell <= box.container, 'the last column of the first row too')
  t.notOk(box.scrolls, 'nothing to scroll to')
  t.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    'nor on the page',
  )
}

t.test("the page's locale: the browser's first language that Intl takes, else en-US", async t => {
  const cases: [string[], string][] = [
    [['de-DE', 'en-US'], 'de-DE'],
    [['en-US@posix'], 'en-US'], // Chromium under LANG=C
    [['de_DE.UTF-8'], 'de-DE'], // a POSIX locale name
    [['C'], 'en-US'],
    [['POSIX'], 'en-US'], // a well-formed tag, of no language Intl has
    [['C', 'fr-FR'], 'fr-FR'],
    [[], 'en-US'],
  ]
  const got = await page.evaluate(
    async (url: string, tags: string[][]) => {
      const { pageLocale } = await import(url) // the page's own module, as the page loaded it
      return tags.map(list => pageLocale(list) as string)
    },
    '/explorer/locale.js',
    cases.map(([tags]) => tags),
  )
  t.same(
    got,
    cases.map(([, locale]) => locale),
  )
})

t.test('hovering a day shows that day in the legend', async t => {
  const view = { from: '2026-06-03', to: '2026-06-09', tz: 'UTC', groupBy: ['model_name'] }
  const { series } = expectedSeries(await apiRows(view), view)
  const day = 2
  const point = await page.evaluate((day: number) => {
    const { chart } = (globalThis as any).explorer
    const box = chart.over.getBoundingClientRect()
    return { x: box.left + chart.valToPos(day, 'x'), y: box.top + box.height - 5 }
  }, day)
  await page.mouse.move(point.x, point.y)
  const { legend, locale } = await shown(page)
  const number = numberIn(locale)
  t.same(legend[0], ['day', '2026-06-05'])
  t.same(
    legend.slice(1).map(([label, value]) => [label, number(value!)]),
    [...series].reverse().map(s => [s.label, s.values[day]]),
  )
  await page.mouse.move(0, 0)
  t.same((await shown(page)).legend[0], ['day', '06-03 – 06-09'], 'off the chart again: the days of the totals')
})

t.test('another time zone: local days of that zone, same series and table as the API', async t => {
  const before = await loads(page)
  await page.click('#tz', { count: 3 })
  await page.type('#tz', 'Asia/Kathmandu')
  await page.keyboard.press('Enter')
  await loaded(page, before)
  await matchesApi(t, page, { from: '2026-06-03', to: '2026-06-09', tz: 'Asia/Kathmandu', groupBy: ['model_name'] })
})

t.test('another group-by: one series per API key, the smallest folded into Other', async t => {
  let before = await loads(page)
  await page.click('#group-by input[value="api_key_name"]')
  await loaded(page, before)
  before = await loads(page)
  await page.click('#group-by input[value="model_name"]')
  await loaded(page, before)
  const view = { from: '2026-06-03', to: '2026-06-09', tz: 'Asia/Kathmandu', groupBy: ['api_key_name'] }
  const { rows, seen } = await matchesApi(t, page, view)
  t.ok(new Set(rows.map(r => r.group.api_key_name)).size > MAX_SERIES, 'more keys than series')
  t.match(seen.labels[0], /^Other \(\d+ groups\)$/)
  // the fetch snippet, run as it is shown, gets the same rows
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the page's own snippet, as a user would paste it
  const run = new Function(`return (async () => { ${seen.fetch}; return usage })()`) as () => Promise<{
    serverlessCosts: Row[]
  }>
  t.same((await run()).serverlessCosts, rows, 'the fetch snippet works')
})

t.test('a link reproduces the view', async t => {
  const other = await browser.newPage()
  t.teardown(() => other.close())
  await other.goto(page.url())
  await loaded(other, 0)
  const [a, b] = [await shown(page), await shown(other)]
  t.same(b.body, a.body)
  t.same(b.labels, a.labels)
  t.equal(b.curl, a.curl)
})

t.test('an error is shown as the API gave it', async t => {
  const before = await loads(page)
  await page.evaluate(() => {
    location.hash = location.hash.replace(/from=[^&]*/, 'from=2026-04-01') // 70 days: more than 31
  })
  await loaded(page, before)
  const seen = await shown(page)
  t.equal(seen.state, 'error')
  // the failed request, as the page names it, sent again here
  const request = await page.$eval('#error-url', el => el.textContent ?? '')
  t.match(
    request,
    /^\/v1\/accounts\/acme-ai\/billingUsage\?startTime=2026-03-31T18:15:00Z&endTime=2026-06-09T18:15:00Z&/,
  )
  const res = await fetch(base + request, { headers: { authorization: `Bearer ${KEY}` } })
  const body = await res.json()
  t.same(seen.error, [String(res.status), String(body.code), body.message])
  t.same(seen.error, ['400', '3', 'end_time must not be more than 31 days after start_time'])
  t.same(seen.body, [], 'no stale rows')
})

t.test('with ADMIN=off the keys cannot be listed, and a typed key works', async t => {
  const closed = buildApp(testConfig({ now: Date.parse(NOW), admin: 'off' }))
  const closedBase = await closed.listen({ port: 0, host: '127.0.0.1' })
  const other = await browser.newPage()
  t.teardown(async () => {
    await other.close()
    // The browser keeps its sockets to this server open, and one still busy when close() begins
    // would hold it for the whole keep-alive timeout (seen under a loaded suite).
    const closing = closed.close()
    closed.server.closeAllConnections()
    await closing
  })
  await other.goto(`${closedBase}/explorer`)
  await loaded(other, 0)
  t.equal((await shown(other)).state, 'error', 'no key to start with')
  t.match(await other.$eval('#keys-note', el => el.textContent), /Keys cannot be listed \(404/)
  await other.type('#account', 'globex')
  await other.type('#secret', 'fw_mockGlobexProd01')
  await other.keyboard.press('Enter')
  await other.waitForFunction(
    () => location.hash.includes('key=fw_mockGlobexProd01') && document.body.dataset.state !== 'loading',
    POLL,
  )
  const seen = await shown(other)
  t.equal(seen.state, 'ready')
  t.match(seen.hash, /account=globex&key=fw_mockGlobexProd01&from=2026-06-03&to=2026-06-09/)
  t.ok(seen.body.length > 0, 'rows of globex')
})

const FIRST_VIEW: View = { from: '2026-06-03', to: '2026-06-09', tz: 'UTC', groupBy: ['model_name'] }

t.test('a chart that cannot be drawn is named as such, and the table and totals are still shown', async t => {
  const other = await browser.newPage()
  t.teardown(() => other.close())
  // uPlot's script throws as it loads, as it did under LANG=C before the page chose its locale
  await other.setRequestInterception(true)
  other.on('request', request => {
    if (request.url().endsWith('/uPlot.iife.min.js'))
      void request.respond({
        contentType: 'text/javascript',
        body: "throw new RangeError('Invalid language tag: xx@posix')",
      })
    else void request.continue()
  })
  await other.goto(`${base}/explorer`)
  await loaded(other, 0)
  const seen = await shown(other)
  t.equal(seen.state, 'error')
  t.equal(
    await other.$eval('#error', el => (el as HTMLElement).innerText), // what shows: hidden parts left out
    'Answered, but could not draw: the chart: uPlot, the chart library, did not load (the browser console says why)',
  )
  t.same(seen.labels, [], 'no chart')
  tableMatches(t, seen, await apiRows(FIRST_VIEW), FIRST_VIEW)
  await totalsMatch(t, other, FIRST_VIEW)
})

// ---- rated costs: usageCosts:query, checked against billingUsage's text rows over the same UTC days

const TEXT = 'TEXT_COMPLETION_INFERENCE_USAGE'
const STAGING_KEY = 'fw_mockAcmeStaging01' // a plain user's key (grace): ACCOUNT scope is refused

/** billingUsage's priced text rows of UTC days, grouped by `dimension`, in windows of 31 days at most (the API's bound). */
async function textRows(from: string, to: string, dimension: string): Promise<Row[]> {
  const rows: Row[] = []
  for (let first = DateTime.fromISO(from); first <= DateTime.fromISO(to); first = first.plus({ days: 31 })) {
    const last = DateTime.min(first.plus({ days: 30 }), DateTime.fromISO(to))
    rows.push(...(await apiRows({ from: first.toISODate()!, to: last.toISODate()!, tz: 'UTC', groupBy: [dimension] })))
  }
  return rows.filter(r => r.usageType === TEXT && Number(r.costNanoUsd) !== 0)
}

/** Rows as usageCosts:query must give them: [UTC day, value, nano-USD] summed per day and value, in day then value order. */
function costRows(rows: Row[], valueOf: (row: Row) => string): [string, string, bigint][] {
  const sums = new Map<string, bigint>()
  for (const row of rows) {
    const key = JSON.stringify([row.startTime.slice(0, 10), valueOf(row)])
    sums.set(key, (sums.get(key) ?? 0n) + BigInt(row.costNanoUsd))
  }
  return [...sums]
    .map(([key, nanos]) => [...(JSON.parse(key) as [string, string]), nanos] as [string, string, bigint])
    .sort(([d1, v1], [d2, v2]) => (d1 !== d2 ? (d1 < d2 ? -1 : 1) : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
}
const sumOf = (rows: [string, string, bigint][]) => rows.reduce((sum, [, , nanos]) => sum + nanos, 0n)

/** The cost view's table and total, read exactly: [day, value, nano-USD] per line. */
async function shownCosts(page: Page) {
  const seen = await shown(page)
  const nanos = nanosIn(seen.locale)
  return {
    seen,
    rows: seen.body.map(([day, value, amount]) => [day, value, nanos(amount!)]),
    total: nanos(await page.$eval('#total-costs', el => el.textContent ?? '')),
    summary: await page.$eval('#summary', el => (el as HTMLElement).innerText),
  }
}

const costs = await browser.newPage({ width: 1280, height: 900 })
costs.on('pageerror', err => t.fail(`page error: ${String(err)}`))
/** The bodies the page posts to usageCosts:query, and the statuses it got. */
const posted: { body: Record<string, any>; status?: number }[] = []
costs.on('request', request => {
  if (request.method() === 'POST' && request.url().endsWith('/usageCosts:query'))
    posted.push({ body: JSON.parse(request.postData() ?? '{}') })
})
costs.on('response', response => {
  const request = response.request()
  if (request.method() === 'POST' && request.url().endsWith('/usageCosts:query'))
    posted.find(p => p.status === undefined)!.status = response.status()
})

t.test('rated costs by day and model: the rows, and the total of billingUsage text costs', async t => {
  await costs.goto(`${base}/explorer`)
  await loaded(costs, 0)
  const before = await loads(costs)
  posted.length = 0
  await costs.select('#stream', 'COSTS')
  await loaded(costs, before)
  const { seen, rows, total, summary } = await shownCosts(costs)
  t.equal(seen.state, 'ready')
  t.match(seen.hash, /&from=2026-06-03&to=2026-06-09&tz=UTC&stream=COSTS&quantity=cost&groupBy=MODEL$/)
  const text = await textRows('2026-06-03', '2026-06-09', 'model_name')
  const expected = costRows(text, r => r.group.model_name!)
  t.ok(expected.length > 31, `${expected.length} rows`)
  t.same(seen.head, ['day', 'model', 'subtotal'])
  t.same(rows, expected, 'a line per UTC day and model, its exact subtotal')
  t.equal(total, sumOf(expected), 'the total is the text costNanoUsd of the window, to the nano')
  t.match(summary, /^Rated costs, UTC days 2026-06-03 to 2026-06-09, scope ACCOUNT: \S/, 'no note: an admin key')
  t.same(
    posted.map(p => [p.body, p.status]),
    [
      [
        {
          startTime: '2026-06-03T00:00:00Z',
          endTime: '2026-06-10T00:00:00Z',
          groupBy: ['DAY', 'MODEL'],
          pageSize: 1000,
          scope: 'ACCOUNT',
        },
        200,
      ],
    ],
    'one window, one page',
  )
  // the chart: whole nano-USD per model and day, the smallest models folded into Other
  const view = { from: '2026-06-03', to: '2026-06-09', tz: 'UTC', groupBy: ['model_name'] }
  const { series } = expectedSeries(text, view, r => Number(r.costNanoUsd))
  const topDown = [...series].reverse()
  t.same(
    seen.labels,
    topDown.map(s => s.label),
  )
  t.same(
    seen.drawn.map((values, k) => values.map((v, i) => v - (seen.drawn[k + 1]?.[i] ?? 0))),
    topDown.map(s => s.values),
  )
  const number = numberIn(seen.locale)
  t.same(
    seen.legend.slice(1).map(([label, value]) => [label, Math.round(number(value!) * 100)]),
    topDown.map(s => [s.label, Math.round(s.values.reduce((a, b) => a + b, 0) / 1e7)]),
    'the legend: each series total in cents',
  )
  // the request shown is the one sent, and the fetch snippet, run as it is shown, gets the same total
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the page's own snippet, as a user would paste it
  const run = new Function(`return (async () => { ${seen.fetch}; return usage })()`) as () => Promise<{
    subtotal: { units: string; nanos: number }
  }>
  const { subtotal } = await run()
  t.equal(BigInt(subtotal.units) * 1_000_000_000n + BigInt(subtotal.nanos), total, 'the fetch snippet works')
  t.match(seen.curl, /-d '\{"startTime":"2026-06-03T00:00:00Z",.*"scope":"ACCOUNT"\}'/)
  await fitsAt1280(t, costs)
})

t.test("the cost view's money and windows, as the page's own module computes them", async t => {
  const got = await costs.evaluate(async (url: string) => {
    const { costBodies, exactUsd, nanoOf } = await import(url)
    const windows = (from: string, to: string) =>
      costBodies({ from, to, groupBy: [] }, 'MODEL').map((b: { startTime: string; endTime: string }) => [
        b.startTime.slice(0, 10),
        b.endTime.slice(0, 10),
      ])
    return {
      // past 2^53 nano-USD (9,007,199 USD) a float would round: these must come out digit for digit
      money: [
        { units: '92233720368', nanos: 547758079 },
        { units: '-1', nanos: -500000000 },
        { units: '0', nanos: 1 },
        { units: '12', nanos: 0 },
      ].map(m => exactUsd(nanoOf(m))),
      sum: exactUsd(nanoOf({ units: '9007199', nanos: 254740993 }) + nanoOf({ units: '0', nanos: 1 })),
      windows: [windows('2026-01-01', '2026-03-15'), windows('2026-06-09', '2026-06-03')],
    }
  }, '/explorer/costs.js')
  const nanos = nanosIn((await shown(costs)).locale)
  t.same(got.money.map(nanos), [92233720368547758079n, -1500000000n, 1n, 12000000000n], got.money.join(' '))
  t.equal(nanos(got.sum), 9007199254740994n, got.sum)
  t.same(got.windows, [
    [
      ['2026-01-01', '2026-02-01'],
      ['2026-02-01', '2026-03-04'],
      ['2026-03-04', '2026-03-16'],
    ],
    [['2026-06-09', '2026-06-04']], // days in the wrong order: one window, for the API to refuse
  ])
})

const LONG = { from: '2026-05-01', to: '2026-06-09' } // 40 days: two windows, the first of two pages by API key

t.test('by API key over 40 days: two windows of at most 31 days, each paged to its end', async t => {
  const before = await loads(costs)
  posted.length = 0
  await costs.evaluate(from => {
    location.hash = location.hash.replace(/from=[^&]*/, `from=${from}`).replace('groupBy=MODEL', 'groupBy=API_KEY')
  }, LONG.from)
  await loaded(costs, before)
  const { seen, rows, total } = await shownCosts(costs)
  t.equal(seen.state, 'ready')
  const may = costRows(await textRows(LONG.from, '2026-05-31', 'api_key_id'), r => r.group.api_key_id!)
  const june = costRows(await textRows('2026-06-01', LONG.to, 'api_key_id'), r => r.group.api_key_id!)
  t.ok(may.length > 1000 && may.length <= 2000 && june.length <= 1000, `${may.length} and ${june.length} rows`)
  t.same(seen.head, ['day', 'apiKeyId', 'subtotal'])
  t.same(
    rows,
    [...may, ...june].map(([day, key, nanos]) => [day, key || '(none)', nanos]),
  )
  t.equal(total, sumOf(may) + sumOf(june))
  const windows = posted.map(p => [p.body.startTime, p.body.endTime, typeof p.body.pageToken, p.status])
  t.same(windows, [
    ['2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z', 'undefined', 200],
    ['2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z', 'string', 200],
    ['2026-06-01T00:00:00Z', '2026-06-10T00:00:00Z', 'undefined', 200],
  ])
  t.match(seen.labels[0], /^Other \(\d+ groups\)$/, 'more keys than series')
})

t.test("a plain user's key: ACCOUNT is refused, the page shows the user's own costs and says so", async t => {
  let before = await loads(costs)
  await costs.click('#group-by input[value="USER"]')
  await loaded(costs, before)
  t.notOk(await costs.$eval('#scope-note', el => (el as HTMLElement).offsetParent !== null), 'no note for an admin')
  before = await loads(costs)
  posted.length = 0
  await costs.select('#key', STAGING_KEY)
  await loaded(costs, before)
  const { seen, rows, total, summary } = await shownCosts(costs)
  t.equal(seen.state, 'ready')
  t.match(seen.hash, new RegExp(`key=${STAGING_KEY}&from=2026-05-01&to=2026-06-09&.*stream=COSTS&.*groupBy=USER`))
  t.same(
    posted.map(p => [p.body.startTime, p.body.scope, p.status]),
    [
      ['2026-05-01T00:00:00Z', 'ACCOUNT', 403],
      ['2026-05-01T00:00:00Z', 'SELF', 200],
      ['2026-06-01T00:00:00Z', 'SELF', 200],
    ],
  )
  t.equal(
    await costs.$eval('#scope-note', el => (el as HTMLElement).innerText),
    'Your key is not an admin: showing your own costs.',
  )
  t.match(summary, /scope SELF/)
  // SELF: the usage of every key of the calling key's user, as /_mock/accounts lists them
  const listed = (await (await fetch(`${base}/_mock/accounts`)).json()) as {
    accounts: { account: string; keys: { id: string; secret: string; user: string }[] }[]
  }
  const keys = listed.accounts.find(a => a.account === 'acme-ai')!.keys
  const user = keys.find(k => k.secret === STAGING_KEY)!.user
  const own = new Set(keys.filter(k => k.user === user).map(k => k.id))
  const mine = (await textRows(LONG.from, LONG.to, 'api_key_id')).filter(r => own.has(r.group.api_key_id!))
  const expected = costRows(mine, () => `accounts/acme-ai/users/${user}`)
  t.ok(expected.length > 31, `${user}'s costs on ${expected.length} days`)
  t.same(seen.head, ['day', 'user', 'subtotal'])
  t.same(rows, expected)
  t.equal(total, sumOf(expected))
  t.match(seen.curl, /"scope":"SELF"/, 'the request shown is the one that was answered')
  await fitsAt1280(t, costs)
})

// A browser per locale, each for the first visit only: launches are what costs here.
for (const [locale, language] of [
  ['en_US.UTF-8', 'en-US'],
  ['C', 'en-US@posix'],
] as const)
  t.test(`under LANG=${locale} the browser reports ${language}; the page draws in en-US`, async t => {
    const forced = await launchBrowser({ locale })
    t.teardown(() => forced.close())
    const page = await forced.newPage({ width: 1280, height: 900 })
    page.on('pageerror', err => t.fail(`page error: ${String(err)}`))
    await page.goto(`${base}/explorer`)
    await loaded(page, 0)
    t.same(await page.evaluate(() => navigator.languages), [language], 'the language the browser reports')
    const { seen } = await matchesApi(t, page, FIRST_VIEW)
    t.equal(seen.locale, 'en-US')
    t.equal(seen.language, 'en-US', "uPlot's too")
  })
