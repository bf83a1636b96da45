// Usage that arrives late, over HTTP: every operation at the same instant sees the same partial
// records. First on a few fixture records with settledAt, every number computed here by hand;
// then on the synthetic world with USAGE_LAG=2h/26h, against a server without lag and against
// the records /_mock/records exports, along a moving clock; then the session's lag, the answer
// cache and the engine's sums. Every response is checked against the published document.
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { parseUsageLag } from '../../server/data/lag.js'
import { loadWorld } from '../../server/data/world.js'
import { AUTH, dedicatedRecord, fixtureApp, jsonRequest, serverlessRecord, testConfig } from '../helpers.js'

const HOUR = 3_600_000
const at = (text: string) => Date.parse(text)
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
const nanosOf = (m: { units: string; nanos: number }) => Number(m.units) * 1e9 + m.nanos

// ---------------------------------------------------------------------------------------------
// Fixture records. gpt-oss-20b: 70 / 35 / 300 nano-USD per uncached / cached / output token.
// r1 arrives over 4 hours (settledAt), r2 has no settledAt (whole once it exists), r3 over 2 hours.
const RECORDS = [
  serverlessRecord('2026-05-01T10:00:00Z', {
    promptTokens: 2048,
    cachedPromptTokens: 1024,
    completionTokens: 100,
    settledAt: '2026-05-01T14:00:00Z',
  }),
  serverlessRecord('2026-05-01T11:00:00Z', { promptTokens: 1000 }),
  dedicatedRecord('2026-05-01T10:00:00Z', { acceleratorSeconds: 3600, settledAt: '2026-05-01T12:00:00Z' }),
]
const DAY = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
const COSTS = { startTime: '2026-05-01T00:00:00Z', endTime: '2026-05-02T00:00:00Z', scope: 'ACCOUNT' }

async function fixtureViews(app: ReturnType<typeof fixtureApp>, now: string) {
  const headers = { ...AUTH, 'x-mock-now': now }
  const usage = await app.inject({ url: `/v1/accounts/test-co/billingUsage?${DAY}`, headers })
  const costs = await app.inject(jsonRequest('POST', '/v1/accounts/test-co/usageCosts:query', COSTS, headers))
  const summary = await app.inject({
    url: '/v1/accounts/test-co/billing/summary?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z',
    headers,
  })
  const options = await app.inject({ url: `/v1/accounts/test-co/accountUsageFilterOptions?${DAY}`, headers })
  const records = await app.inject({ url: `/_mock/records?account=test-co&${DAY}`, headers: { 'x-mock-now': now } })
  for (const res of [usage, costs, summary, options, records]) t.equal(res.statusCode, 200, res.body)
  const u = usage.json()
  return {
    serverless: u.serverlessCosts.map((r: Record<string, unknown>) => [
      r.promptTokens,
      r.cachedPromptTokens,
      r.completionTokens,
      r.costNanoUsd,
    ]),
    dedicated: u.dedicatedCosts.map((r: Record<string, unknown>) => r.acceleratorSeconds),
    costs: [nanosOf(costs.json().subtotal), costs.json().attributionCompleteness, costs.json().evaluationTime],
    summary: summary
      .json()
      .lineItems.map((l: { category: string; quantity: number; totalCost: never }) => [
        l.category,
        l.quantity,
        nanosOf(l.totalCost),
      ]),
    models: options.json().serverless.model_name,
    records: records.body
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line)),
    settledUntil: [usage, costs, summary, options, records].map(r => r.headers['x-mock-settled-until']),
  }
}

t.test('fixture records with settledAt: every operation shows the same part, by hand', async t => {
  const app = fixtureApp(RECORDS)
  const early = await fixtureViews(app, '2026-05-01T10:00:00.001Z')
  t.same(early.serverless, [], 'a millisecond in: 0 of 1024 units of r1, and r2 is later')
  t.same(early.dedicated, [])
  t.same(early.costs, [0, 'INCOMPLETE', '2026-05-01T10:00:00.001Z'])
  t.same(early.models, [])
  t.same(early.records, [])
  t.same(early.settledUntil, Array(5).fill('2026-05-01T10:00:00Z'), 'the first record still settling')

  // 11:30: r1 is 1.5 h of 4 h in, floor(1024 x 1.5 / 4) = 384 units: 384 cached + 384 uncached,
  // floor(100 x 384 / 1024) = 37 completion; r2 whole; r3 1.5 h of 2 h, 768 units: 2700 s.
  const mid = await fixtureViews(app, '2026-05-01T11:30:00Z')
  const r1 = 384 * 70 + 384 * 35 + 37 * 300 // 51,420
  const r2 = 1000 * 70
  t.same(mid.serverless, [['1768', '384', '37', r1 + r2]])
  t.same(mid.dedicated, ['2700'])
  t.same(mid.costs, [r1 + r2, 'INCOMPLETE', '2026-05-01T11:30:00Z'])
  t.same(
    mid.summary.filter((l: unknown[]) => String(l[0]).startsWith('LLM')),
    [
      ['LLM input tokens (cached)', 384, 384 * 35],
      ['LLM input tokens (uncached)', 384 + 1000, 384 * 70 + 1000 * 70],
      ['LLM output tokens', 37, 37 * 300],
    ],
    'the line items are the same part, at list prices',
  )
  t.same(
    mid.summary.filter((l: unknown[]) => l[0] === 'Dedicated Deployment').map((l: unknown[]) => l[1]),
    [0.75],
    '2700 s is 0.75 GPU-hours',
  )
  t.same(mid.models, ['accounts/fireworks/models/gpt-oss-20b'])
  t.same(
    mid.records.map((r: Record<string, unknown>) => [
      r.kind,
      r.time,
      r.promptTokens ?? r.acceleratorSeconds,
      r.settledAt,
    ]),
    [
      ['serverless', '2026-05-01T10:00:00Z', 768, undefined],
      ['dedicated', '2026-05-01T10:00:00Z', 2700, undefined],
      ['serverless', '2026-05-01T11:00:00Z', 1000, undefined],
    ],
    'the export is what is visible, without settledAt',
  )
  t.equal(mid.records[0].costNanoUsd, r1)

  const settled = await fixtureViews(app, '2026-05-01T14:00:00Z')
  t.same(settled.serverless, [['3048', '1024', '100', 1024 * 70 + 1024 * 35 + 100 * 300 + r2]])
  t.same(settled.dedicated, ['3600'])
  t.same(settled.costs.slice(1), ['COMPLETE', '2026-05-01T14:00:00Z'])
  t.same(settled.settledUntil, Array(5).fill(undefined), 'nothing lags: no header')
})

// ---------------------------------------------------------------------------------------------
// The synthetic world with a lag of 2h/26h, beside the same world without one.
const world = loadWorld({ seed: 20260101, fixtures: null, worldScale: 1 })
const LAG = parseUsageLag('2h/26h')
const lagged = buildApp(testConfig({ usageLag: LAG, cacheMb: 0 }), { world })
const plain = buildApp(testConfig({ cacheMb: 0 }), { world })
const GLOBEX = { authorization: 'Bearer fw_mockGlobexProd01' }
const YESTERDAY = 'startTime=2026-11-24T00:00:00Z&endTime=2026-11-25T00:00:00Z'
const COSTS_DAY = { startTime: '2026-11-24T00:00:00Z', endTime: '2026-11-25T00:00:00Z', scope: 'ACCOUNT' }

async function get(app: typeof plain, url: string, now: number, headers: Record<string, string> = GLOBEX) {
  const res = await app.inject({ url, headers: { ...headers, 'x-mock-now': iso(now) } })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res
}
async function costsAt(app: typeof plain, body: object, now: number) {
  const res = await app.inject(
    jsonRequest('POST', '/v1/accounts/globex/usageCosts:query', body, { ...GLOBEX, 'x-mock-now': iso(now) }),
  )
  if (res.statusCode !== 200) throw new Error(`usageCosts: ${res.statusCode} ${res.body}`)
  return res
}
const usageUrl = (window: string, extra = '') => `/v1/accounts/globex/billingUsage?${window}${extra}`

t.test('nothing of an hour shows before its end + delay; then some; then all, from its end + settle', async t => {
  const hour = 'startTime=2026-11-24T10:00:00Z&endTime=2026-11-24T11:00:00Z'
  const rows = async (app: typeof plain, now: string) => {
    const body = (await get(app, usageUrl(hour), at(now))).json()
    return [...body.serverlessCosts, ...body.dedicatedCosts, ...body.trainingCosts]
  }
  t.ok((await rows(plain, '2026-11-24T11:00:00Z')).length > 0, 'without lag the hour is there once it ends')
  t.same(await rows(lagged, '2026-11-24T11:00:00Z'), [])
  t.same(await rows(lagged, '2026-11-24T12:59:59.999Z'), [], 'a millisecond before the delay')
  const options = await get(lagged, `/v1/accounts/globex/accountUsageFilterOptions?${hour}`, at('2026-11-24T12:59:00Z'))
  t.same(options.json().serverless.model_name, [], 'no filter values either')
  const costs = await costsAt(
    lagged,
    { ...COSTS_DAY, startTime: '2026-11-24T10:00:00Z', endTime: '2026-11-24T11:00:00Z' },
    at('2026-11-24T12:59:00Z'),
  )
  t.same(
    [costs.json().subtotal.units, costs.json().subtotal.nanos, costs.json().attributionCompleteness],
    ['0', 0, 'INCOMPLETE'],
  )
  t.ok((await rows(lagged, '2026-11-24T13:30:00Z')).length > 0, 'some of it half an hour after the delay')
  for (const now of ['2026-11-25T13:00:00Z', '2026-11-26T00:00:00Z']) {
    const a = await get(lagged, usageUrl(hour), at(now))
    const b = await get(plain, usageUrl(hour), at(now))
    t.equal(a.body, b.body, `at ${now}, the same bytes as without lag`)
  }
})

t.test('a moving clock: never less, the three money views equal, the export agrees, completeness as due', async t => {
  let last: Map<string, number[]> = new Map()
  const start = at('2026-11-24T09:00:00Z')
  const end = at('2026-11-26T03:00:00Z')
  const step = 47 * 60_000 + 13_000 // never on a batch boundary twice alike
  let steps = 0
  for (let now = start; now <= end; now += step) {
    steps++
    const usage = await get(lagged, usageUrl(YESTERDAY), now)
    const body = usage.json()
    // Per row (group and stream), every quantity is at least what it was
    const current = new Map<string, number[]>()
    for (const r of body.serverlessCosts)
      current.set(`s ${r.group.model_name} ${r.usageType}`, [
        Number(r.promptTokens),
        Number(r.cachedPromptTokens),
        Number(r.completionTokens),
        r.audioInputSeconds,
        r.costNanoUsd,
      ])
    for (const r of body.dedicatedCosts) current.set(`d ${JSON.stringify(r.group)}`, [Number(r.acceleratorSeconds)])
    for (const r of body.trainingCosts)
      current.set(`t ${JSON.stringify(r.group)}`, [Number(r.tokens), Number(r.acceleratorSeconds)])
    for (const [key, before] of last) {
      const now_ = current.get(key)
      if (!now_ || now_.some((v, i) => v < (before[i] as number)))
        t.fail(`${key} went from ${JSON.stringify(before)} to ${JSON.stringify(now_)} at ${iso(now)}`)
    }
    last = current

    // The three money views, to the nano
    const text = body.serverlessCosts
      .filter((r: { usageType: string }) => r.usageType === 'TEXT_COMPLETION_INFERENCE_USAGE')
      .reduce((s: number, r: { costNanoUsd: number }) => s + r.costNanoUsd, 0)
    const costs = (await costsAt(lagged, COSTS_DAY, now)).json()
    const summary = (
      await get(
        lagged,
        '/v1/accounts/globex/billing/summary?startTime=2026-11-24T00:00:00Z&endTime=2026-11-25T00:00:00Z',
        now,
      )
    ).json()
    const summaryText = summary.lineItems
      .filter((l: { category: string }) => l.category.startsWith('LLM '))
      .reduce((s: number, l: { totalCost: never }) => s + nanosOf(l.totalCost), 0)
    if (nanosOf(costs.subtotal) !== text || summaryText !== text)
      t.fail(`at ${iso(now)}: billingUsage ${text}, usageCosts ${nanosOf(costs.subtotal)}, summary ${summaryText}`)

    // Completeness: the day's last hour (23:00-24:00) settles at 2026-11-25T00:00 + 26 h
    const due = now >= at('2026-11-26T02:00:00Z') ? 'COMPLETE' : 'INCOMPLETE'
    if (costs.attributionCompleteness !== due || costs.evaluationTime !== iso(now))
      t.fail(`at ${iso(now)}: ${costs.attributionCompleteness} at ${costs.evaluationTime}, expected ${due}`)
    // The header: the start of the first hour not settled, floor((now - 26 h) / 1 h)
    const until = iso(Math.floor((now - 26 * HOUR) / HOUR) * HOUR)
    if (usage.headers['x-mock-settled-until'] !== until)
      t.fail(`at ${iso(now)}: ${String(usage.headers['x-mock-settled-until'])}`)

    // The exported records add up to the same rows, recomputed here
    const exported = (await get(lagged, `/_mock/records?account=globex&${YESTERDAY}&stream=serverless`, now, {})).body
    const byModel = new Map<string, number>()
    for (const line of exported.split('\n').filter(Boolean)) {
      const r = JSON.parse(line)
      byModel.set(`${r.model} ${r.usageType}`, (byModel.get(`${r.model} ${r.usageType}`) ?? 0) + r.costNanoUsd)
    }
    const rowsByModel = new Map<string, number>()
    for (const r of body.serverlessCosts)
      rowsByModel.set(
        `${r.group.model_name} ${r.usageType}`,
        (rowsByModel.get(`${r.group.model_name} ${r.usageType}`) ?? 0) + r.costNanoUsd,
      )
    t.same(Object.fromEntries(byModel), Object.fromEntries(rowsByModel), `export at ${iso(now)}`)
  }
  t.ok(steps > 40, `${steps} steps`)
  const final = await get(lagged, usageUrl(YESTERDAY), end)
  t.equal(final.body, (await get(plain, usageUrl(YESTERDAY), end)).body, 'settled: the same bytes as without lag')
})

t.test('the engine with its hourly sums and generating every record give the same bytes', async t => {
  const generating = buildApp(testConfig({ usageLag: LAG, cacheMb: 0, sumsMb: 0 }), { world })
  for (const now of ['2026-11-24T15:20:00Z', '2026-11-25T01:07:30Z', '2026-11-25T12:59:59Z']) {
    for (const extra of ['', '&groupBy=api_key_name&timezone=America/Los_Angeles', '&usageType=TRAINING']) {
      const a = await get(
        lagged,
        usageUrl('startTime=2026-11-20T00:00:00Z&endTime=2026-11-26T00:00:00Z', extra),
        at(now),
      )
      const b = await get(
        generating,
        usageUrl('startTime=2026-11-20T00:00:00Z&endTime=2026-11-26T00:00:00Z', extra),
        at(now),
      )
      t.equal(a.body, b.body, `${now} ${extra}`)
    }
  }
})

t.test("a session's lag: set, read, reset, apart from the default session's", async t => {
  const app = buildApp(testConfig({ cacheMb: 8 }), { world })
  const session = { 'x-mock-session': 'late' }
  t.same((await app.inject({ url: '/_mock/usage-lag' })).json(), { usageLag: '0', source: 'config' })
  const put = await app.inject(jsonRequest('PUT', '/_mock/usage-lag', { usageLag: '2h/26h' }, session))
  t.same(put.json(), { usageLag: '2h/26h', source: 'runtime' })
  t.same((await app.inject({ url: '/_mock/usage-lag', headers: session })).json(), put.json())
  t.same((await app.inject({ url: '/_mock/usage-lag' })).json().usageLag, '0', 'the default session keeps its own')
  const now = at('2026-11-25T00:00:00Z')
  const mine = await get(app, usageUrl(YESTERDAY), now, { ...GLOBEX, ...session })
  const theirs = await get(app, usageUrl(YESTERDAY), now)
  t.equal(theirs.body, (await get(plain, usageUrl(YESTERDAY), now)).body, 'the default session: no lag')
  t.equal(mine.body, (await get(lagged, usageUrl(YESTERDAY), now)).body, 'the session: as USAGE_LAG=2h/26h')
  t.not(mine.body, theirs.body, "not each other's cached answer")
  t.equal(theirs.headers['x-mock-settled-until'], undefined)
  t.equal(mine.headers['x-mock-settled-until'], '2026-11-23T22:00:00Z')
  await app.inject({ method: 'POST', url: '/_mock/reset', headers: session })
  t.same((await app.inject({ url: '/_mock/usage-lag', headers: session })).json(), { usageLag: '0', source: 'config' })
  await app.inject(jsonRequest('PUT', '/_mock/usage-lag', { usageLag: '1h/3h' }, session))
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/usage-lag', headers: session })).json(), {
    usageLag: '0',
    source: 'config',
  })
  for (const body of [{ usageLag: '26h/2h' }, { usageLag: 2 }, {}, 'nope']) {
    const bad = await app.inject(jsonRequest('PUT', '/_mock/usage-lag', body, session))
    t.same([bad.statusCode, bad.json().code], [400, 3], JSON.stringify(body))
  }
  const bad = await app.inject(jsonRequest('PUT', '/_mock/usage-lag', { usageLag: '26h/2h' }))
  t.match(bad.json().message, /^invalid usageLag "26h\/2h": must be 0 or <delay>\/<settle> like 2h\/26h/)
  const started = buildApp(testConfig({ usageLag: LAG }), { world })
  t.same((await started.inject({ url: '/_mock/usage-lag' })).json(), { usageLag: '2h/26h', source: 'config' })
  await started.inject(jsonRequest('PUT', '/_mock/usage-lag', { usageLag: '0' }))
  t.same((await started.inject({ url: '/_mock/usage-lag' })).json(), { usageLag: '0', source: 'runtime' })
  await started.inject({ method: 'POST', url: '/_mock/reset' })
  t.same((await started.inject({ url: '/_mock/usage-lag' })).json().usageLag, '2h/26h', 'reset: the start-up lag')
})

t.test('the answer cache: an answer of unsettled hours only for its own instant; settled ones for any', async t => {
  const app = buildApp(testConfig({ usageLag: LAG }), { world })
  const explain = { ...GLOBEX, 'x-mock-explain': 'true' }
  const ask = async (window: string, now: string) => {
    const res = await get(app, usageUrl(window), at(now), explain)
    return { body: res.body, cache: JSON.parse(res.headers['x-mock-explain'] as string).cache }
  }
  const a = await ask(YESTERDAY, '2026-11-25T00:00:00Z')
  t.equal(a.cache, 'miss')
  t.same(await ask(YESTERDAY, '2026-11-25T00:00:00Z'), { ...a, cache: 'hit' }, 'the same instant: the cached answer')
  const b = await ask(YESTERDAY, '2026-11-25T00:00:00.001Z')
  t.equal(b.cache, 'miss', 'another instant, even of the same batch: computed')
  t.equal(b.body, a.body, 'and the same (the same batch of arrivals)')
  const c = await ask(YESTERDAY, '2026-11-25T03:00:00Z')
  t.equal(c.cache, 'miss')
  t.not(c.body, a.body, 'three hours later, more has arrived')
  const old = 'startTime=2026-11-01T00:00:00Z&endTime=2026-11-02T00:00:00Z'
  const first = await ask(old, '2026-11-25T00:00:00Z')
  t.same(await ask(old, '2026-11-25T05:00:00Z'), { ...first, cache: 'hit' }, 'a settled window: any instant')
  t.equal(first.body, (await get(plain, usageUrl(old), at('2026-11-25T00:00:00Z'))).body, 'as without lag')
})
