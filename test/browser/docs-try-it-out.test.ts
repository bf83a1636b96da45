// /docs in a real headless browser: Swagger UI's "Try it out" must work with the document's
// defaults and examples, and a filter typed into the form must reach the server as a filter
// (issue #14, item 2: the old document prefilled `additionalProp1` and sent filters as JSON,
// so every request was a 400).
import t from 'tap'
import type { Page } from 'puppeteer-core'
import { buildApp } from '../../server/app.js'
import { testConfig } from '../helpers.js'
import { launchBrowser, POLL } from './browser.js'

const KEY = 'fw_mockAcmeProdEng01' // a fixed key of the default world's acme-ai
// not the document's example value (kimi-k2p6), so the test shows that what is typed is sent
const MODEL = 'accounts/fireworks/models/deepseek-v3p1'

const app = buildApp(testConfig({ now: Date.parse('2026-06-10T12:00:00Z') }))
const base = await app.listen({ port: 0, host: '127.0.0.1' })
const browser = await launchBrowser()
t.teardown(async () => {
  await browser.close()
  await app.close()
})

const page = await browser.newPage()
await page.goto(`${base}/docs`, { waitUntil: 'networkidle0' })

async function authorize(page: Page, key: string): Promise<void> {
  await page.click('button.authorize')
  await page.waitForSelector('.modal-ux input[type=text]')
  await page.type('.modal-ux input[type=text]', key)
  await page.click('.modal-ux button.modal-btn.auth.authorize')
  await page.click('.modal-ux button.btn-done')
  await page.waitForSelector('.modal-ux', { hidden: true })
}

/** Opens an operation and switches it to "Try it out"; returns its root selector. */
async function tryItOut(page: Page, tag: string, operationId: string): Promise<string> {
  const root = `#operations-${tag}-${operationId}`
  await page.click(`${root} .opblock-summary`)
  await (await page.waitForSelector(`${root} .try-out__btn`))!.click()
  await page.waitForSelector(`${root} button.execute`)
  return root
}

interface Shown {
  url: string
  status: number
  body: any
}

/** Clicks Execute and returns the request URL, status and body that Swagger UI shows. */
async function execute(page: Page, root: string): Promise<Shown> {
  // Clear the previous answer first, so that what is read next is this request's.
  const clear = await page.$(`${root} button.btn-clear`)
  if (clear) await clear.click()
  await page.click(`${root} button.execute`)
  // Swagger UI either sends and shows the answer, or refuses to send and marks the inputs it
  // finds invalid (a required parameter left empty, a value that does not parse).
  await page.waitForFunction(
    (root: string) =>
      document.querySelector(`${root} .live-responses-table tbody .response-col_status, ${root} .parameters .invalid`),
    POLL,
    root,
  )
  const refused = await page.$$eval(`${root} tr[data-param-name]:has(.invalid)`, rows =>
    rows.map(r => r.getAttribute('data-param-name')),
  )
  if (refused.length > 0)
    return { url: '', status: 0, body: `not sent: Swagger UI marks these parameters invalid: ${refused.join(', ')}` }
  return page.$eval(root, el => {
    const text = (selector: string) => el.querySelector(selector)?.textContent ?? ''
    const bodyText =
      text('.live-responses-table .response-col_description .microlight') ||
      text('.live-responses-table .response-col_description pre')
    let body: unknown = bodyText
    try {
      body = JSON.parse(bodyText)
    } catch {
      // not JSON: keep the text, the assertions will show it
    }
    return {
      url: text('.request-url pre'),
      status: Number(text('.live-responses-table tbody .response-col_status')),
      body,
    }
  })
}

/** The same request, straight to the server: what the UI shows must be this answer. */
async function direct(url: string): Promise<any> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } })
  return { status: res.status, body: await res.json() }
}

await authorize(page, KEY)

t.test(
  'billingUsage with the defaults of the form answers 200 with rows, sending only what the document fills in',
  async t => {
    const root = await tryItOut(page, 'Gateway', 'Gateway_GetAccountUsage')
    const shown = await execute(page, root)
    t.equal(shown.status, 200, JSON.stringify(shown.body).slice(0, 300))
    const url = new URL(shown.url)
    t.equal(url.pathname, '/v1/accounts/acme-ai/billingUsage')
    t.same(
      [...url.searchParams.keys()].sort(),
      ['endTime', 'startTime'],
      'no timezone, usageType or filter that nobody chose',
    )
    t.ok(
      shown.body.serverlessCosts.length > 0 &&
        shown.body.dedicatedCosts.length > 0 &&
        shown.body.trainingCosts.length > 0,
      'rows of every stream',
    )
    t.same(shown.body, (await direct(shown.url)).body, 'the answer shown is the server answer')
  },
)

t.test('a filter value typed into its parameter is sent as that filter and the rows satisfy it', async t => {
  const root = '#operations-Gateway-Gateway_GetAccountUsage'
  const row = `${root} tr[data-param-name="filter[model_name][values]"]`
  await page.click(`${row} button.json-schema-form-item-add`)
  const input = `${row} .json-schema-form-item input`
  await page.click(input, { count: 3 }) // select what "Add item" prefilled, and type over it
  await page.type(input, MODEL)
  const shown = await execute(page, root)
  t.equal(shown.status, 200, JSON.stringify(shown.body).slice(0, 300))
  const url = new URL(shown.url)
  t.same(url.searchParams.getAll('filter[model_name][values]'), [MODEL])
  const rows = shown.body.serverlessCosts as { group: Record<string, string> }[]
  t.ok(rows.length > 0, 'serverless rows')
  t.ok(
    rows.every(r => r.group.model_name === MODEL),
    'every serverless row is of the filtered model',
  )
  // the filter narrows the answer: without it the same window has other models too
  const unfiltered = await direct(shown.url.replace(/&filter[^&]*/g, ''))
  t.ok(unfiltered.body.serverlessCosts.some((r: { group: Record<string, string> }) => r.group.model_name !== MODEL))
  t.same(shown.body, (await direct(shown.url)).body)
})

t.test('the billing summary and filter options answer 200 with their defaults', async t => {
  for (const operationId of ['Gateway_GetBillingSummary', 'Gateway_GetAccountUsageFilterOptions']) {
    const root = await tryItOut(page, 'Gateway', operationId)
    const shown = await execute(page, root)
    t.equal(shown.status, 200, `${operationId}: ${JSON.stringify(shown.body).slice(0, 300)}`)
    t.same(shown.body, (await direct(shown.url)).body, operationId)
  }
  const summary = await page.$eval(
    '#operations-Gateway-Gateway_GetBillingSummary .live-responses-table .microlight',
    el => JSON.parse(el.textContent ?? ''),
  )
  t.ok(summary.lineItems.length > 0, 'the summary has line items')
})

t.test('usageCosts:query with a body typed into the form answers 200 with rows, at the literal colon', async t => {
  const root = await tryItOut(page, 'Gateway', 'Gateway_QueryUsageCosts')
  // not the document's example (ACCOUNT scope, DAY x MODEL, pageSize 3): six hours of the
  // caller's own usage (scope absent is SELF), so the test shows that what is typed is sent
  const body = { startTime: '2026-05-04T00:00:00Z', endTime: '2026-05-04T06:00:00Z', groupBy: ['HOUR'] }
  const editor = `${root} textarea.body-param__text`
  // Replace the text as a paste would, in one input event (typing it key by key re-renders the
  // whole page each time): React reads the value through the element's native setter.
  await page.$eval(
    editor,
    (el, text) => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, text)
      el.dispatchEvent(new Event('input', { bubbles: true }))
    },
    JSON.stringify(body),
  )
  const shown = await execute(page, root)
  t.equal(shown.status, 200, JSON.stringify(shown.body).slice(0, 300))
  // Swagger UI keeps the colon as it is: a percent-encoded one (%3A) would be another path
  t.equal(new URL(shown.url).pathname, '/v1/accounts/acme-ai/usageCosts:query')
  const rows = shown.body.rows as { dimensions: { startTime: string } }[]
  t.ok(rows.length > 0 && rows.length <= 6, `${rows.length} rows, one per hour at most`)
  t.ok(
    rows.every(r => r.dimensions.startTime >= body.startTime && r.dimensions.startTime < body.endTime),
    'every row is an hour of the typed window',
  )
  t.ok(
    rows.every(r => Object.keys(r.dimensions).join() === 'startTime'),
    'grouped by the hour alone, as typed (the example groups by day and model)',
  )
  t.equal(new Set(rows.map(r => r.dimensions.startTime)).size, rows.length, 'one row per hour')
  const res = await fetch(shown.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  t.same(shown.body, await res.json(), 'the answer shown is the server answer to the typed body')
})
