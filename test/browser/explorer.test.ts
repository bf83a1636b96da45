// The usage explorer (/explorer) in a real headless browser, on the default world with a pinned
// clock: the first visit's view, then a time zone and a group-by changed through the controls.
// Each time the chart's series (what uPlot draws, and its legend) and the table must match the
// API's rows for the same query, summed here independently (luxon for local days).
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
const browser = await launchBrowser()
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

/** The series the page must draw: tokens per group and local day, largest total first, the smallest folded into "Other". */
function expectedSeries(rows: Row[], view: View) {
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
    values[day] = values[day]! + tokens(row)
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
  const all = [...groups.values()].sort((a, b) => sum(b.values) - sum(a.values) || a.label.localeCompare(b.label))
  if (all.length <= MAX_SERIES) return { days, series: all }
  const rest = all.slice(MAX_SERIES - 1)
  const other = { label: `Other (${rest.length} groups)`, values: days.map((_, i) => sum(rest.map(s => s.values[i]!))) }
  return { days, series: [...all.slice(0, MAX_SERIES - 1), other] }
}

/** What the page shows: uPlot's series and drawn data, the legend, the table, the request. */
function shown(page: Page) {
  return page.evaluate(() => {
    const { chart } = (globalThis as any).explorer
    const text = (el: Element | null) => el?.textContent ?? ''
    const legend = [...document.querySelectorAll('#chart .u-legend .u-series')].map(tr => [
      text(tr.querySelector('.u-label')),
      text(tr.querySelector('.u-value')),
    ])
    return {
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
const number = (text: string) => Number(text.replace(/[$,]/g, ''))

/** Chart, legend and table against the API's rows for the same view. */
async function matchesApi(t: Test, page: Page, view: View) {
  const rows = await apiRows(view)
  t.ok(rows.length > 0, 'the API has rows for the view')
  const { series } = expectedSeries(rows, view)
  const seen = await shown(page)
  t.equal(seen.state, 'ready')
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
    seen.legend.slice(1).map(([label, value]) => [label, number(value!)]),
    topDown.map(s => [s.label, s.values.reduce((a, b) => a + b, 0)]),
    'the legend lists each series with its total',
  )
  // the table: one line per API row, in the API's order
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
  // the billing summary's total for the window, of every stream and of serverless
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
  // the request shown is the query of the view
  const url = new URL(seen.curl.match(/'(http[^']+)'/)![1]!)
  t.same([...url.searchParams], queryOf(view), 'the curl line sends the same query')
  t.equal(url.origin + url.pathname, `${base}/v1/accounts/acme-ai/billingUsage`)
  return { rows, series, seen }
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
  const { legend } = await shown(page)
  t.same(legend[0], ['day', '2026-06-05'])
  t.same(
    legend.slice(1).map(([label, value]) => [label, number(value!)]),
    [...series].reverse().map(s => [s.label, s.values[day]]),
  )
  await page.mouse.move(0, 0)
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
