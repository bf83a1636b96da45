// Every error of the surface over HTTP: status and the exact grpc-gateway envelope.
import t from 'tap'
import { AUTH, fixtureApp, OTHER_SECRET, serverlessRecord } from '../helpers.js'

const app = fixtureApp([serverlessRecord('2026-05-01T01:00:00Z', { promptTokens: 1 })])
const Q = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
const env = (code: number, message: string) => ({ code, message, details: [] })

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD',
  url: string,
  headers: Record<string, string> = AUTH,
) {
  const res = await app.inject({ method, url, headers })
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json(), type: res.headers['content-type'] }
}

t.test('authentication failures are 401 code 16', async t => {
  const url = `/v1/accounts/test-co/billingUsage?${Q}`
  t.same(await call('GET', url, {}), {
    status: 401,
    body: env(16, 'missing Authorization header; expected "Authorization: Bearer <API key>"'),
    type: 'application/json; charset=utf-8',
  })
  for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'fw_testSecret01', 'Bearer a b'])
    t.same(
      (await call('GET', url, { authorization: header })).body,
      env(16, 'malformed Authorization header; expected "Authorization: Bearer <API key>"'),
      header,
    )
  t.same(await call('GET', url, { authorization: 'Bearer fw_nope' }), {
    status: 401,
    body: env(16, 'invalid API key'),
    type: 'application/json; charset=utf-8',
  })
})

t.test("a key on another account's path is 403 code 7, whether or not that account exists", async t => {
  const mine = await call('GET', `/v1/accounts/other-co/billingUsage?${Q}`)
  t.same([mine.status, mine.body], [403, env(7, 'the API key is not allowed to access accounts/other-co')])
  const ghost = await call('GET', `/v1/accounts/no-such-co/billingUsage?${Q}`)
  t.same([ghost.status, ghost.body], [403, env(7, 'the API key is not allowed to access accounts/no-such-co')])
  const theirs = await call('GET', `/v1/accounts/other-co/billingUsage?${Q}`, {
    authorization: `Bearer ${OTHER_SECRET}`,
  })
  t.equal(theirs.status, 200, "the other account's own key works")
})

t.test('authentication is checked before parameters', async t => {
  const res = await call('GET', '/v1/accounts/test-co/billingUsage?startTime=garbage', {})
  t.equal(res.status, 401)
  const forbidden = await call('GET', '/v1/accounts/other-co/billingUsage?startTime=garbage')
  t.equal(forbidden.status, 403)
})

t.test('parameter errors are 400 code 3', async t => {
  const res = await call('GET', '/v1/accounts/test-co/billingUsage?endTime=2026-05-02T00:00:00Z')
  t.same([res.status, res.body], [400, env(3, 'start_time is required')])
  const window = await call(
    'GET',
    '/v1/accounts/test-co/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-06-01T00:00:01Z',
  )
  t.same([window.status, window.body], [400, env(3, 'end_time must not be more than 31 days after start_time')])
})

t.test('unknown parameters are ignored and listed in x-mock-ignored-params; strict mode rejects them', async t => {
  const res = await app.inject({ url: `/v1/accounts/test-co/billingUsage?${Q}&pageSize=5&view=FULL`, headers: AUTH })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-mock-ignored-params'], 'pageSize,view')
  const clean = await app.inject({ url: `/v1/accounts/test-co/billingUsage?${Q}`, headers: AUTH })
  t.equal(clean.headers['x-mock-ignored-params'], undefined)
  const strict = fixtureApp([], { strictParams: true })
  const rejected = await strict.inject({ url: `/v1/accounts/test-co/billingUsage?${Q}&pageSize=5`, headers: AUTH })
  t.same([rejected.statusCode, rejected.json()], [400, env(3, 'unknown query parameter "pageSize"')])
})

t.test('a misspelt parameter stays ignored; when a required one is then missing, the error names it', async t => {
  const lenient = await app.inject({ url: `/v1/accounts/test-co/billingUsage?${Q}&groupby=model_name`, headers: AUTH })
  t.same([lenient.statusCode, lenient.headers['x-mock-ignored-params']], [200, 'groupby'], 'as the real API')
  const res = await call(
    'GET',
    '/v1/accounts/test-co/billingUsage?startime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&groupby=model_name',
  )
  t.same(
    [res.status, res.body],
    [
      400,
      env(
        3,
        'start_time is required; ignored unknown parameters "startime" (did you mean "startTime"?), "groupby" (did you mean "groupBy"?)',
      ),
    ],
  )
  const strict = fixtureApp([], { strictParams: true })
  const rejected = await strict.inject({ url: `/v1/accounts/test-co/billingUsage?${Q}&groupby=x`, headers: AUTH })
  t.same(
    [rejected.statusCode, rejected.json()],
    [400, env(3, 'unknown query parameter "groupby" (did you mean "groupBy"?)')],
  )
})

t.test('an unknown path is 404 code 5 Not Found', async t => {
  // (GET / too, its message pointing to the API and the pages: landing-routes.test.ts)
  for (const url of [
    '/v1/accounts/test-co/usage',
    '/v1/accounts/test-co/billingUsage/extra',
    '/v2/accounts/test-co/billingUsage',
  ])
    t.same([(await call('GET', url)).status, (await call('GET', url)).body], [404, env(5, 'Not Found')], url)
})

t.test('a known path with another method is 501 code 12 Method Not Allowed', async t => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
    const res = await call(method, `/v1/accounts/test-co/billingUsage?${Q}`)
    t.same([res.status, res.body], [501, env(12, 'Method Not Allowed')], method)
  }
  t.equal((await call('HEAD', `/v1/accounts/test-co/billingUsage?${Q}`)).status, 501, 'HEAD is not served implicitly')
  t.same((await call('POST', '/_mock/health')).body, env(12, 'Method Not Allowed: /_mock/health answers GET, not POST'))
})

t.test('a crash is 500 code 13 with the request id and no stack trace in the body', async t => {
  const crashing = fixtureApp([])
  crashing.get('/boom', async () => {
    throw new Error('secret internals at /srv/app.ts:12')
  })
  const res = await crashing.inject({ url: '/boom' })
  t.equal(res.statusCode, 500)
  const body = res.json()
  t.same(Object.keys(body), ['code', 'message', 'details'])
  t.equal(body.code, 13)
  t.match(body.message, /^internal error \(request id req-[0-9a-z]+\)$/)
  t.notMatch(res.body, /secret internals|app\.ts|at /)
})
