// POST /_mock/reset: the session back to its start-up state.
import t from 'tap'
import {
  acceleratorSecondsOf,
  DAY_QUERY,
  dedicatedRecord,
  fixtureApp,
  jsonRequest,
  TEST_NOW,
  usage,
} from '../../helpers.js'

t.test('reset returns records, accounts, clock, journal and faults to the start-up state', async t => {
  const app = fixtureApp([dedicatedRecord('2026-05-01T01:00:00Z', { acceleratorSeconds: 1 })])
  await app.inject(
    jsonRequest('POST', '/_mock/accounts', [
      { account: 'new-co', keys: [{ id: 'key_N', name: 'n', secret: 'fw_n' }] },
      dedicatedRecord('2026-05-01T05:00:00Z', { acceleratorSeconds: 50 }),
    ]),
  )
  await app.inject(jsonRequest('PUT', '/_mock/clock', { now: '2026-06-01T00:00:00Z' }))
  await app.inject(jsonRequest('PUT', '/_mock/faults', [{ path: '/nowhere', status: 500 }]))
  await usage(app, DAY_QUERY)
  t.same((await app.inject({ method: 'POST', url: '/_mock/reset' })).json(), {
    status: 'reset',
    now: TEST_NOW,
    source: 'config',
  })
  t.same((await app.inject({ url: '/_mock/requests' })).json(), { requests: [] })
  t.same((await app.inject({ url: '/_mock/faults' })).json(), { rules: [] })
  t.same(acceleratorSecondsOf((await usage(app, `${DAY_QUERY}&usageType=2`)).body), ['1'])
  t.equal(
    (
      await app.inject({
        url: `/v1/accounts/new-co/billingUsage?${DAY_QUERY}`,
        headers: { authorization: 'Bearer fw_n' },
      })
    ).statusCode,
    401,
  )
})

t.test('GET /_mock/reset is a 501 that says to POST, in the message and in Allow', async t => {
  const app = fixtureApp([])
  const res = await app.inject({ method: 'GET', url: '/_mock/reset' })
  t.same(
    [res.statusCode, res.headers.allow, res.json()],
    [501, 'POST', { code: 12, message: 'Method Not Allowed: /_mock/reset answers POST, not GET', details: [] }],
  )
  const inSession = await app.inject({ method: 'PUT', url: '/_sessions/w1/_mock/reset?now=x' })
  t.same(
    [inSession.statusCode, inSession.headers.allow, inSession.json().message],
    [501, 'POST', 'Method Not Allowed: /_sessions/w1/_mock/reset answers POST, not PUT'],
    'the path as sent, without its query',
  )
  const head = await app.inject({ method: 'HEAD', url: '/_mock/reset' })
  t.same([head.statusCode, head.headers.allow, head.body], [501, 'POST', ''], 'HEAD: the header, no body')
  const faults = await app.inject({ method: 'POST', url: '/_mock/faults' })
  t.same(
    [faults.headers.allow, faults.json().message],
    ['GET, PUT, DELETE', 'Method Not Allowed: /_mock/faults answers GET, PUT, DELETE, not POST'],
  )
})

t.test("the real API's paths answer another method as grpc-gateway does: no Allow, no more words", async t => {
  const res = await fixtureApp([]).inject({ method: 'POST', url: `/v1/accounts/test-co/billingUsage?${DAY_QUERY}` })
  t.same(
    [res.statusCode, res.headers.allow, res.json()],
    [501, undefined, { code: 12, message: 'Method Not Allowed', details: [] }],
  )
})
