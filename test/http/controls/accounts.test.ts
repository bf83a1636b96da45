// Runtime accounts, keys and records over HTTP: all or nothing, visible at once, cleared by DELETE.
import t from 'tap'
import {
  acceleratorSecondsOf,
  DAY_QUERY,
  dedicatedRecord,
  fixtureApp,
  jsonRequest,
  serverlessRecord,
  usage,
} from '../../helpers.js'

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
    jsonRequest('POST', '/_mock/accounts/test-co/records', [
      dedicatedRecord('2026-05-01T03:00:00Z', { acceleratorSeconds: 300 }),
    ]),
  )
  t.equal(asJson.statusCode, 200)
  t.same(acceleratorSecondsOf((await usage(app, `${DAY_QUERY}&usageType=2`)).body), ['321'])
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/accounts/test-co/records' })).json(), { removed: 3 })
  t.same(acceleratorSecondsOf((await usage(app, `${DAY_QUERY}&usageType=2`)).body), ['1'], 'fixture records stay')
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
  t.same(acceleratorSecondsOf((await usage(app, `${DAY_QUERY}&usageType=2`)).body), [])
  const other = await app.inject(
    jsonRequest('POST', '/_mock/accounts/test-co/records', [
      dedicatedRecord('2026-05-01T02:00:00Z', { account: 'other-co' }),
    ]),
  )
  t.same(
    other.json().message,
    'nothing was added: body:1 [0]: account: must be "test-co", the account in the path, got "other-co"',
  )
  const missing = await app.inject(
    jsonRequest('POST', '/_mock/accounts/ghost/records', [
      dedicatedRecord('2026-05-01T02:00:00Z', { account: 'ghost' }),
    ]),
  )
  t.same(
    [missing.statusCode, missing.json().message],
    [404, 'account "ghost" not found; create it with POST /_mock/accounts'],
  )
})

t.test('a JSON array body names each bad element by its index, and a misspelt field by its name', async t => {
  const app = fixtureApp([])
  // curl -d '[...]' sends the whole array on one line
  const res = await app.inject(
    jsonRequest('POST', '/_mock/accounts/test-co/records', [
      dedicatedRecord('2026-05-01T02:00:00Z', { acceleratorSeconds: 20 }),
      dedicatedRecord('2026-05-01T03:00:00Z', { acceleratorSeconds: -1 }),
      dedicatedRecord('2026-05-01T04:00:00Z'),
      { ...dedicatedRecord('2026-05-01T05:00:00Z'), acceleratorSecond: 5 },
    ]),
  )
  t.same(
    [res.statusCode, res.json().code, res.json().message],
    [
      400,
      3,
      'nothing was added: body:1 [1]: acceleratorSeconds: must be a non-negative integer, got -1; ' +
        'body:1 [3]: acceleratorSecond: unknown field (did you mean "acceleratorSeconds"?)',
    ],
  )
})

t.test('accounts and keys created at runtime authenticate; clashing keys are refused', async t => {
  const app = fixtureApp([])
  const created = await app.inject(
    jsonRequest('POST', '/_mock/accounts', [
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
    url: `/v1/accounts/new-co/billingUsage?${DAY_QUERY}`,
    headers: { authorization: 'Bearer fw_newco' },
  })
  t.same(acceleratorSecondsOf(res.json()), ['9'])
  const clash = await app.inject(
    jsonRequest('POST', '/_mock/accounts', {
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
