// usageCosts:query, GET /v1/accounts and GET /v1/accounts/{id} over HTTP: what the routes add to
// the rules (tested directly in test/usage/usage-costs.test.ts and test/usage/accounts.test.ts):
// the body read as JSON, the envelope, authentication, the clock, sessions, faults, the journal
// and the answer cache. Every response is checked against the published document.
import t from 'tap'
import { AUTH, fixtureApp, jsonRequest, modelName, serverlessRecord, OTHER_SECRET } from '../helpers.js'

const URL = '/v1/accounts/test-co/usageCosts:query'
// 1000 x 70 + 10 x 300 = 73,000 nano-USD; audio (whisper, 2 s = 50,000) is not counted
const RECORDS = [
  serverlessRecord('2026-05-01T10:00:00Z', { promptTokens: 1000, completionTokens: 10 }),
  serverlessRecord('2026-05-01T11:00:00Z', {
    model: modelName('whisper-v3'),
    usageType: 'AUDIO_INFERENCE_USAGE',
    audioInputSeconds: 2,
  }),
]
const BODY = { startTime: '2026-05-01T00:00:00Z', endTime: '2026-05-02T00:00:00Z', scope: 'ACCOUNT' }
const usd = (nanos: number) => ({ currencyCode: 'USD', units: '0', nanos })
const post = (payload: unknown, headers: Record<string, string> = AUTH, url = URL) =>
  jsonRequest('POST', url, payload, headers)

t.test('the answer, as the published document describes it', async t => {
  const app = fixtureApp(RECORDS)
  const res = await app.inject(post({ ...BODY, groupBy: ['DAY', 'MODEL'] }))
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.strictSame(res.json(), {
    rows: [
      {
        dimensions: { startTime: '2026-05-01T00:00:00Z', model: modelName('gpt-oss-20b') },
        subtotal: usd(73_000),
      },
    ],
    subtotal: usd(73_000),
    nextPageToken: '',
    attributionCompleteness: 'COMPLETE',
    evaluationTime: '2027-01-01T00:00:00Z',
  })
})

t.test('the body is JSON whatever its content type; anything else is 400 code 3', async t => {
  const app = fixtureApp(RECORDS)
  const plain = await app.inject({ ...post(BODY), headers: { ...AUTH, 'content-type': 'text/plain' } })
  t.same([plain.statusCode, plain.json().subtotal], [200, usd(73_000)])
  const none = await app.inject({ method: 'POST', url: URL, headers: AUTH, payload: JSON.stringify(BODY) })
  t.equal(none.statusCode, 200, 'no content type at all')
  const broken = await app.inject(post('{"startTime": '))
  t.same([broken.statusCode, broken.json().code], [400, 3])
  t.match(broken.json().message, /^the body is not JSON/)
  const empty = await app.inject(post(''))
  t.same([empty.statusCode, empty.json().message], [400, 'startTime is required'], 'an empty body is an empty message')
  const ignored = await app.inject(post({ ...BODY, colour: 'blue' }))
  t.equal(ignored.headers['x-mock-ignored-params'], 'colour')
})

t.test('authentication first; another account is 403; another method is 501', async t => {
  const app = fixtureApp(RECORDS)
  const anon = await app.inject(post('not json', {}))
  t.same([anon.statusCode, anon.json().code], [401, 16], 'before the body is read')
  const other = await app.inject(post(BODY, { authorization: `Bearer ${OTHER_SECRET}` }))
  t.same([other.statusCode, other.json().code], [403, 7])
  const get = await app.inject({ method: 'GET', url: URL, headers: AUTH })
  t.same([get.statusCode, get.json()], [501, { code: 12, message: 'Method Not Allowed', details: [] }])
})

t.test('the clock, x-mock-now and faults apply as on every real operation', async t => {
  const app = fixtureApp(RECORDS)
  const early = await app.inject(post(BODY, { ...AUTH, 'x-mock-now': '2026-05-01T10:30:00Z' }))
  t.same(early.json().subtotal, usd(70_000 + 3000), 'the 10:00 record exists at 10:30')
  t.equal(early.json().evaluationTime, '2026-05-01T10:30:00Z')
  const before = await app.inject(post(BODY, { ...AUTH, 'x-mock-now': '2026-05-01T10:00:00Z' }))
  t.same(before.json().subtotal, usd(0), 'nothing exists at or after now')
  const fault = await app.inject(post(BODY, { ...AUTH, 'x-mock-status': '503' }))
  t.same([fault.statusCode, fault.json().code], [503, 14])
})

t.test("a session's records count in that session only, and the journal sees the POST", async t => {
  const app = fixtureApp(RECORDS)
  const session = { 'x-mock-session': 'worker-1' }
  const added = await app.inject(
    jsonRequest(
      'POST',
      '/_mock/accounts/test-co/records',
      [serverlessRecord('2026-05-01T12:00:00Z', { promptTokens: 100 })],
      session,
    ),
  )
  t.equal(added.statusCode, 200)
  const mine = await app.inject(post(BODY, { ...AUTH, ...session }))
  t.same(mine.json().subtotal, usd(73_000 + 7000), '100 x 70 more in worker-1')
  const theirs = await app.inject(post(BODY))
  t.same(theirs.json().subtotal, usd(73_000), 'the default session is untouched')
  const journal = await app.inject({ url: '/_mock/requests?limit=1', headers: session })
  const [entry] = journal.json().requests
  t.match(entry, { method: 'POST', path: URL, account: 'test-co', keyId: 'key_TestCo0000000001', status: 200 })
})

t.test('an answer from the cache is the computed one; the next page is not served as the first', async t => {
  // a second text hour: 100 x 70 = 7,000 at 15:00
  const records = [...RECORDS, serverlessRecord('2026-05-01T15:00:00Z', { promptTokens: 100 })]
  const cached = fixtureApp(records)
  const computed = fixtureApp(records, { cacheMb: 0 })
  const body = { ...BODY, groupBy: ['HOUR'], pageSize: 1 }
  const explain = { ...AUTH, 'x-mock-explain': 'true' }
  const first = await cached.inject(post(body, explain))
  const again = await cached.inject(post(body, explain))
  t.match(first.headers['x-mock-explain'], /"cache":"miss"/)
  t.match(again.headers['x-mock-explain'], /"cache":"hit"/)
  t.equal(again.body, (await computed.inject(post(body))).body, 'the cached bytes are the computed bytes')
  t.same(first.json().rows, [{ dimensions: { startTime: '2026-05-01T10:00:00Z' }, subtotal: usd(73_000) }])
  const token = first.json().nextPageToken
  const next = await cached.inject(post({ ...body, pageToken: token }, explain))
  t.match(next.headers['x-mock-explain'], /"cache":"miss"/, 'a page of its own')
  t.same(next.json().rows, [{ dimensions: { startTime: '2026-05-01T15:00:00Z' }, subtotal: usd(7000) }])
  t.same(next.json().subtotal, usd(80_000), 'the subtotal of the whole query on every page')
  t.equal(next.json().nextPageToken, '')
})

t.test("a cached answer is served for its own clock only: evaluationTime is the clock's now", async t => {
  const app = fixtureApp(RECORDS)
  const at = async (now: string) => (await app.inject(post(BODY, { ...AUTH, 'x-mock-now': now }))).json()
  t.equal((await at('2026-06-01T00:00:00Z')).evaluationTime, '2026-06-01T00:00:00Z')
  t.equal(
    (await at('2026-07-01T00:00:00Z')).evaluationTime,
    '2026-07-01T00:00:00Z',
    'not the one cached a month before',
  )
  t.equal((await at('2026-06-01T00:00:00Z')).evaluationTime, '2026-06-01T00:00:00Z')
})
