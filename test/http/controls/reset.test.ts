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
