// Fault rules over HTTP, and the per-request fault headers x-mock-status and x-mock-delay-ms.
import t from 'tap'
import { AUTH, DAY_QUERY, fixtureApp, jsonRequest, usage } from '../../helpers.js'

t.test('fault rules: status with the real envelope, times, account, delay-only', async t => {
  // Delays are recorded, not waited for; the real timer is checked with x-mock-delay-ms below.
  const sleeps: number[] = []
  const app = fixtureApp([], {}, { sleep: async ms => void sleeps.push(ms) })
  const put = await app.inject(
    jsonRequest('PUT', '/_mock/faults', {
      rules: [
        { path: '/v1/accounts/*/billingUsage', account: 'test-co', status: 503, times: 2 },
        { path: '/v1/accounts/**', status: 429, code: 8, message: 'slow down' },
      ],
    }),
  )
  t.equal(put.statusCode, 200)
  const first = await usage(app, DAY_QUERY)
  t.same([first.status, first.body], [503, { code: 14, message: 'injected fault: HTTP 503', details: [] }])
  t.equal((await usage(app, DAY_QUERY)).status, 503)
  const third = await usage(app, DAY_QUERY)
  t.same([third.status, third.body], [429, { code: 8, message: 'slow down', details: [] }], 'the first rule is used up')
  t.match((await app.inject({ url: '/_mock/faults' })).json().rules[0], { matched: 2, fired: 2 })
  t.same(sleeps, [], 'rules without delayMs wait for nothing')
  await app.inject(jsonRequest('PUT', '/_mock/faults', [{ delayMs: 60 }]))
  t.equal((await usage(app, DAY_QUERY)).status, 200)
  t.same(sleeps, [60], 'the delay-only rule delayed the answer')
  await app.inject({ method: 'DELETE', url: '/_mock/faults' })
  t.equal((await usage(app, DAY_QUERY)).status, 200)
  t.same(sleeps, [60], 'no delay once the rules are gone')
})

t.test('fault probability draws repeat from the seed', async t => {
  const draws = async () => {
    const app = fixtureApp([])
    await app.inject(jsonRequest('PUT', '/_mock/faults', [{ status: 500, probability: 0.5 }]))
    const out: number[] = []
    for (let i = 0; i < 20; i++) out.push((await usage(app, DAY_QUERY)).status)
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
    [[{ status: 500, probabilty: 0.5 }], 'rules[0].probabilty: unknown field (did you mean "probability"?)'],
    [[{ status: 500, probability: 2 }], 'rules[0].probability: must be a number from 0 to 1'],
    [[{ status: 500, code: 99 }], 'rules[0].code: must be one of the gRPC codes 3, 4, 5, 7, 8, 12, 13, 14, 16'],
    [[{ path: '/x' }], 'rules[0]: needs a status, a delayMs or both'],
    // rules that could never match: no leading slash, a query
    [
      [{ path: 'v1/**', status: 500 }],
      'rules[0].path: must be a path starting with / and without a query, like /v1/**',
    ],
    [
      [{ status: 500 }, { path: '/v1/**?x=1', status: 500 }],
      'rules[1].path: must be a path starting with / and without a query, like /v1/**',
    ],
    ['not json', 'the body must be JSON: Unexpected token \'o\', "not json" is not valid JSON'],
  ]
  for (const [body, message] of cases) {
    const res = await app.inject(
      jsonRequest('PUT', '/_mock/faults', typeof body === 'string' ? body : JSON.stringify(body)),
    )
    t.same([res.statusCode, res.json().message], [400, message])
  }
})

t.test('x-mock-status and x-mock-delay-ms fault one request', async t => {
  const app = fixtureApp([])
  const res = await usage(app, DAY_QUERY, { ...AUTH, 'x-mock-status': '502' })
  t.same([res.status, res.body], [502, { code: 13, message: 'injected fault: HTTP 502', details: [] }])
  const unavailable = await usage(app, DAY_QUERY, { ...AUTH, 'x-mock-status': '503' })
  t.equal(unavailable.body.code, 14)
  t.equal((await usage(app, DAY_QUERY)).status, 200)
  const bad = await usage(app, DAY_QUERY, { ...AUTH, 'x-mock-delay-ms': '-5' })
  t.same(
    [bad.status, bad.body.message],
    [400, 'invalid x-mock-delay-ms header "-5": must be an integer from 0 to 60000'],
  )
  // The app's own timer: a lower bound only (a busy machine answers later, never sooner).
  const started = Date.now()
  t.equal((await usage(app, DAY_QUERY, { ...AUTH, 'x-mock-delay-ms': '50' })).status, 200)
  t.ok(Date.now() - started >= 45, 'the answer waited for the delay')
})
