// Authentication: the rules of server/pipeline/auth.ts called directly, then requests exactly as a
// Stainless-generated SDK's own tests send them (fw-ai-external/python-sdk,
// tests/api_resources/accounts/test_billing.py): placeholder key "My API Key", placeholder
// account "account_id", start equal to end, and the SDK's extra headers.
import t from 'tap'
import type { KeyOwner } from '../../server/data/world.js'
import { ApiError } from '../../server/errors.js'
import { authenticate, type KeyLookup } from '../../server/pipeline/auth.js'
import { acceleratorSecondsOf, DAY_QUERY, dedicatedRecord, fixtureApp, serverlessRecord, usage } from '../helpers.js'

const OWNER: KeyOwner = { account: 'test-co', keyId: 'key_TestCo0000000001', keyName: 'prod-eng' }
const keys: KeyLookup = { ownerOf: secret => (secret === 'fw_testSecret01' ? OWNER : undefined) }

function failure(mode: 'strict' | 'any', header: string | undefined, account = 'test-co'): [number, string] | 'ok' {
  try {
    authenticate(keys, mode, header, account)
    return 'ok'
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    return [err.code, err.message]
  }
}

const MALFORMED: [number, string] = [16, 'malformed Authorization header; expected "Authorization: Bearer <API key>"']
const MISSING: [number, string] = [16, 'missing Authorization header; expected "Authorization: Bearer <API key>"']

t.test('AUTH=any accepts the Bearer scheme, any case, with a token of any characters', async t => {
  for (const header of [
    'Bearer My API Key',
    'bearer x',
    'BEARER x',
    'Bearer  fw_a!@#$%^&*()',
    'Bearer ключ-ü',
    'Bearer\ttab token ',
  ])
    t.equal(failure('any', header), 'ok', header)
})

t.test('AUTH=any still refuses a header without a token, or another scheme', async t => {
  t.same(failure('any', undefined), MISSING)
  t.same(failure('any', ''), MISSING)
  for (const header of [
    'Bearer',
    'Bearer ',
    'Bearer   ',
    'Basic dXNlcjpwYXNz',
    'Token abc',
    'fw_testSecret01',
    'Bearerabc',
  ])
    t.same(failure('any', header), MALFORMED, header)
})

t.test('AUTH=strict is unchanged: the exact scheme and a token without spaces', async t => {
  t.equal(failure('strict', 'Bearer fw_testSecret01'), 'ok')
  for (const header of ['Bearer My API Key', 'bearer fw_testSecret01', 'Bearer', 'Basic dXNlcjpwYXNz'])
    t.same(failure('strict', header), MALFORMED, header)
  t.same(failure('strict', 'Bearer fw_unknown'), [16, 'invalid API key'])
  t.same(failure('strict', 'Bearer fw_testSecret01', 'other-co'), [
    7,
    'the API key is not allowed to access accounts/other-co',
  ])
})

t.test('AUTH=any: a known key on its own account is that key; an unknown token gets a stable derived id', async t => {
  t.same(authenticate(keys, 'any', 'Bearer fw_testSecret01', 'test-co'), OWNER)
  const first = authenticate(keys, 'any', 'Bearer My API Key', 'account_id')
  const again = authenticate(keys, 'any', 'bearer My API Key', 'account_id')
  const other = authenticate(keys, 'any', 'Bearer My Other Key', 'account_id')
  t.match(first, { account: 'account_id', keyName: 'any', keyId: /^key_any[0-9a-f]{12}$/ })
  t.equal(again.keyId, first.keyId, 'the same token, the same id')
  t.not(other.keyId, first.keyId, 'another token, another id')
  t.notOk(first.keyId.includes('My'), 'the id does not carry the token')
})

/** What the Fireworks Python SDK (Stainless) sends with every request, besides Authorization. */
const SDK_HEADERS = {
  accept: 'application/json',
  'content-type': 'application/json',
  'user-agent': 'Fireworks/Python 0.0.1',
  'x-stainless-lang': 'python',
  'x-stainless-package-version': '0.1.0',
  'x-stainless-os': 'Linux',
  'x-stainless-arch': 'x64',
  'x-stainless-runtime': 'CPython',
  'x-stainless-runtime-version': '3.12.4',
  'x-stainless-async': 'false',
  'x-stainless-retry-count': '0',
  'x-stainless-read-timeout': '60',
  'accept-encoding': 'gzip, deflate',
}
const PLACEHOLDER = '2019-12-27T18:11:19.117Z'
const SDK_AUTH = { ...SDK_HEADERS, authorization: 'Bearer My API Key' }
const A_DAY_LATER = '2019-12-28T18:11:19.117Z'

t.test("the SDK's generated get_summary call, exactly as sent: 200 under AUTH=any, 401 under strict", async t => {
  const url = `/v1/accounts/account_id/billing/summary?endTime=${PLACEHOLDER}&startTime=${PLACEHOLDER}`
  const any = fixtureApp([], { auth: 'any' })
  const res = await any.inject({ method: 'GET', url, headers: SDK_AUTH })
  // [ours] the same start and end date is an empty range: 200 with empty lists
  t.same([res.statusCode, res.json()], [200, { lineItems: [], usageBuckets: [] }])
  const journal = (await any.inject({ url: '/_mock/requests' })).json().requests
  t.match(journal[0], { account: 'account_id', keyId: /^key_any[0-9a-f]{12}$/, status: 200 })
  t.notOk(JSON.stringify(journal).includes('My API Key'), 'the journal never holds the token')

  const strict = fixtureApp([])
  const denied = await strict.inject({ method: 'GET', url, headers: SDK_AUTH })
  t.same([denied.statusCode, denied.json()], [401, { code: 16, message: MALFORMED[1], details: [] }])
})

t.test('all three operations answer SDK-shaped requests under AUTH=any, and 401 under strict', async t => {
  const any = fixtureApp([serverlessRecord('2019-12-28T01:00:00Z', { account: 'test-co', promptTokens: 5 })], {
    auth: 'any',
  })
  const strict = fixtureApp([])
  const window = `startTime=${PLACEHOLDER}&endTime=${A_DAY_LATER}`
  const operations: [string, (body: Record<string, unknown>) => unknown][] = [
    ['billingUsage', b => [Object.keys(b).sort(), Array.isArray(b.serverlessCosts)]],
    ['billing/summary', b => Object.keys(b).sort()],
    ['accountUsageFilterOptions', b => Object.keys(b).sort()],
  ]
  const expected = [
    [['dedicatedCosts', 'serverlessCosts', 'trainingCosts'], true],
    ['lineItems', 'usageBuckets'],
    ['dedicated', 'serverless', 'training'],
  ]
  for (const [i, [path, shape]] of operations.entries()) {
    const url = `/v1/accounts/account_id/${path}?${window}`
    const res = await any.inject({ method: 'GET', url, headers: SDK_AUTH })
    t.equal(res.statusCode, 200, `${path} under AUTH=any`)
    t.same(shape(res.json()), expected[i], `${path} has the documented top-level shape`)
    const denied = await strict.inject({ method: 'GET', url, headers: SDK_AUTH })
    t.same([denied.statusCode, denied.json().code], [401, 16], `${path} under AUTH=strict`)
  }
})

t.test('billingUsage keeps its own rule for start equal to end under AUTH=any: a 400, not an auth error', async t => {
  const any = fixtureApp([], { auth: 'any' })
  const res = await any.inject({
    url: `/v1/accounts/account_id/billingUsage?startTime=${PLACEHOLDER}&endTime=${PLACEHOLDER}`,
    headers: SDK_AUTH,
  })
  t.same([res.statusCode, res.json()], [400, { code: 3, message: 'start_time must be before end_time', details: [] }])
})

t.test('AUTH=any accepts any bearer token and invents unknown accounts from the seed', async t => {
  const app = fixtureApp([dedicatedRecord('2026-05-01T01:00:00Z', { acceleratorSeconds: 4 })], { auth: 'any' })
  const known = await usage(app, `${DAY_QUERY}&usageType=2`, { authorization: 'Bearer placeholder' })
  t.same(acceleratorSecondsOf(known.body), ['4'])
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
  t.equal((await usage(app, DAY_QUERY, {})).status, 401, 'a bearer token is still required')
})
