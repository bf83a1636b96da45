// The journal over HTTP: newest first, filtered, counted, bounded, without secrets.
import t from 'tap'
import { AUTH, DAY_QUERY, fixtureApp, OTHER_SECRET, usage } from '../../helpers.js'

t.test('the journal lists real API requests newest first, filterable, without secrets', async t => {
  const app = fixtureApp([])
  await usage(app, `${DAY_QUERY}&groupBy=model_name`)
  await usage(app, 'startTime=bad')
  await app.inject({
    url: `/v1/accounts/other-co/billing/summary?${DAY_QUERY}`,
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

t.test('GET /_mock/requests/count: how many kept requests match path, account, method and status', async t => {
  const app = fixtureApp([])
  await usage(app, DAY_QUERY)
  await usage(app, DAY_QUERY)
  await usage(app, 'startTime=bad')
  await app.inject({
    url: `/v1/accounts/other-co/billing/summary?${DAY_QUERY}`,
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
  const misspelt = await app.inject({ url: '/_mock/requests/count?acount=test-co' })
  t.same(
    [misspelt.statusCode, misspelt.json().message],
    [400, 'unknown query parameter "acount" (did you mean "account"?)'],
  )
  const other = await app.inject({ url: '/_mock/requests/count', headers: { 'x-mock-session': 'elsewhere' } })
  t.same(other.json(), { count: 0 }, 'another session has a journal of its own')
})

t.test('the journal is bounded: only the last N requests are kept', async t => {
  const app = fixtureApp([], { journalSize: 3 })
  for (let i = 0; i < 5; i++) await usage(app, `${DAY_QUERY}&n=${i}`)
  const kept = (await app.inject({ url: '/_mock/requests' })).json().requests
  t.same(
    kept.map((e: { query: { n: string } }) => e.query.n),
    ['4', '3', '2'],
  )
})
