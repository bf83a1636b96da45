// openapi/fireworks-usage.yaml is the one source of the contract: routes and documented
// operations match one to one, documented parameters are the ones the rules read, and a field
// the server sends that the document does not list fails (every HTTP test runs with
// VALIDATE_RESPONSES, see helpers.testConfig).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import qs from 'qs'
import t from 'tap'
import Fastify from 'fastify'
import { buildApp } from '../server/app.js'
import { contractDocument, loadContract, openapiPath, responseCheck, writeContractJson } from '../server/contract.js'
import { installContractCheck } from '../server/http/contract-check.js'
import { QS_OPTIONS } from '../server/http/querystring.js'
import { registerRoutes } from '../server/http/routes.js'
import { allDimensions } from '../server/streams/registry.js'
import { parseAccountsQuery, parseGetAccountQuery } from '../server/usage/accounts.js'
import { parseUsageQuery } from '../server/usage/query.js'
import { parseSummaryQuery } from '../server/usage/summary.js'
import { parseCostsBody } from '../server/usage/usage-costs.js'
import { AUTH, fixtureWorld, jsonRequest, serverlessRecord, testConfig } from './helpers.js'

type Json = Record<string, any>
const doc: Json = contractDocument()

t.test('every route is a documented operation and every documented operation a route', async t => {
  const app = buildApp(testConfig(), { world: fixtureWorld([]) })
  const served = new Set<string>()
  app.addHook('onRoute', route => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    // the method guards (501), Swagger UI's own pages, the explorer's static page and the landing
    // page (GET /, a 404 for API clients) are not operations
    if (methods.length > 1 || route.url.startsWith('/docs') || route.url.startsWith('/explorer') || route.url === '/')
      return
    served.add(`${methods[0]} ${openapiPath(route.url)}`)
  })
  await app.ready()
  const documented = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths as Json))
    for (const method of Object.keys(item as Json)) documented.add(`${method.toUpperCase()} ${path}`)
  t.same([...served].sort(), [...documented].sort())
  t.ok(documented.has('GET /v1/accounts/{account_id}/billingUsage'))
  // the literal colon of the route (Fastify's "::") is the document's path
  t.ok(served.has('POST /v1/accounts/{account_id}/usageCosts:query'))
  t.ok(served.has('GET /v1/accounts') && served.has('GET /v1/accounts/{account_id}'))
})

t.test('the real operations have the real operationIds and schema names', async t => {
  const ops = Object.values(doc.paths as Json).flatMap(item =>
    Object.values(item as Json).map((op: any) => op.operationId),
  )
  for (const id of [
    'Gateway_GetAccountUsage',
    'Gateway_GetBillingSummary',
    'Gateway_GetAccountUsageFilterOptions',
    'Gateway_ListAccounts',
    'Gateway_GetAccount',
    'Gateway_QueryUsageCosts',
  ])
    t.ok(ops.includes(id), id)
  for (const name of [
    'gatewayListAccountsResponse',
    'gatewayAccount',
    'GatewayQueryUsageCostsBody',
    'gatewayQueryUsageCostsResponse',
    'gatewayUsageCostRow',
    'gatewayUsageCostDimensions',
    'gatewayUsageCostFilter',
    'gatewayAccountUsage',
    'AccountUsageServerlessUsage',
    'AccountUsageDedicatedDeploymentUsage',
    'AccountUsageTrainingUsage',
    'gatewayGetBillingSummaryResponse',
    'gatewayLineItem',
    'typeMoney',
    'googlerpcStatus',
  ])
    t.ok(doc.components.schemas[name], name)
  const mock = Object.entries(doc.paths as Json).filter(([p]) => !p.startsWith('/v1/'))
  t.ok(
    mock.every(([, item]) =>
      Object.values(item as Json).every((op: any) => op['x-mock-only'] === true && op.tags.includes('mock')),
    ),
    'mock operations are marked',
  )
})

t.test('the documented query parameters are exactly the ones the rules read', async t => {
  const operations: [string, (raw: Record<string, unknown>) => { ignored: string[] }][] = [
    ['/v1/accounts/{account_id}/billingUsage', raw => parseUsageQuery(raw)],
    ['/v1/accounts/{account_id}/billing/summary', raw => parseSummaryQuery(raw)],
    [
      '/v1/accounts/{account_id}/accountUsageFilterOptions',
      raw => parseUsageQuery(raw, { fields: ['start_time', 'end_time', 'usage_type'] }),
    ],
  ]
  const resolve = (p: Json): Json => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p)
  const candidates = ['startTime', 'endTime', 'usageType', 'timezone', 'groupBy', 'filter', 'granularity', 'pageSize']
  for (const [path, parse] of operations) {
    // the filter map is documented as one array parameter per dimension, filter[<dimension>][values]
    const documented = [
      ...new Set(
        (doc.paths[path].get.parameters as Json[])
          .map(resolve)
          .filter(p => p.in === 'query')
          .map(p => (/^filter\[/.test(p.name) ? 'filter' : p.name)),
      ),
    ]
    const query =
      'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&' +
      candidates
        .filter(c => !c.startsWith('start') && !c.startsWith('end'))
        .map(c =>
          c === 'filter'
            ? 'filter[model_name][values]=x'
            : `${c}=${c === 'groupBy' ? 'model_name' : c === 'usageType' ? 'SERVERLESS' : c === 'granularity' ? 'DAILY' : 'UTC'}`,
        )
        .join('&')
    const { ignored } = parse(qs.parse(query, QS_OPTIONS))
    const read = candidates.filter(c => !ignored.includes(c))
    t.same(read.sort(), [...documented].sort(), path)
  }
})

t.test('the accounts operations document exactly the parameters the rules read', async t => {
  const resolve = (p: Json): Json => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p)
  const queryParams = (path: string) =>
    (doc.paths[path].get.parameters as Json[])
      .map(resolve)
      .filter(p => p.in === 'query')
      .map(p => p.name as string)
      .sort()
  // a valid value of each, so that every one is read (and none is ignored)
  const values: Record<string, string> = {
    pageSize: '2',
    filter: 'name="accounts/test-co"',
    orderBy: 'name',
    readMask: 'name',
  }
  const list = queryParams('/v1/accounts')
  t.same(list, ['filter', 'orderBy', 'pageSize', 'pageToken', 'readMask'])
  // pageToken is read too: an unissued one is refused, not ignored
  t.throws(() => parseAccountsQuery({ pageToken: 'forged' }), { message: /invalid pageToken/ })
  t.same(
    parseAccountsQuery(Object.fromEntries(list.filter(p => p !== 'pageToken').map(p => [p, values[p]]))).ignored,
    [],
  )
  t.same(parseAccountsQuery({ foo: 'x' }).ignored, ['foo'])
  const get = queryParams('/v1/accounts/{account_id}')
  t.same(get, ['readMask'])
  t.same(parseGetAccountQuery({ readMask: 'name', pageSize: '2' }).ignored, ['pageSize'])
})

t.test('usageCosts:query documents exactly the body fields the rules read, camelCase', async t => {
  const body = doc.components.schemas.GatewayQueryUsageCostsBody
  t.equal(
    doc.paths['/v1/accounts/{account_id}/usageCosts:query'].post.requestBody.content['application/json'].schema.$ref,
    '#/components/schemas/GatewayQueryUsageCostsBody',
  )
  const documented = Object.keys(body.properties).sort()
  t.same(documented, ['endTime', 'filter', 'groupBy', 'pageSize', 'pageToken', 'scope', 'startTime'])
  t.match(body.description, /snake_case/)
  t.match(body.description, /unknown fields are ignored/)
  const valid: Json = {
    startTime: '2026-05-01T00:00:00Z',
    endTime: '2026-05-02T00:00:00Z',
    scope: 'ACCOUNT',
    groupBy: ['DAY', 'MODEL'],
    filter: { apiKeyId: 'key_A', model: 'kimi-k2p6', sessionId: 's', user: 'ada' },
    pageSize: 2,
    pageToken: '',
  }
  t.same(Object.keys(valid).sort(), documented)
  t.same(parseCostsBody({ ...valid, foo: 1 }).ignored, ['foo'], 'every documented field is read, another is not')
  t.same(Object.keys(doc.components.schemas.gatewayUsageCostFilter.properties).sort(), Object.keys(valid.filter).sort())
  // the enums the body takes are the ones the rules take
  t.same(doc.components.schemas.gatewayQueryUsageCostsRequestScope.enum, ['SCOPE_UNSPECIFIED', 'ACCOUNT', 'SELF'])
  for (const d of doc.components.schemas.QueryUsageCostsRequestDimension.enum as string[])
    if (d !== 'DIMENSION_UNSPECIFIED') t.same(parseCostsBody({ ...valid, groupBy: [d] }).query.groupBy, [d], d)
})

t.test('every Money is typeMoney: units an int64 string and nanos an int32 number, both required', async t => {
  const money: string[] = []
  const walk = (node: unknown, pointer: string) => {
    if (!node || typeof node !== 'object') return
    const n = node as Json
    if (n.properties?.currencyCode) money.push(pointer)
    for (const [k, v] of Object.entries(n)) walk(v, `${pointer}/${k}`)
  }
  walk(doc, '')
  t.same(money, ['/components/schemas/typeMoney'])
  const { typeMoney, Int64 } = doc.components.schemas
  t.same(typeMoney.required.sort(), ['currencyCode', 'nanos', 'units'])
  t.same(typeMoney.properties.units, { $ref: '#/components/schemas/Int64' })
  t.match(Int64, { type: 'string', format: 'int64' })
  t.match(typeMoney.properties.nanos, { type: 'integer', format: 'int32' })
  const check = responseCheck('POST', '/v1/accounts/:account_id/usageCosts::query')!
  const answer = (subtotal: Json) => ({
    rows: [],
    subtotal,
    nextPageToken: '',
    attributionCompleteness: 'COMPLETE',
    evaluationTime: '2026-05-02T00:00:00Z',
  })
  t.equal(check(200, answer({ currencyCode: 'USD', units: '-1', nanos: -500000000 })), null)
  t.match(check(200, answer({ currencyCode: 'USD', units: 1, nanos: 0 })), /\/subtotal\/units must be string/)
  t.match(check(200, answer({ currencyCode: 'USD', units: '1' })), /\/subtotal must have required property 'nanos'/)
  t.match(
    check(200, answer({ currencyCode: 'usd', units: '1', nanos: 0 })),
    /\/subtotal\/currencyCode must match pattern/,
  )
})

t.test(
  'a real answer of each accounts and usageCosts operation validates, and a wrong field type would not',
  async t => {
    const app = buildApp(testConfig({ now: Date.parse('2026-06-01T00:00:00Z') }), {
      world: fixtureWorld([
        serverlessRecord('2026-05-01T10:00:00Z', { apiKeyId: 'key_TestCo0000000001', promptTokens: 1000 }),
      ]),
    })
    t.teardown(() => app.close())
    const cases: [string, string, string, object | undefined, (body: Json) => void, RegExp][] = [
      [
        'GET',
        '/v1/accounts',
        '/v1/accounts',
        undefined,
        b => (b.accounts[0].createTime = 5),
        /createTime must be string/,
      ],
      [
        'GET',
        '/v1/accounts/:account_id',
        '/v1/accounts/test-co?readMask=name,status',
        undefined,
        b => (b.status.code = 0),
        /\/status\/code must be string/,
      ],
      [
        'POST',
        '/v1/accounts/:account_id/usageCosts::query',
        '/v1/accounts/test-co/usageCosts:query',
        {
          startTime: '2026-05-01T00:00:00Z',
          endTime: '2026-05-02T00:00:00Z',
          scope: 'ACCOUNT',
          groupBy: ['DAY', 'MODEL'],
        },
        b => (b.rows[0].subtotal.nanos = String(b.rows[0].subtotal.nanos)),
        /\/rows\/0\/subtotal\/nanos must be integer/,
      ],
    ]
    for (const [method, route, url, payload, spoil, violation] of cases) {
      // the test app validates every answer: a mismatch would be a 500
      const res = await app.inject(jsonRequest(method as 'GET', url, payload, AUTH))
      t.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`)
      const body = res.json()
      const check = responseCheck(method, route)
      t.ok(check, `${method} ${route} is described`)
      t.equal(check!(200, body), null, `${method} ${url} answers as described`)
      spoil(body)
      t.match(check!(200, body), violation, `${method} ${url} with a wrong field type does not`)
    }
  },
)

t.test('the usageCosts:query route, with its literal colon, has its contract checked', async t => {
  const build = (body: Json) => {
    const app = Fastify({ exposeHeadRoutes: false })
    installContractCheck(app)
    app.register(async scope =>
      registerRoutes(scope, [
        { method: 'POST', url: '/v1/accounts/:account_id/usageCosts::query', handler: async () => body },
      ]),
    )
    return app
  }
  const good = {
    rows: [
      {
        dimensions: { model: 'accounts/fireworks/models/kimi-k2p6' },
        subtotal: { currencyCode: 'USD', units: '1', nanos: 5 },
      },
    ],
    subtotal: { currencyCode: 'USD', units: '1', nanos: 5 },
    nextPageToken: '',
    attributionCompleteness: 'COMPLETE',
    evaluationTime: '2026-05-02T00:00:00Z',
  }
  const ok = await build(good).inject({ method: 'POST', url: '/v1/accounts/a/usageCosts:query' })
  t.equal(ok.statusCode, 200, ok.body)
  const bad = await build({ ...good, rows: [{ ...good.rows[0], dimensions: { model: 7 } }] }).inject({
    method: 'POST',
    url: '/v1/accounts/a/usageCosts:query',
  })
  t.equal(bad.statusCode, 500)
  t.equal(
    bad.json().message,
    'response does not match openapi/fireworks-usage.yaml: POST /v1/accounts/:account_id/usageCosts::query 200: /rows/0/dimensions/model must be string',
  )
})

t.test('billingUsage documents one filter parameter per dimension, each read as that dimension', async t => {
  const resolve = (p: Json): Json => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p)
  const params = (doc.paths['/v1/accounts/{account_id}/billingUsage'].get.parameters as Json[]).map(resolve)
  const filters = params.filter(p => p.name.startsWith('filter'))
  t.same(filters.map(p => p.name.match(/^filter\[(.+)\]\[values\]$/)?.[1]).sort(), [...allDimensions()].sort())
  t.same(
    [...doc.components.schemas.Dimension.enum].sort(),
    [...allDimensions()].sort(),
    'groupBy offers the same dimensions',
  )
  for (const p of filters) {
    t.match(
      p,
      { in: 'query', style: 'form', explode: true, schema: { type: 'array', items: { type: 'string' } } },
      p.name,
    )
    // what a client sends for it (a repeated parameter, brackets percent-encoded) reaches the rules as that dimension
    const query = `startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&${encodeURIComponent(p.name)}=a&${encodeURIComponent(p.name)}=`
    const { query: parsed } = parseUsageQuery(qs.parse(query, QS_OPTIONS))
    t.same([...parsed.filters], [[p.name.slice('filter['.length, -'][values]'.length), ['a', '']]], p.name)
  }
})

t.test('error bodies are checked too', async t => {
  const check = responseCheck('GET', '/v1/accounts/:account_id/billingUsage')!
  t.equal(check(400, { code: 3, message: 'x', details: [] }), null)
  t.match(check(400, { code: 3, message: 'x' }), /must have required property 'details'/)
  t.match(
    check(404, { code: 5, message: 'x', details: [], stack: 'at ...' }),
    /must NOT have additional properties \(stack\)/,
  )
})

t.test('every repository file the document or the README names exists', async t => {
  // A path in backquotes whose first folder is a folder of this repository, or a top-level file.
  const named = (text: string) =>
    [...text.matchAll(/`([\w.-]+(?:\/[\w.*-]+)*\.(?:md|ts|yaml|json|ndjson))`/g)]
      .map(m => m[1] as string)
      .filter(p => !p.includes('*'))
  const tops = new Set(readdirSync('.'))
  for (const [source, text] of [
    ['openapi/fireworks-usage.yaml', readFileSync('openapi/fireworks-usage.yaml', 'utf8')],
    ['README.md', readFileSync('README.md', 'utf8')],
  ] as const) {
    const paths = named(text).filter(p => tops.has(p.split('/')[0] as string) || !p.includes('/'))
    t.ok(paths.length > 0, `${source} names files`)
    for (const path of paths) t.ok(existsSync(path), `${source} names ${path}, which exists`)
  }
  t.notOk(
    named(readFileSync('openapi/fireworks-usage.yaml', 'utf8')).some(p => p.startsWith('shared/')),
    'no file outside the repository',
  )
})

t.test('the JSON copy made by the build is read only while it matches the YAML text', async t => {
  const dir = t.testdir({
    'doc.yaml': 'openapi: 3.1.0\ninfo:\n  title: first\n',
  })
  const yamlFile = `${dir}/doc.yaml`
  const jsonFile = `${dir}/out/doc.json`
  writeContractJson(yamlFile, jsonFile)
  const copy = JSON.parse(readFileSync(jsonFile, 'utf8'))
  t.same(copy.document, { openapi: '3.1.0', info: { title: 'first' } })
  // the copy is what is read: change its document without touching its tag
  writeFileSync(jsonFile, JSON.stringify({ ...copy, document: { from: 'copy' } }))
  t.same(loadContract(yamlFile, jsonFile), { from: 'copy' })
  // an edited YAML is read from the YAML, never shadowed by the old copy
  writeFileSync(yamlFile, 'openapi: 3.1.0\ninfo:\n  title: second\n')
  t.same(loadContract(yamlFile, jsonFile), { openapi: '3.1.0', info: { title: 'second' } })
  // and with no copy at all
  t.same(loadContract(yamlFile, `${dir}/none.json`), { openapi: '3.1.0', info: { title: 'second' } })
  // or a copy cut short by an interrupted build
  writeContractJson(yamlFile, jsonFile)
  writeFileSync(jsonFile, readFileSync(jsonFile, 'utf8').slice(0, 30))
  t.same(loadContract(yamlFile, jsonFile), { openapi: '3.1.0', info: { title: 'second' } })
})
