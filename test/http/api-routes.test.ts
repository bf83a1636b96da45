// The real API's routes: cached answers are the answers (the same bytes as a fresh computation,
// never stale when the clock or the data moves), and x-mock-explain says what an answer was
// computed from.
import t from 'tap'
import { AUTH as AUTH_TEST, dedicatedRecord, fixtureApp, modelName, serverlessRecord, testConfig } from '../helpers.js'
import { buildApp } from '../../server/app.js'
import { loadWorld } from '../../server/data/world.js'

const world = loadWorld({ seed: 3, fixtures: null, worldScale: 1 })
const AUTH = { authorization: 'Bearer fw_mockGlobexProd01' }
const WINDOW = 'startTime=2026-10-01T00:00:00Z&endTime=2026-10-08T00:00:00Z'

t.test('with and without the cache, every operation gives the same bytes, twice', async t => {
  const cached = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z') }), { world })
  const fresh = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z'), cacheMb: 0 }), { world })
  for (const path of [
    `billingUsage?${WINDOW}&groupBy=api_key_name`,
    `billing/summary?${WINDOW}&granularity=DAILY`,
    `accountUsageFilterOptions?${WINDOW}`,
  ]) {
    const url = `/v1/accounts/globex/${path}`
    const a1 = await cached.inject({ url, headers: AUTH })
    const a2 = await cached.inject({ url, headers: AUTH })
    const b = await fresh.inject({ url, headers: AUTH })
    t.equal(a1.statusCode, 200)
    t.equal(a2.body, a1.body, `${path}: a hit is the same bytes`)
    t.equal(b.body, a1.body, `${path}: the same as without a cache`)
    t.equal(a2.headers['content-type'], 'application/json; charset=utf-8')
  }
  t.ok(cached.mock.cache.size.entries >= 3)
  t.equal(fresh.mock.cache.size.entries, 0)
})

t.test('a clock inside the window sees each new hour', async t => {
  const app = buildApp(testConfig({ now: Date.parse('2026-10-03T10:30:00Z') }), { world })
  const url = `/v1/accounts/globex/billingUsage?${WINDOW}&usageType=DEDICATED_DEPLOYMENT&groupBy=accelerator_type`
  const total = async (now?: string) => {
    const res = await app.inject({ url, headers: now ? { ...AUTH, 'x-mock-now': now } : AUTH })
    return res
      .json()
      .dedicatedCosts.reduce((s: number, r: { acceleratorSeconds: string }) => s + Number(r.acceleratorSeconds), 0)
  }
  const at1030 = await total()
  t.equal(await total('2026-10-03T10:59:59Z'), at1030, 'same hour, same data')
  const at1100 = await total('2026-10-03T11:00:00Z')
  t.ok(at1100 > at1030, 'the hour that ended at 11:00 now counts')
  t.equal(await total(), at1030, 'and the pinned clock still answers as before')
})

t.test('x-mock-explain: what the answer was computed from, in its own response header', async t => {
  const app = fixtureApp([
    serverlessRecord('2026-05-01T01:00:00Z', {
      model: modelName('model-a'),
      promptTokens: 1,
      annotations: { team: 'search' },
    }),
    serverlessRecord('2026-05-01T02:00:00Z', {
      model: modelName('model-a'),
      promptTokens: 2,
      annotations: { team: 'search' },
    }),
    serverlessRecord('2026-05-01T03:00:00Z', { model: modelName('model-b'), promptTokens: 4 }),
    dedicatedRecord('2026-05-01T04:00:00Z', { acceleratorSeconds: 10, annotations: { team: 'search' } }),
  ])
  const url =
    '/v1/accounts/test-co/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-03T00:00:00Z&timezone=Asia/Kathmandu&groupBy=model_name&filter[annotations.team][values]=search&pageSize=3'
  const ask = () => app.inject({ url, headers: { ...AUTH_TEST, 'x-mock-session': 'w1', 'x-mock-explain': 'true' } })
  const first = await ask()
  t.equal(first.statusCode, 200)
  t.same(JSON.parse(first.headers['x-mock-explain'] as string), {
    session: 'w1',
    now: '2027-01-01T00:00:00Z',
    window: { startTime: '2026-05-01T00:00:00Z', endTime: '2026-05-03T00:00:00Z' },
    timezone: 'Asia/Kathmandu',
    // Kathmandu days start at 18:15Z: [00:00, 18:15), [18:15, 18:15 next day), [18:15, 00:00)
    buckets: 3,
    streams: ['serverless', 'dedicated', 'training'],
    // model_name is no dedicated or training dimension: those rows are daily totals
    groupBy: { serverless: ['model_name'], dedicated: [], training: [] },
    filters: { 'annotations.team': ['search'] },
    ignoredParams: ['pageSize'],
    // the two model-a records and the dedicated one pass the filter
    records: 3,
    // one model-a row and one dedicated row, both on the first Kathmandu day
    rows: 2,
    cache: 'miss',
  })
  t.match(JSON.parse((await ask()).headers['x-mock-explain'] as string), { cache: 'hit', records: 3, rows: 2 })
  const plain = await app.inject({ url, headers: AUTH_TEST })
  t.equal(plain.headers['x-mock-explain'], undefined, 'only when asked')
  const yes = await app.inject({ url, headers: { ...AUTH_TEST, 'x-mock-explain': 'yes' } })
  t.equal(JSON.parse(yes.headers['x-mock-explain'] as string).session, 'default', 'yes, as in the settings')
  const bad = await app.inject({ url, headers: { ...AUTH_TEST, 'x-mock-explain': 'maybe' } })
  t.same(
    [bad.statusCode, bad.json().message],
    [400, 'invalid x-mock-explain header "maybe": must be true, false, 1, 0, yes or no'],
  )
})

t.test('x-mock-explain of the companions, and of a value that is not ASCII', async t => {
  const app = fixtureApp([serverlessRecord('2026-05-01T01:00:00Z', { apiKeyName: 'clé', promptTokens: 1 })], {
    cacheMb: 0,
  })
  const explain = async (url: string) =>
    JSON.parse(
      (await app.inject({ url, headers: { ...AUTH_TEST, 'x-mock-explain': 'true' } })).headers[
        'x-mock-explain'
      ] as string,
    )
  const summary = await explain(
    '/v1/accounts/test-co/billing/summary?startTime=2026-05-01T00:00:00Z&endTime=2026-05-03T00:00:00Z',
  )
  t.match(summary, { session: 'default', timezone: 'UTC', buckets: 2, records: 1, rows: 1, cache: 'off' })
  t.same(summary.groupBy.serverless, ['model_name'])
  const options = await explain(
    '/v1/accounts/test-co/accountUsageFilterOptions?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&usageType=SERVERLESS',
  )
  // one record; 6 dimensions listing one value each
  t.match(options, { streams: ['serverless'], records: 1, rows: 6 })
  const filtered = await app.inject({
    url: '/v1/accounts/test-co/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&filter[api_key_name][values]=cl%C3%A9',
    headers: { ...AUTH_TEST, 'x-mock-explain': 'true' },
  })
  t.match(
    filtered.headers['x-mock-explain'],
    /"api_key_name":\["cl\\u00e9"\]/,
    'written with an escape, as a header must be',
  )
  t.same(JSON.parse(filtered.headers['x-mock-explain'] as string).filters, { api_key_name: ['clé'] })
})

t.test('an error after the parameters were read still says which were ignored', async t => {
  const bob = { id: 'key_Bob1', name: 'bob-laptop', secret: 'fw_bob1', user: 'bob' }
  const app = fixtureApp([{ account: 'acme', keys: [bob] }])
  const res = await app.inject({
    method: 'POST',
    url: '/v1/accounts/acme/usageCosts:query',
    headers: { authorization: 'Bearer fw_bob1' },
    payload: JSON.stringify({
      startTime: '2026-05-01T00:00:00Z',
      endTime: '2026-05-02T00:00:00Z',
      scope: 'ACCOUNT',
      colour: 'blue',
    }),
  })
  // bob is a plain user: ACCOUNT scope needs an administrator
  t.same([res.statusCode, res.json().code, res.headers['x-mock-ignored-params']], [403, 7, 'colour'])
})
