// usageCosts:query's rules, called directly [costs-and-accounts.md section 2]. Every expected
// amount below is worked out by hand from the seven records of COST_CO and the price list:
// kimi-k2p6 950 / 160 / 4000 and gpt-oss-20b 70 / 35 / 300 nano-USD per uncached, cached and
// output token.
import t from 'tap'
import { buildWorld, type WorldAccount } from '../../server/data/world.js'
import { ApiError } from '../../server/errors.js'
import { callerOf, parseCostsBody, queryUsageCosts, type CostsBody } from '../../server/usage/usage-costs.js'
import { modelName } from '../fixture-records.js'

const NOW = Date.parse('2026-08-01T00:00:00Z')
const KIMI = modelName('kimi-k2p6')
const GPT = modelName('gpt-oss-20b')
const CUSTOM = 'accounts/cost-co/models/custom'
const record = (time: string, fields: object) => ({
  kind: 'serverless',
  account: 'cost-co',
  time,
  apiKeyId: 'key_Ada1',
  ...fields,
})
const ENTRIES = [
  {
    account: 'cost-co',
    keys: [
      { id: 'key_Ada1', name: 'ada-laptop', secret: 'fw_ada1', user: 'ada', role: 'admin' },
      { id: 'key_Ada2', name: 'ada-ci', secret: 'fw_ada2', user: 'ada' },
      { id: 'key_Bob1', name: 'bob', secret: 'fw_bob1', user: 'bob' },
    ],
  },
  // 800 x 950 + 200 x 160 + 100 x 4000 = 1,192,000
  record('2026-07-01T01:00:00Z', { model: KIMI, promptTokens: 1000, cachedPromptTokens: 200, completionTokens: 100 }),
  // 2000 x 70 + 1000 x 300 = 440,000
  record('2026-07-01T01:30:00Z', { model: GPT, apiKeyId: 'key_Ada2', promptTokens: 2000, completionTokens: 1000 }),
  // audio: 10 s x 25,000 = 250,000, not counted (not token usage)
  record('2026-07-01T02:00:00Z', {
    model: modelName('whisper-v3'),
    usageType: 'AUDIO_INFERENCE_USAGE',
    audioInputSeconds: 10,
  }),
  // 100 x 950 + 10 x 4000 = 135,000
  record('2026-07-01T23:00:00Z', { model: KIMI, apiKeyId: 'key_Bob1', promptTokens: 100, completionTokens: 10 }),
  // 1000 x 70 = 70,000
  record('2026-07-02T05:00:00Z', { model: GPT, apiKeyId: 'key_Bob1', promptTokens: 1000 }),
  // an unpriced model at the cost its record carries: 5,000
  record('2026-07-02T06:00:00Z', { model: CUSTOM, promptTokens: 10, costNanoUsd: 5000 }),
  // no API key: 10 x 950 = 9,500, unattributed to a key or a user
  record('2026-07-02T07:00:00Z', { model: KIMI, apiKeyId: '', promptTokens: 10 }),
]
const world = buildWorld({
  seed: 1,
  spec: { start: '2026-01-01T00:00:00Z', accounts: [] },
  files: [{ path: 'costs.ndjson', text: ENTRIES.map(e => JSON.stringify(e)).join('\n') }],
})
const account = world.accounts.get('cost-co') as WorldAccount
const ADA = callerOf(account, 'key_Ada1')
const BOB = callerOf(account, 'key_Bob1')
const WINDOW = { startTime: '2026-07-01T00:00:00Z', endTime: '2026-07-03T00:00:00Z' }

const usd = (nanos: number) => ({ currencyCode: 'USD', units: String(Math.floor(nanos / 1e9)), nanos: nanos % 1e9 })
function costs(body: object, caller = ADA): CostsBody {
  return queryUsageCosts(account, parseCostsBody(body).query, caller, NOW)
}
const rowsOf = (b: CostsBody) => b.rows.map(r => [r.dimensions, r.subtotal.nanos + Number(r.subtotal.units) * 1e9])
function refusal(body: unknown): [number, string] | 'no error' {
  try {
    const { query } = parseCostsBody(body)
    queryUsageCosts(account, query, BOB, NOW)
  } catch (err) {
    if (err instanceof ApiError) return [err.code, err.message]
    throw err
  }
  return 'no error'
}

t.test('users and roles: the calling key decides who asks', async t => {
  t.same(ADA, { user: 'ada', admin: true })
  t.same(BOB, { user: 'bob', admin: false }, 'a user named without a role is a plain user')
})

t.test('ACCOUNT: every text record of the window, audio left out', async t => {
  const body = costs({ ...WINDOW, scope: 'ACCOUNT' })
  const total = 1_192_000 + 440_000 + 135_000 + 70_000 + 5000 + 9500
  t.same(rowsOf(body), [[{}, total]])
  t.same(body.subtotal, usd(total))
  t.equal(body.nextPageToken, '')
  t.equal(body.attributionCompleteness, 'COMPLETE')
  t.equal(body.evaluationTime, '2026-08-01T00:00:00Z')
})

t.test('SELF (and an unspecified scope) counts every key of the caller user', async t => {
  t.same(costs({ ...WINDOW, scope: 'SELF' }).subtotal, usd(1_192_000 + 440_000 + 5000), 'ada: both keys')
  t.same(costs({ ...WINDOW }, BOB).subtotal, usd(135_000 + 70_000), 'bob, scope omitted')
  t.same(costs({ ...WINDOW, scope: 'SCOPE_UNSPECIFIED' }, BOB).subtotal, usd(205_000))
  t.same(costs({ ...WINDOW, scope: 2 }, BOB).subtotal, usd(205_000), 'an enum by number [gw]')
})

t.test('ACCOUNT with a plain user key is 403 code 7', async t => {
  const r = refusal({ ...WINDOW, scope: 'ACCOUNT' })
  t.equal(r !== 'no error' && r[0], 7)
  t.match(r !== 'no error' && r[1], /accounts\/cost-co\/users\/bob is not one \(use scope SELF\)/)
})

t.test('DAY x MODEL: UTC days, then the model, an unpriced model flagged', async t => {
  const body = costs({ ...WINDOW, scope: 'ACCOUNT', groupBy: ['DAY', 'MODEL'] })
  t.same(rowsOf(body), [
    [{ startTime: '2026-07-01T00:00:00Z', model: GPT }, 440_000],
    [{ startTime: '2026-07-01T00:00:00Z', model: KIMI }, 1_192_000 + 135_000],
    [{ startTime: '2026-07-02T00:00:00Z', model: CUSTOM, unknownModel: true }, 5000],
    [{ startTime: '2026-07-02T00:00:00Z', model: GPT }, 70_000],
    [{ startTime: '2026-07-02T00:00:00Z', model: KIMI }, 9500],
  ])
})

t.test('HOUR rows are UTC hours with usage, and sum to the DAY rows', async t => {
  const hours = rowsOf(costs({ ...WINDOW, scope: 'ACCOUNT', groupBy: ['HOUR'] }))
  t.same(hours, [
    [{ startTime: '2026-07-01T01:00:00Z' }, 1_192_000 + 440_000],
    [{ startTime: '2026-07-01T23:00:00Z' }, 135_000],
    [{ startTime: '2026-07-02T05:00:00Z' }, 70_000],
    [{ startTime: '2026-07-02T06:00:00Z' }, 5000],
    [{ startTime: '2026-07-02T07:00:00Z' }, 9500],
  ])
  t.same(rowsOf(costs({ ...WINDOW, scope: 'ACCOUNT', groupBy: ['DAY'] })), [
    [{ startTime: '2026-07-01T00:00:00Z' }, 1_767_000],
    [{ startTime: '2026-07-02T00:00:00Z' }, 84_500],
  ])
})

t.test('USER and API_KEY: usage without a key is unattributed', async t => {
  t.same(rowsOf(costs({ ...WINDOW, scope: 'ACCOUNT', groupBy: ['USER'] })), [
    [{ unattributedDimensions: ['USER'] }, 9500],
    [{ user: 'accounts/cost-co/users/ada' }, 1_637_000],
    [{ user: 'accounts/cost-co/users/bob' }, 205_000],
  ])
  t.same(rowsOf(costs({ ...WINDOW, scope: 'ACCOUNT', groupBy: ['API_KEY', 'MODEL'] })), [
    [{ model: KIMI, unattributedDimensions: ['API_KEY'] }, 9500],
    [{ apiKeyId: 'key_Ada1', model: CUSTOM, unknownModel: true }, 5000],
    [{ apiKeyId: 'key_Ada1', model: KIMI }, 1_192_000],
    [{ apiKeyId: 'key_Ada2', model: GPT }, 440_000],
    [{ apiKeyId: 'key_Bob1', model: GPT }, 70_000],
    [{ apiKeyId: 'key_Bob1', model: KIMI }, 135_000],
  ])
})

t.test('filters: model, key, user (resource name or id), session', async t => {
  const sub = (filter: object, caller = ADA) => costs({ ...WINDOW, scope: 'ACCOUNT', filter }, caller).subtotal
  t.same(sub({ model: KIMI }), usd(1_192_000 + 135_000 + 9500))
  t.same(sub({ model: 'kimi-k2p6' }), usd(1_336_500), 'a bare model id')
  t.same(sub({ apiKeyId: 'key_Bob1' }), usd(205_000))
  t.same(sub({ api_key_id: 'key_Bob1' }), usd(205_000), 'snake_case inside the filter')
  t.same(sub({ user: 'accounts/cost-co/users/ada' }), usd(1_637_000))
  t.same(sub({ user: 'bob', model: GPT }), usd(70_000), 'filters AND')
  t.same(sub({ sessionId: 'sess-1' }), usd(0), 'records carry no session: nothing matches')
  t.same(costs({ ...WINDOW, scope: 'ACCOUNT', filter: { sessionId: 'x' } }).rows, [])
  t.same(costs({ ...WINDOW, filter: { apiKeyId: 'key_Ada1' } }, BOB).subtotal, usd(0), 'SELF narrows every filter')
})

t.test('a window cut inside a day: the row starts at the window start', async t => {
  const body = costs({
    startTime: '2026-07-01T01:15:00Z',
    endTime: '2026-07-02T00:00:00Z',
    scope: 'ACCOUNT',
    groupBy: ['DAY'],
  })
  t.same(rowsOf(body), [[{ startTime: '2026-07-01T01:15:00Z' }, 440_000 + 135_000]])
})

t.test('pages of 1, 2 and 1000 rows give the same rows, and the same subtotal on every page', async t => {
  const base = { ...WINDOW, scope: 'ACCOUNT', groupBy: ['DAY', 'MODEL'] }
  const all = costs({ ...base, pageSize: 1000 })
  for (const pageSize of [1, 2, 1000]) {
    const rows: unknown[] = []
    let token = ''
    let pages = 0
    do {
      const page = costs({ ...base, pageSize, pageToken: token })
      t.same(page.subtotal, all.subtotal, `page ${pages + 1} of size ${pageSize}: the account-wide subtotal`)
      rows.push(...page.rows)
      token = page.nextPageToken
      pages++
    } while (token !== '')
    t.same(rows, all.rows, `pageSize ${pageSize}`)
    t.equal(pages, Math.ceil(5 / pageSize))
  }
  t.equal(costs({ ...base, pageSize: 0 }).rows.length, 5, '0 is the default size')
  t.equal(costs({ ...base, pageSize: '2' }).rows.length, 2, 'an int32 as a string [gw]')
})

t.test('body spellings: camelCase or snake_case, unknown fields ignored', async t => {
  const snake = parseCostsBody({
    start_time: WINDOW.startTime,
    end_time: WINDOW.endTime,
    group_by: ['DAY'],
    page_size: 2,
    colour: 'blue',
  })
  t.same(snake.ignored, ['colour'])
  t.same(snake.query.groupBy, ['DAY'])
  t.equal(snake.query.pageSize, 2)
  t.same(
    parseCostsBody({ ...WINDOW, groupBy: [5, 2] }).query.groupBy,
    ['DAY', 'MODEL'],
    'enum numbers, in the real order',
  )
})

t.test('validation, in order, each 400 code 3 naming the field', async t => {
  const cases: [unknown, RegExp][] = [
    [[], /must be a JSON object/],
    [{ endTime: WINDOW.endTime }, /^startTime is required$/],
    [{ start_time: 'yesterday', endTime: WINDOW.endTime }, /^invalid start_time "yesterday": must be an RFC 3339/],
    [{ startTime: WINDOW.startTime }, /^endTime is required$/],
    [{ startTime: WINDOW.startTime, endTime: 20260702 }, /^invalid endTime/],
    [{ startTime: WINDOW.startTime, startTime_: 1, endTime: WINDOW.startTime }, /startTime must be before endTime/],
    [{ startTime: '2026-07-01T00:00:00Z', endTime: '2026-08-01T00:00:01Z' }, /longer than 31 days/],
    [{ ...WINDOW, groupBy: ['WEEK'] }, /invalid groupBy value "WEEK"/],
    [{ ...WINDOW, groupBy: ['DIMENSION_UNSPECIFIED'] }, /name a dimension/],
    [{ ...WINDOW, groupBy: ['MODEL', 'MODEL'] }, /MODEL is given twice/],
    [{ ...WINDOW, groupBy: ['MODEL', 'USER', 'API_KEY'] }, /at most 2 dimensions, got 3/],
    [{ ...WINDOW, groupBy: ['HOUR', 'DAY'] }, /HOUR and DAY are mutually exclusive/],
    [{ ...WINDOW, groupBy: 'DAY' }, /invalid groupBy: must be an array/],
    [{ ...WINDOW, scope: 'ORG' }, /invalid scope "ORG"/],
    [{ ...WINDOW, filter: { model: 3 } }, /invalid filter.model: must be a string/],
    [{ ...WINDOW, pageSize: -1 }, /invalid pageSize -1: must not be negative/],
    [{ ...WINDOW, pageSize: 1.5 }, /invalid pageSize 1.5: must be an integer/],
    [{ ...WINDOW, pageToken: 'bm90LWEtdG9rZW4' }, /invalid pageToken: it was not issued/],
    [{ ...WINDOW, startTime: WINDOW.startTime, start_time: WINDOW.startTime }, /duplicate field startTime/],
  ]
  for (const [body, message] of cases) {
    const r = refusal(body)
    t.equal(r !== 'no error' && r[0], 3, JSON.stringify(body))
    t.match(r !== 'no error' && r[1], message, JSON.stringify(body))
  }
  t.equal(refusal({ startTime: '2026-07-01T00:00:00Z', endTime: '2026-08-01T00:00:00Z' }), 'no error', '31 days')
  t.equal(
    refusal({ startTime: '2026-07-01T00:00:00.123456789Z', endTime: '2026-07-02T00:00:00Z' }),
    'no error',
    'nanoseconds',
  )
  t.equal(refusal({ startTime: '2030-01-01T00:00:00Z', endTime: '2030-01-02T00:00:00Z' }), 'no error', 'the future')
})

t.test('a page token is bound to the body it came with', async t => {
  const base = { ...WINDOW, scope: 'ACCOUNT', groupBy: ['DAY', 'MODEL'], pageSize: 2 }
  const token = costs(base).nextPageToken
  t.not(token, '')
  t.equal(costs({ ...base, pageToken: token }).rows.length, 2)
  const snake = { start_time: WINDOW.startTime, end_time: WINDOW.endTime, scope: 1, group_by: ['DAY', 'MODEL'] }
  t.equal(costs({ ...snake, page_size: 2, page_token: token }).rows.length, 2, 'the same meaning in other spellings')
  const other = refusal({ ...base, groupBy: ['DAY'], pageToken: token })
  t.match(other !== 'no error' && other[1], /not issued for a request with these parameters/)
})
