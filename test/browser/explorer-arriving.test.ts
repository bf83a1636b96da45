// The explorer marks the days whose usage may still be arriving (USAGE_LAG): with a lag, the API
// answers x-mock-settled-until, and a day (a chart bucket) that ends after that instant gets a `*`
// on the chart's axis and in the table, a shaded band, and a line in the legend saying from when.
// Without a lag there is no header and nothing is marked. The lag is a session's own
// (PUT /_mock/usage-lag), and the page sends that session's name on every request.
// Which days are marked is worked out here by hand from NOW, the lag and the zone.
import t, { type Test } from 'tap'
import type { Page } from 'puppeteer-core'
import { buildApp } from '../../server/app.js'
import { testConfig } from '../helpers.js'
import { launchBrowser, POLL } from './browser.js'

const NOW = '2026-06-10T12:00:00Z'
const LAG = '2h/26h'
// NOW less the settle time (26 h) is 2026-06-09T10:00Z, the start of an hour: usage before it is final
const SETTLED = '2026-06-09T10:00:00Z'
const KEY = 'fw_mockAcmeProdEng01' // the first key of the first account of the default world
const BAND = '234,238,242,255' // the shade of the days still arriving (#eaeef2, chart.js)

const app = buildApp(testConfig({ now: Date.parse(NOW) }))
const base = await app.listen({ port: 0, host: '127.0.0.1' })
const browser = await launchBrowser()
t.teardown(async () => {
  await browser.close()
  // this process's own fetch keeps its sockets open: without this, close() waits out their keep-alive
  const closing = app.close()
  app.server.closeAllConnections()
  await closing
})

/** A page on the explorer, its requests in `session` with the lag LAG (none: the default session, no lag). */
async function explorerPage(session?: string): Promise<Page> {
  const headers: Record<string, string> = session ? { 'x-mock-session': session } : {}
  if (session) {
    const res = await putLag(headers, LAG)
    if (res.status !== 200) throw new Error(`PUT /_mock/usage-lag: ${res.status} ${await res.text()}`)
  }
  const page = await browser.newPage({ width: 1280, height: 900 })
  page.on('pageerror', err => t.fail(`page error: ${String(err)}`))
  await page.setExtraHTTPHeaders(headers)
  await page.goto(`${base}/explorer`)
  await loaded(page, 0)
  return page
}

function putLag(headers: Record<string, string>, lag: string) {
  const body = JSON.stringify({ usageLag: lag })
  return fetch(`${base}/_mock/usage-lag`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  })
}

async function loaded(page: Page, before: number): Promise<void> {
  await page.waitForFunction(
    (n: number) => (globalThis as any).explorer?.loads > n && document.body.dataset.state !== 'loading',
    POLL,
    before,
  )
}

/** Shows a view (the hash of the days 06-03 to 06-09 unless told) and waits for it to be drawn. */
async function show(page: Page, { tz = 'UTC', to = '2026-06-09', costs = false } = {}) {
  const rest = costs
    ? 'stream=COSTS&quantity=cost&groupBy=MODEL'
    : 'stream=SERVERLESS&quantity=tokens&groupBy=model_name'
  const hash = `#account=acme-ai&key=${KEY}&from=2026-06-03&to=${to}&tz=${tz}&${rest}`
  const before: number = await page.evaluate(() => (globalThis as any).explorer.loads)
  const changed = await page.evaluate((h: string) => {
    if (location.hash === h) return false // the same view: no hashchange, no load
    location.hash = h
    return true
  }, hash)
  if (changed) await loaded(page, before)
}

/** The marks as shown: the axis' labels, the table's days, the legend's note, the shaded days, the summary. */
function marks(page: Page) {
  return page.evaluate((band: string) => {
    const { chart } = (globalThis as any).explorer
    const days = [...document.querySelectorAll('#rows tbody tr td:first-child')].map(td => td.textContent)
    // a column of the canvas between two bars of each day, from the top to the bottom of the plot:
    // shaded if the band's colour shows in it (grid lines cross it; neighbouring bars do not reach)
    const { top, height } = chart.bbox
    const shaded = chart.data[0].map((i: number) => {
      const x = Math.round(chart.valToPos(i + 0.42, 'x', true))
      const column = chart.ctx.getImageData(x, top, 1, height).data as Uint8ClampedArray
      return [...Array(height).keys()].some(y => column.slice(4 * y, 4 * y + 4).join() === band)
    })
    return {
      state: document.body.dataset.state,
      axis: chart.axes[0]._values as string[], // the x labels as uPlot drew them
      days: [...new Set(days)].sort(),
      note: document.getElementById('arriving')?.textContent ?? null,
      shaded: shaded as boolean[],
      summary: document.getElementById('summary')!.innerText,
    }
  }, BAND)
}

const DAYS = ['06-03', '06-04', '06-05', '06-06', '06-07', '06-08', '06-09']
/** The labels and table days expected when the last `n` days are marked. */
function expected(n: number, to = DAYS.length) {
  const mark = (d: string, i: number) => (i >= to - n ? `${d}*` : d)
  const days = DAYS.slice(0, to)
  return { axis: days.map(mark), days: days.map((d, i) => `2026-${mark(d, i)}`) }
}

async function isMarked(t: Test, page: Page, n: number, note: string | null, to?: number) {
  const seen = await marks(page)
  t.equal(seen.state, 'ready')
  const { axis, days } = expected(n, to)
  t.same(seen.axis, axis, 'the axis labels')
  t.same(seen.days, days, 'the days in the table')
  t.equal(seen.note, note, 'the legend says so')
  t.same(
    seen.shaded,
    axis.map(label => label.endsWith('*')),
    'the days still arriving are shaded',
  )
  return seen
}

t.test('with a lag, the API says until when usage is final', async t => {
  const headers = { authorization: `Bearer ${KEY}`, 'x-mock-session': 'header' }
  await putLag(headers, LAG)
  const query = 'startTime=2026-06-03T00:00:00Z&endTime=2026-06-10T00:00:00Z&usageType=SERVERLESS'
  const lagged = await fetch(`${base}/v1/accounts/acme-ai/billingUsage?${query}`, { headers })
  t.equal(lagged.headers.get('x-mock-settled-until'), SETTLED)
  const plain = await fetch(`${base}/v1/accounts/acme-ai/billingUsage?${query}`, {
    headers: { authorization: `Bearer ${KEY}` },
  })
  t.equal(plain.headers.get('x-mock-settled-until'), null, 'none without a lag')
  // usageCosts:query: INCOMPLETE while the window ends after the settled instant
  for (const [endTime, completeness] of [
    ['2026-06-10T00:00:00Z', 'INCOMPLETE'],
    ['2026-06-09T00:00:00Z', 'COMPLETE'],
  ]) {
    const res = await fetch(`${base}/v1/accounts/acme-ai/usageCosts:query`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ startTime: '2026-06-03T00:00:00Z', endTime, scope: 'ACCOUNT' }),
    })
    t.equal(res.headers.get('x-mock-settled-until'), SETTLED)
    t.equal((await res.json()).attributionCompleteness, completeness, `to ${endTime}`)
  }
})

t.test('without a lag nothing is marked, in either view', async t => {
  const page = await explorerPage()
  t.teardown(() => page.close())
  await isMarked(t, page, 0, null)
  await show(page, { costs: true })
  const seen = await isMarked(t, page, 0, null)
  t.notMatch(seen.summary, /INCOMPLETE/)
})

t.test('usage by local day: the days that end after the settled instant are marked', async t => {
  const page = await explorerPage('late-usage')
  t.teardown(() => page.close())
  // UTC: 06-09 ends 06-10T00:00Z, after 10:00Z on 06-09; 06-08 ends 06-09T00:00Z, before it
  await isMarked(t, page, 1, '* still arriving: usage after 2026-06-09 10:00 UTC may still grow')
  // hovering the last day names it as marked
  const point = await page.evaluate(() => {
    const { chart } = (globalThis as any).explorer
    const box = chart.over.getBoundingClientRect()
    return { x: box.left + chart.valToPos(6, 'x'), y: box.top + box.height - 5 }
  })
  await page.mouse.move(point.x, point.y)
  t.equal(await page.$eval('#chart .u-legend .u-series .u-value', el => el.textContent), '2026-06-09*')
  await page.mouse.move(0, 0)
  // Pacific/Pago_Pago (UTC-11): 06-08 ends 06-09T11:00Z, after the settled instant (its 06-08 23:00)
  await show(page, { tz: 'Pacific/Pago_Pago' })
  await isMarked(t, page, 2, '* still arriving: usage after 2026-06-08 23:00 Pacific/Pago_Pago may still grow')
  // Pacific/Honolulu (UTC-10): 06-08 ends 06-09T10:00Z, at the settled instant, so it is final
  await show(page, { tz: 'Pacific/Honolulu' })
  await isMarked(t, page, 1, '* still arriving: usage after 2026-06-09 00:00 Pacific/Honolulu may still grow')
})

t.test('rated costs by UTC day: marked the same, and INCOMPLETE as the API says', async t => {
  const page = await explorerPage('late-costs')
  t.teardown(() => page.close())
  await show(page, { costs: true })
  const seen = await isMarked(t, page, 1, '* still arriving: usage after 2026-06-09 10:00 UTC may still grow')
  t.match(seen.summary, /: \S+ \(INCOMPLETE: still arriving\)/)
  // to 06-08: the window ends 06-09T00:00Z, before the settled instant: final, though the lag is on
  await show(page, { costs: true, to: '2026-06-08' })
  const final = await isMarked(t, page, 0, null, 6)
  t.notMatch(final.summary, /INCOMPLETE/)
})
