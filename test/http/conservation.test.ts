// Conservation laws over the synthetic world, with expectations computed from the raw records
// that /_mock/records exports (an independent path: no grouping code involved).
import t from 'tap'
import { testConfig } from '../helpers.js'
import { buildApp } from '../../server/app.js'
import { loadWorld } from '../../server/data/world.js'

const app = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z') }), {
  world: loadWorld({ seed: 99, fixtures: null, worldScale: 1 }),
})
const AUTH = { authorization: 'Bearer fw_mockGlobexProd01' }

type Totals = Record<string, number>

async function rawTotals(from: string, to: string): Promise<Totals> {
  const res = await app.inject({ url: `/_mock/records?account=globex&startTime=${from}&endTime=${to}` })
  t.equal(res.statusCode, 200)
  const totals: Totals = {
    prompt: 0,
    cached: 0,
    completion: 0,
    audioMicros: 0,
    cost: 0,
    dedicatedSeconds: 0,
    tokens: 0,
    trainingSeconds: 0,
  }
  for (const line of res.body.split('\n').filter(Boolean)) {
    const r = JSON.parse(line)
    if (r.kind === 'serverless') {
      totals.prompt! += r.promptTokens
      totals.cached! += r.cachedPromptTokens
      totals.completion! += r.completionTokens
      totals.audioMicros! += Math.round(r.audioInputSeconds * 1e6)
      totals.cost! += r.costNanoUsd
    } else if (r.kind === 'dedicated') totals.dedicatedSeconds! += r.acceleratorSeconds
    else {
      totals.tokens! += r.tokens
      totals.trainingSeconds! += r.acceleratorSeconds
    }
  }
  return totals
}

async function usageTotals(from: string, to: string, extra = ''): Promise<Totals> {
  const res = await app.inject({
    url: `/v1/accounts/globex/billingUsage?startTime=${from}&endTime=${to}${extra}`,
    headers: AUTH,
  })
  t.equal(res.statusCode, 200, extra)
  const body = res.json()
  const sum = (rows: Record<string, unknown>[], f: string, scale = 1) =>
    rows.reduce((s, r) => s + Math.round(Number(r[f]) * scale), 0)
  return {
    prompt: sum(body.serverlessCosts, 'promptTokens'),
    cached: sum(body.serverlessCosts, 'cachedPromptTokens'),
    completion: sum(body.serverlessCosts, 'completionTokens'),
    audioMicros: sum(body.serverlessCosts, 'audioInputSeconds', 1e6),
    cost: sum(body.serverlessCosts, 'costNanoUsd'),
    dedicatedSeconds: sum(body.dedicatedCosts, 'acceleratorSeconds'),
    tokens: sum(body.trainingCosts, 'tokens'),
    trainingSeconds: sum(body.trainingCosts, 'acceleratorSeconds'),
  }
}

const FROM = '2026-10-03T05:17:00Z'
const TO = '2026-11-03T05:17:00Z'

t.test('every grouping, filter-free, sums to the raw records of the window', async t => {
  const raw = await rawTotals(FROM, TO)
  t.ok(raw.prompt! > 0 && raw.dedicatedSeconds! > 0 && raw.tokens! + raw.trainingSeconds! > 0, 'all streams have usage')
  for (const extra of [
    '',
    '&groupBy=api_key_id',
    '&groupBy=annotations.team&groupBy=model_name',
    '&groupBy=annotations.project&groupBy=annotations.environment&groupBy=job_id',
    '&groupBy=accelerator_type&timezone=America/Los_Angeles',
    '&groupBy=deployment_name&timezone=Asia/Kathmandu',
    '&timezone=Pacific/Kiritimati&groupBy=base_model',
  ])
    t.same(await usageTotals(FROM, TO, extra), raw, extra || 'default grouping')
})

t.test('a window split at any instant sums to the whole', async t => {
  const whole = await usageTotals(FROM, TO, '&groupBy=model_name')
  for (const cut of [
    '2026-10-03T05:17:00.001Z',
    '2026-10-11T13:37:00Z',
    '2026-10-25T00:00:00Z',
    '2026-11-03T05:16:59.999Z',
  ]) {
    const a = await usageTotals(FROM, cut, '&groupBy=model_name&timezone=America/Los_Angeles')
    const b = await usageTotals(cut, TO, '&groupBy=model_name&timezone=America/Los_Angeles')
    const joined = Object.fromEntries(Object.keys(whole).map(k => [k, a[k]! + b[k]!]))
    t.same(joined, whole, `cut at ${cut}`)
  }
})

t.test('per-model rows equal the raw records of each model', async t => {
  const raw = await app.inject({
    url: `/_mock/records?account=globex&stream=serverless&startTime=${FROM}&endTime=${TO}`,
  })
  const expected = new Map<string, number>()
  const lines = raw.body
    .split('\n')
    .filter(Boolean)
    .map(l => JSON.parse(l))
  t.ok(
    lines.every(r => r.kind === 'serverless'),
    'stream=serverless exports serverless records only',
  )
  for (const r of lines) {
    expected.set(`${r.model}|${r.usageType}`, (expected.get(`${r.model}|${r.usageType}`) ?? 0) + r.completionTokens)
  }
  const res = await app.inject({
    url: `/v1/accounts/globex/billingUsage?startTime=${FROM}&endTime=${TO}&usageType=SERVERLESS`,
    headers: AUTH,
  })
  const got = new Map<string, number>()
  for (const row of res.json().serverlessCosts)
    got.set(
      `${row.modelName}|${row.usageType}`,
      (got.get(`${row.modelName}|${row.usageType}`) ?? 0) + Number(row.completionTokens),
    )
  t.same(got, expected)
})
