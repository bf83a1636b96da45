// The document's examples are part of the product (issue #14, item 2): every operation, sent
// the way Swagger UI's "Try it out" sends it with nothing changed (the documented examples and
// defaults, the first media type's example body), answers 2xx on the default world; and every
// example in the document matches its schema. The browser test (test/browser/) drives the UI
// itself for the real operations; this one covers every operation cheaply.
import { Ajv2020 } from 'ajv/dist/2020.js'
import { isDeepStrictEqual } from 'node:util'
import t from 'tap'
import { buildApp } from '../server/app.js'
import { contractDocument } from '../server/contract.js'
import { loadWorld } from '../server/data/world.js'
import { parseRfc3339 } from '../server/time.js'
import { testConfig } from './helpers.js'

type Json = Record<string, any>
const doc = contractDocument()
const KEY = 'fw_mockAcmeProdEng01' // a fixed key of the default world's acme-ai

const config = testConfig({ now: Date.parse('2026-06-10T12:00:00Z') })
const world = loadWorld(config)

const deref = (node: Json): Json => {
  if (typeof node?.$ref !== 'string') return node
  return deref(
    node.$ref
      .slice(2)
      .split('/')
      .reduce((n: Json, s: string) => n[s.replace(/~1/g, '/').replace(/~0/g, '~')], doc),
  )
}

/** Swagger UI's initial value of a parameter in "Try it out": its example, else its schema's example or default. */
function initialValue(parameter: Json): unknown {
  const schema = deref(parameter.schema ?? {})
  return parameter.example ?? schema.example ?? schema.default
}

interface TryItOut {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
}

function requestOf(path: string, method: string, operation: Json): TryItOut {
  const parameters = (operation.parameters ?? []).map(deref) as Json[]
  let url = path
  const query = new URLSearchParams()
  for (const p of parameters) {
    const value = initialValue(p)
    const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(text(value ?? '')))
    else if (p.in === 'query' && value !== undefined) for (const v of [value].flat()) query.append(p.name, text(v))
  }
  const headers: Record<string, string> = {}
  if ((operation.security ?? doc.security).length > 0) headers.authorization = `Bearer ${KEY}`
  const request: TryItOut = { method: method.toUpperCase(), url: query.size > 0 ? `${url}?${query}` : url, headers }
  if (operation.requestBody) {
    const [type, media] = Object.entries(deref(operation.requestBody).content as Json)[0]!
    headers['content-type'] = type
    request.body = typeof media.example === 'string' ? media.example : JSON.stringify(media.example)
  }
  return request
}

const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json).map(([method, operation]) => ({ path, method, operation: operation as Json })),
)

t.test('every operation answers 2xx with what "Try it out" fills in', async t => {
  t.ok(operations.length >= 20, `${operations.length} operations`)
  for (const { path, method, operation } of operations) {
    const request = requestOf(path, method, operation)
    // each on a fresh server, so that one (installing faults, pinning the clock) cannot change another
    const app = buildApp(config, { world })
    const res = await app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: request.headers,
      payload: request.body,
    })
    await app.close()
    t.ok(
      res.statusCode >= 200 && res.statusCode < 300,
      `${operation.operationId}: ${request.method} ${request.url} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
    )
  }
})

/** What "Try it out" sends for an operation, answered by an app. */
async function tryItOut(app: ReturnType<typeof buildApp>, operationId: string): Promise<Json> {
  const { path, method, operation } = operations.find(o => o.operation.operationId === operationId)!
  const request = requestOf(path, method, operation)
  const res = await app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    payload: request.body,
  })
  return res.json()
}

t.test('the real operations answer with rows, not an empty result', async t => {
  const app = buildApp(config, { world })
  t.teardown(() => app.close())
  const get = (operationId: string) => tryItOut(app, operationId)
  const usage = await get('Gateway_GetAccountUsage')
  t.ok(usage.serverlessCosts.length > 0 && usage.dedicatedCosts.length > 0 && usage.trainingCosts.length > 0)
  t.ok((await get('Gateway_GetBillingSummary')).lineItems.length > 0)
  t.ok((await get('Gateway_GetAccountUsageFilterOptions')).serverless.model_name.length > 0)
  t.same(
    (await get('Gateway_ListAccounts')).accounts.map((a: Json) => a.name),
    ['accounts/acme-ai'],
  )
  t.equal((await get('Gateway_GetAccount')).name, 'accounts/acme-ai')
  const costs = await get('Gateway_QueryUsageCosts')
  t.ok(costs.rows.length > 0 && costs.nextPageToken !== '', 'rows, and more pages')
})

t.test('the examples of the accounts, usageCosts and summary operations are the answers to their requests', async t => {
  // the clock the examples were taken at (usageCosts:query's evaluationTime is now)
  const app = buildApp(testConfig({ now: Date.parse('2026-07-10T00:00:00Z') }), { world })
  t.teardown(() => app.close())
  const example = (operationId: string) =>
    operations.find(o => o.operation.operationId === operationId)!.operation.responses['200'].content[
      'application/json'
    ].example
  for (const operationId of ['Gateway_ListAccounts', 'Gateway_GetAccount', 'Gateway_QueryUsageCosts'])
    t.same(await tryItOut(app, operationId), example(operationId), operationId)
  // the summary's example shows a few of the answer's line items, in the answer's order
  const summary = await tryItOut(app, 'Gateway_GetBillingSummary')
  const items = example('Gateway_GetBillingSummary').lineItems as Json[]
  const found = items.map(item => summary.lineItems.findIndex((i: Json) => isDeepStrictEqual(i, item)))
  t.ok(
    found.every(i => i >= 0),
    `every example line item is in the answer: ${found.join(', ')}`,
  )
  t.same(
    [...found].sort((a, b) => a - b),
    found,
    'in the order of the answer',
  )
  t.ok(items.some(i => i.category === 'LLM input tokens (cached)' && i.groupingKey === 'model_bucket'))
})

t.test('the examples are inside the default world history, and realistic', async t => {
  const start = Date.parse('2026-01-01T00:00:00Z')
  const examples: unknown[] = []
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k === 'example') examples.push(v)
        walk(v)
      }
  }
  walk(doc)
  // every string in them, the NDJSON examples' lines parsed too
  const strings: string[] = []
  const leaves = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.startsWith('{')) for (const line of v.trim().split('\n')) leaves(JSON.parse(line))
      else strings.push(v)
    } else if (v && typeof v === 'object') Object.values(v).forEach(leaves)
  }
  leaves(examples)
  const times = strings.filter(s => /^\d{4}-\d\d-\d\dT/.test(s))
  t.ok(times.length > 10)
  for (const time of times) t.ok(parseRfc3339(time) && Date.parse(time) >= start, `${time} is in the world's history`)
  for (const s of strings) t.notMatch(s, /^-\d+$|additionalProp|^string$/, `${s} looks real`)
})

t.test('every example in the document matches its schema', async t => {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => parseRfc3339(s) !== null })
  for (const f of ['int64', 'int32', 'double']) ajv.addFormat(f, true)
  ajv.addSchema(doc, 'doc.json')
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')
  let checked = 0
  const walk = (node: unknown, pointer: string) => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${pointer}/${i}`))
    if (!node || typeof node !== 'object') return
    const n = node as Json
    if ('example' in n && pointer !== '') {
      // a media type or parameter carries its example beside `schema`; a schema carries its own
      const schemaPointer = n.schema ? `${pointer}/schema` : pointer
      const validate = ajv.compile({ $ref: `doc.json#${schemaPointer}` })
      t.ok(validate(n.example), `${pointer}: ${ajv.errorsText(validate.errors)}`)
      checked++
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'example') walk(v, `${pointer}/${escape(k)}`)
  }
  walk(doc, '')
  t.ok(checked > 30, `${checked} examples checked`)
})
