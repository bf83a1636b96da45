// The session's clock over HTTP: read, pin, return; x-mock-now for one request.
import t from 'tap'
import {
  acceleratorSecondsOf,
  AUTH,
  DAY_QUERY,
  dedicatedRecord,
  fixtureApp,
  jsonRequest,
  TEST_NOW,
  usage,
} from '../../helpers.js'

t.test('clock: read, pin, return to the configured clock; x-mock-now pins one request', async t => {
  const app = fixtureApp([dedicatedRecord('2026-05-01T10:00:00Z', { acceleratorSeconds: 7 })])
  t.same((await app.inject({ url: '/_mock/clock' })).json(), { now: TEST_NOW, source: 'config' })
  const pinned = await app.inject(jsonRequest('PUT', '/_mock/clock', { now: '2026-05-01T10:00:00Z' }))
  t.same(pinned.json(), { now: '2026-05-01T10:00:00Z', source: 'runtime' })
  t.same(
    acceleratorSecondsOf((await usage(app, `${DAY_QUERY}&usageType=2`)).body),
    [],
    'the record at now does not exist yet',
  )
  await app.inject(jsonRequest('PUT', '/_mock/clock', { now: '2026-05-01T10:00:00.001Z' }))
  t.same(acceleratorSecondsOf((await usage(app, `${DAY_QUERY}&usageType=2`)).body), ['7'])
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/clock' })).json(), { now: TEST_NOW, source: 'config' })
  t.same(
    acceleratorSecondsOf(
      (await usage(app, `${DAY_QUERY}&usageType=2`, { ...AUTH, 'x-mock-now': '2026-05-01T09:00:00Z' })).body,
    ),
    [],
  )
  t.same(
    acceleratorSecondsOf((await usage(app, `${DAY_QUERY}&usageType=2`)).body),
    ['7'],
    'the header pinned one request only',
  )
  const bad = await usage(app, DAY_QUERY, { ...AUTH, 'x-mock-now': 'yesterday' })
  t.same(
    [bad.status, bad.body.message],
    [400, 'invalid x-mock-now header "yesterday": must be an RFC 3339 timestamp such as 2026-06-01T00:00:00Z'],
  )
  const badPut = await app.inject(jsonRequest('PUT', '/_mock/clock', { now: '2026-05-01' }))
  t.same(
    [badPut.statusCode, badPut.json()],
    [400, { code: 3, message: 'the body must be {"now": "<RFC 3339 timestamp>"}', details: [] }],
  )
})
