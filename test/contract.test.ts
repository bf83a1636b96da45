// openapi/fireworks-usage.yaml is the one source of the contract: routes and documented
// operations match one to one, documented parameters are the ones the rules read, and a field
// the server sends that the document does not list fails (every HTTP test runs with
// VALIDATE_RESPONSES, see helpers.testConfig).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import qs from 'qs'
import t from 'tap'
import { buildApp } from '../server/app.js'
import { contractDocument, loadContract, openapiPath, responseCheck, writeContractJson } from '../server/contract.js'
import { QS_OPTIONS } from '../server/http/querystring.js'
import { allDimensions } from '../server/streams/registry.js'
import { parseUsageQuery } from '../server/usage/query.js'
import { parseSummaryQuery } from '../server/usage/summary.js'
import { fixtureWorld, testConfig } from './helpers.js'

type Json = Record<string, any>
const doc: Json = contractDocument()

t.test('every route is a documented operation and every documented operation a route', async t => {
  const app = buildApp(testConfig(), { world: fixtureWorld([]) })
  const served = new Set<string>()
  app.addHook('onRoute', route => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    // the method guards (501), Swagger UI's own pages and the explorer's static page are not operations
    if (methods.length > 1 || route.url.startsWith('/docs') || route.url.startsWith('/explorer')) return
    served.add(`${methods[0]} ${openapiPath(route.url)}`)
  })
  await app.ready()
  const documented = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths as Json))
    for (const method of Object.keys(item as Json)) documented.add(`${method.toUpperCase()} ${path}`)
  t.same([...served].sort(), [...documented].sort())
  t.ok(documented.has('GET /v1/accounts/{account_id}/billingUsage'))
})

t.test('the real operations have the real operationIds and schema names', async t => {
  const ops = Object.values(doc.paths as Json).flatMap(item =>
    Object.values(item as Json).map((op: any) => op.operationId),
  )
  for (const id of ['Gateway_GetAccountUsage', 'Gateway_GetBillingSummary', 'Gateway_GetAccountUsageFilterOptions'])
    t.ok(ops.includes(id), id)
  for (const name of [
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
