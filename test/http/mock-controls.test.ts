// The mock's controls over HTTP: clock, runtime records and accounts, reset, journal, faults,
// rate limits, AUTH=any and admin protection.
import t from 'tap'
import { AUTH, dedicatedRecord, fixtureApp, OTHER_SECRET, serverlessRecord, TEST_NOW, usage } from '../helpers.js'

const DAY = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
const seconds = (body: { dedicatedCosts: { acceleratorSeconds: string }[] }) =>
  body.dedicatedCosts.map(r => r.acceleratorSeconds)
const json = (
  method: 'PUT' | 'POST' | 'DELETE' | 'GET',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) => ({
  method,
  url,
  headers: { 'content-type': 'application/json', ...headers },
  ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
})

t.test('clock: read, pin, return to the configured clock; x-mock-now pins one request', async t => {
  const app = fixtureApp([dedicatedRecord('2026-05-01T10:00:00Z', { acceleratorSeconds: 7 })])
  t.same((await app.inject({ url: '/_mock/clock' })).json(), { now: TEST_NOW, source: 'config' })
  const pinned = await app.inject(json('PUT', '/_mock/clock', { now: '2026-05-01T10:00:00Z' }))
  t.same(pinned.json(), { now: '2026-05-01T10:00:00Z', source: 'runtime' })
  t.same(seconds((await usage(app, `${DAY}&usageType=2`)).body), [], 'the record at now does not exist yet')
  await app.inject(json('PUT', '/_mock/clock', { now: '2026-05-01T10:00:00.001Z' }))
  t.same(seconds((await usage(app, `${DAY}&usageType=2`)).body), ['7'])
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/clock' })).json(), { now: TEST_NOW, source: 'config' })
  t.same(seconds((await usage(app, `${DAY}&usageType=2`, { ...AUTH, 'x-mock-now': '2026-05-01T09:00:00Z' })).body), [])
  t.same(seconds((await usage(app, `${DAY}&usageType=2`)).body), ['7'], 'the header pinned one request only')
  const bad = await usage(app, DAY, { ...AUTH, 'x-mock-now': 'yesterday' })
  t.same(
    [bad.status, bad.body.message],
    [400, 'invalid x-mock-now header "yesterday": must be an RFC 3339 timestamp such as 2026-06-01T00:00:00Z'],
  )
  const badPut = await app.inject(json('PUT', '/_mock/clock', { now: '2026-05-01' }))
  t.same(
    [badPut.statusCode, badPut.json()],
    [400, { code: 3, message: 'the body must be {"now": "<RFC 3339 timestamp>"}', details: [] }],
  )
})

t.test('records at runtime: NDJSON or JSON, visible at once, cleared by DELETE', async t => {
  const app = fixtureApp([dedicatedRecord('2026-05-01T01:00:00Z', { acceleratorSeconds: 1 })])
  const ndjson = [
    dedicatedRecord('2026-05-01T02:00:00Z', { acceleratorSeconds: 20 }),
    serverlessRecord('2026-05-01T02:00:00Z', { promptTokens: 5 }),
  ]
    .map(r => JSON.stringify(r))
    .join('\n')
  const res = await app.inject({
    method: 'POST',
    url: '/_mock/accounts/test-co/records',
    headers: { 'content-type': 'application/x-ndjson' },
    payload: ndjson,
  })
  t.same([res.statusCode, res.json()], [200, { accounts: [], records: { serverless: 1, dedicated: 1, training: 0 } }])
  const asJson = await app.inject(
    json('POST', '/_mock/accounts/test-co/records', [
      dedicatedRecord('2026-05-01T03:00:00Z', { acceleratorSeconds: 300 }),
    ]),
  )
  t.equal(asJson.statusCode, 200)
  t.same(seconds((await usage(app, `${DAY}&usageType=2`)).body), ['321'])
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/accounts/test-co/records' })).json(), { removed: 3 })
  t.same(seconds((await usage(app, `${DAY}&usageType=2`)).body), ['1'], 'fixture records stay')
})

t.test('records at runtime are all or nothing; a bad line is named', async t => {
  const app = fixtureApp([])
  const body = [
    dedicatedRecord('2026-05-01T02:00:00Z', { acceleratorSeconds: 20 }),
    dedicatedRecord('2026-05-01T03:00:00Z', { acceleratorSeconds: -1 }),
  ]
    .map(r => JSON.stringify(r))
    .join('\n')
  const res = await app.inject({
    method: 'POST',
    url: '/_mock/accounts/test-co/records',
    payload: body,
    headers: { 'content-type': 'application/x-ndjson' },
  })
  t.same(
    [res.statusCode, res.json()],
    [
      400,
      {
        code: 3,
        message: 'nothing was added: body:2: acceleratorSeconds: must be a non-negative integer, got -1',
        details: [],
      },
    ],
  )
  t.same(seconds((await usage(app, `${DAY}&usageType=2`)).body), [])
  const other = await app.inject(
    json('POST', '/_mock/accounts/test-co/records', [dedicatedRecord('2026-05-01T02:00:00Z', { account: 'other-co' })]),
  )
  t.same(
    other.json().message,
    'nothing was added: body:1: account: must be "test-co", the account in the path, got "other-co"',
  )
  const missing = await app.inject(
    json('POST', '/_mock/accounts/ghost/records', [dedicatedRecord('2026-05-01T02:00:00Z', { account: 'ghost' })]),
  )
  t.same(
    [missing.statusCode, missing.json().message],
    [404, 'account "ghost" not found; create it with POST /_mock/accounts'],
  )
})

t.test('accounts and keys created at runtime authenticate; clashing keys are refused', async t => {
  const app = fixtureApp([])
  const created = await app.inject(
    json('POST', '/_mock/accounts', [
      { account: 'new-co', keys: [{ id: 'key_NewCo00000000001', name: 'ci', secret: 'fw_newco' }] },
      dedicatedRecord('2026-05-01T02:00:00Z', {
        account: 'new-co',
        deployment: 'accounts/new-co/deployments/d',
        acceleratorSeconds: 9,
      }),
    ]),
  )
  t.same(created.json(), { accounts: ['new-co'], records: { serverless: 0, dedicated: 1, training: 0 } })
  const res = await app.inject({
    url: `/v1/accounts/new-co/billingUsage?${DAY}`,
    headers: { authorization: 'Bearer fw_newco' },
  })
  t.same(seconds(res.json()), ['9'])
  const clash = await app.inject(
    json('POST', '/_mock/accounts', {
      accounts: [{ account: 'thief', keys: [{ id: 'key_X', name: 'x', secret: 'fw_newco' }] }],
    }),
  )
  t.same(
    [clash.statusCode, clash.json().message],
    [400, 'nothing was added: keys: the secret of key "key_X" already belongs to key key_NewCo00000000001'],
  )
  t.notOk(
    (await app.inject({ url: '/_mock/accounts' }))
      .json()
      .accounts.some((a: { account: string }) => a.account === 'thief'),
  )
})

t.test('reset returns records, accounts, clock, journal and faults to the start-up state', async t => {
  const app = fixtureApp([dedicatedRecord('2026-05-01T01:00:00Z', { acceleratorSeconds: 1 })])
  await app.inject(
    json('POST', '/_mock/accounts', [
      { account: 'new-co', keys: [{ id: 'key_N', name: 'n', secret: 'fw_n' }] },
      dedicatedRecord('2026-05-01T05:00:00Z', { acceleratorSeconds: 50 }),
    ]),
  )
  await app.inject(json('PUT', '/_mock/clock', { now: '2026-06-01T00:00:00Z' }))
  await app.inject(json('PUT', '/_mock/faults', [{ path: '/nowhere', status: 500 }]))
  await usage(app, DAY)
  t.same((await app.inject({ method: 'POST', url: '/_mock/reset' })).json(), {
    status: 'reset',
    now: TEST_NOW,
    source: 'config',
  })
  t.same((await app.inject({ url: '/_mock/requests' })).json(), { requests: [] })
  t.same((await app.inject({ url: '/_mock/faults' })).json(), { rules: [] })
  t.same(seconds((await usage(app, `${DAY}&usageType=2`)).body), ['1'])
  t.equal(
    (await app.inject({ url: `/v1/accounts/new-co/billingUsage?${DAY}`, headers: { authorization: 'Bearer fw_n' } }))
      .statusCode,
    401,
  )
})

t.test('the journal lists real API requests newest first, filterable, without secrets', async t => {
  const app = fixtureApp([])
  await usage(app, `${DAY}&groupBy=model_name`)
  await usage(app, 'startTime=bad')
  await app.inject({
    url: `/v1/accounts/other-co/billing/summary?${DAY}`,
    headers: { authorization: `Bearer ${OTHER_SECRET}` },
  })
  await app.inject({ url: '/_mock/health' })
  const all = (await app.inject({ url: '/_mock/requests' })).json().requests
  t.equal(all.length, 3, 'mock routes are not journaled')
  t.match(all[0], {
    method: 'GET',
    path: '/v1/accounts/other-co/billing/summary',
    account: 'other-co',
    keyId: 'key_OtherCo000000001',
    status: 200,
  })
  t.match(all[1], { path: '/v1/accounts/test-co/billingUsage', status: 400, query: { startTime: 'bad' } })
  t.same(all[2].query, { startTime: '2026-05-01T00:00:00Z', endTime: '2026-05-02T00:00:00Z', groupBy: 'model_name' })
  t.equal(all[2].keyId, 'key_TestCo0000000001')
  t.type(all[2].durationMs, 'number')
  t.notMatch(JSON.stringify(all), /fw_/, 'no secret in the journal')
  t.equal((await app.inject({ url: '/_mock/requests?account=test-co' })).json().requests.length, 2)
  t.equal(
    (await app.inject({ url: '/_mock/requests?path=/v1/accounts/other-co/billing/summary' })).json().requests.length,
    1,
  )
  t.equal((await app.inject({ url: '/_mock/requests?limit=1' })).json().requests[0].account, 'other-co')
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/requests' })).json(), { cleared: 3 })
})

t.test('a query string the parser refuses is a 400 on the control routes too', async t => {
  const app = fixtureApp([])
  for (const url of [
    '/_mock/requests?account[a][b][c][d]=x',
    '/_mock/records?account=test-co&a[b][c][d][e]=1',
    '/_mock/clock?__proto__[x]=1',
  ]) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().message, /^invalid query/, url)
  }
})

t.test('GET /_mock/requests/count: how many kept requests match path, account, method and status', async t => {
  const app = fixtureApp([])
  await usage(app, DAY)
  await usage(app, DAY)
  await usage(app, 'startTime=bad')
  await app.inject({
    url: `/v1/accounts/other-co/billing/summary?${DAY}`,
    headers: { authorization: `Bearer ${OTHER_SECRET}` },
  })
  await app.inject({ method: 'POST', url: '/v1/accounts/test-co/billingUsage', headers: AUTH })
  const count = async (query: string) => (await app.inject({ url: `/_mock/requests/count${query}` })).json()
  t.same(await count(''), { count: 5 })
  t.same(await count('?status=200'), { count: 3 })
  t.same(await count('?account=test-co&status=200'), { count: 2 })
  t.same(await count('?path=/v1/accounts/test-co/billingUsage&status=400'), { count: 1 })
  t.same(await count('?method=post'), { count: 1 }, 'the method in any case')
  t.same(await count('?account=nobody'), { count: 0 })
  const bad = await app.inject({ url: '/_mock/requests/count?status=abc' })
  t.same([bad.statusCode, bad.json().message], [400, 'status must be an integer from 100 to 599'])
  const other = await app.inject({ url: '/_mock/requests/count', headers: { 'x-mock-session': 'elsewhere' } })
  t.same(other.json(), { count: 0 }, 'another session has a journal of its own')
})

t.test('the journal is bounded: only the last N requests are kept', async t => {
  const app = fixtureApp([], { journalSize: 3 })
  for (let i = 0; i < 5; i++) await usage(app, `${DAY}&n=${i}`)
  const kept = (await app.inject({ url: '/_mock/requests' })).json().requests
  t.same(
    kept.map((e: { query: { n: string } }) => e.query.n),
    ['4', '3', '2'],
  )
})

t.test('fault rules: status with the real envelope, times, account, delay-only', async t => {
  const app = fixtureApp([])
  const put = await app.inject(
    json('PUT', '/_mock/faults', {
      rules: [
        { path: '/v1/accounts/*/billingUsage', account: 'test-co', status: 503, times: 2 },
        { path: '/v1/accounts/**', status: 429, code: 8, message: 'slow down' },
      ],
    }),
  )
  t.equal(put.statusCode, 200)
  const first = await usage(app, DAY)
  t.same([first.status, first.body], [503, { code: 14, message: 'injected fault: HTTP 503', details: [] }])
  t.equal((await usage(app, DAY)).status, 503)
  const third = await usage(app, DAY)
  t.same([third.status, third.body], [429, { code: 8, message: 'slow down', details: [] }], 'the first rule is used up')
  t.match((await app.inject({ url: '/_mock/faults' })).json().rules[0], { matched: 2, fired: 2 })
  await app.inject(json('PUT', '/_mock/faults', [{ delayMs: 60 }]))
  const started = Date.now()
  t.equal((await usage(app, DAY)).status, 200)
  t.ok(Date.now() - started >= 55, 'the delay-only rule delayed the answer')
  await app.inject({ method: 'DELETE', url: '/_mock/faults' })
  t.equal((await usage(app, DAY)).status, 200)
})

t.test('fault probability draws repeat from the seed', async t => {
  const draws = async () => {
    const app = fixtureApp([])
    await app.inject(json('PUT', '/_mock/faults', [{ status: 500, probability: 0.5 }]))
    const out: number[] = []
    for (let i = 0; i < 20; i++) out.push((await usage(app, DAY)).status)
    return out
  }
  const a = await draws()
  t.same(await draws(), a)
  t.ok(a.includes(500) && a.includes(200), `a mix: ${a.join(',')}`)
})

t.test('bad fault rules are a 400 naming the rule and field', async t => {
  const app = fixtureApp([])
  const cases: [unknown, string][] = [
    [{ status: 503 }, 'faults: expected an array of rules or {"rules": [...]}'],
    [[{ status: 200 }], 'rules[0].status: must be an integer from 400 to 599'],
    [[{ status: 500, colour: 1 }], 'rules[0].colour: unknown field'],
    [[{ status: 500, probability: 2 }], 'rules[0].probability: must be a number from 0 to 1'],
    [[{ status: 500, code: 99 }], 'rules[0].code: must be one of the gRPC codes 3, 4, 5, 7, 8, 12, 13, 14, 16'],
    [[{ path: '/x' }], 'rules[0]: needs a status, a delayMs or both'],
    ['not json', 'the body must be JSON: Unexpected token \'o\', "not json" is not valid JSON'],
  ]
  for (const [body, message] of cases) {
    const res = await app.inject(json('PUT', '/_mock/faults', typeof body === 'string' ? body : JSON.stringify(body)))
    t.same([res.statusCode, res.json().message], [400, message])
  }
})

t.test('x-mock-status and x-mock-delay-ms fault one request', async t => {
  const app = fixtureApp([])
  const res = await usage(app, DAY, { ...AUTH, 'x-mock-status': '502' })
  t.same([res.status, res.body], [502, { code: 13, message: 'injected fault: HTTP 502', details: [] }])
  const unavailable = await usage(app, DAY, { ...AUTH, 'x-mock-status': '503' })
  t.equal(unavailable.body.code, 14)
  t.equal((await usage(app, DAY)).status, 200)
  const bad = await usage(app, DAY, { ...AUTH, 'x-mock-delay-ms': '-5' })
  t.same(
    [bad.status, bad.body.message],
    [400, 'invalid x-mock-delay-ms header "-5": must be an integer from 0 to 60000'],
  )
  const started = Date.now()
  t.equal((await usage(app, DAY, { ...AUTH, 'x-mock-delay-ms': '50' })).status, 200)
  t.ok(Date.now() - started >= 45)
})

t.test('rate limits: 429 with code 8 and the headers, per API key, reset by /_mock/reset', async t => {
  const app = fixtureApp([], { rateLimit: { max: 2, windowMs: 60_000, text: '2/min' } })
  const first = await app.inject({ url: `/v1/accounts/test-co/billingUsage?${DAY}`, headers: AUTH })
  t.equal(first.headers['x-ratelimit-limit'], '2')
  t.equal(first.headers['x-ratelimit-remaining'], '1')
  await usage(app, DAY)
  const third = await app.inject({ url: `/v1/accounts/test-co/billingUsage?${DAY}`, headers: AUTH })
  t.equal(third.statusCode, 429)
  t.same(Object.keys(third.json()), ['code', 'message', 'details'])
  t.equal(third.json().code, 8)
  t.match(third.json().message, /^rate limit of 2\/min per API key exceeded; retry in \d+ (second|minute)s?$/)
  t.match(third.headers['retry-after'], /^\d+$/)
  t.equal(third.headers['x-ratelimit-remaining'], '0')
  const other = await app.inject({
    url: `/v1/accounts/other-co/billingUsage?${DAY}`,
    headers: { authorization: `Bearer ${OTHER_SECRET}` },
  })
  t.equal(other.statusCode, 200, 'another key has its own budget')
  t.equal((await app.inject({ url: '/_mock/health' })).statusCode, 200, 'mock routes are not limited')
  await app.inject({ method: 'POST', url: '/_mock/reset' })
  t.equal((await usage(app, DAY)).status, 200)
})

t.test('AUTH=any accepts any bearer token and invents unknown accounts from the seed', async t => {
  const app = fixtureApp([dedicatedRecord('2026-05-01T01:00:00Z', { acceleratorSeconds: 4 })], { auth: 'any' })
  const known = await usage(app, `${DAY}&usageType=2`, { authorization: 'Bearer placeholder' })
  t.same(seconds(known.body), ['4'])
  const invented = await app.inject({
    url: '/v1/accounts/my-account/billingUsage?startTime=2026-10-01T00:00:00Z&endTime=2026-10-02T00:00:00Z',
    headers: { authorization: 'Bearer fw_whatever' },
  })
  t.equal(invented.statusCode, 200)
  t.ok(invented.json().serverlessCosts.length > 0, 'the invented account has synthetic usage')
  const again = await app.inject({
    url: '/v1/accounts/my-account/billingUsage?startTime=2026-10-01T00:00:00Z&endTime=2026-10-02T00:00:00Z',
    headers: { authorization: 'Bearer other' },
  })
  t.equal(again.body, invented.body, 'the same account answers the same')
  t.equal((await usage(app, DAY, {})).status, 401, 'a bearer token is still required')
})

t.test('ADMIN_TOKEN protects the controls but not health; ADMIN=off removes them', async t => {
  const app = fixtureApp([], { adminToken: 's3cret' })
  const denied = await app.inject({ url: '/_mock/clock' })
  t.same(
    [denied.statusCode, denied.json()],
    [401, { code: 16, message: 'missing or wrong x-mock-admin-token header', details: [] }],
  )
  t.equal((await app.inject({ url: '/_mock/clock', headers: { 'x-mock-admin-token': 'wrong' } })).statusCode, 401)
  t.equal((await app.inject({ url: '/_mock/clock', headers: { 'x-mock-admin-token': 's3cret' } })).statusCode, 200)
  t.equal((await app.inject({ url: '/_mock/health' })).statusCode, 200)
  t.equal((await usage(app, DAY)).status, 200, 'the real API does not need it')
  const off = fixtureApp([], { admin: 'off' })
  t.same(
    [(await off.inject({ url: '/_mock/clock' })).statusCode, (await off.inject({ url: '/_mock/clock' })).json().code],
    [404, 5],
  )
  t.equal((await off.inject({ url: '/_mock/health' })).statusCode, 200)
})
