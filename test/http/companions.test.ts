// billingUsage, billing/summary and accountUsageFilterOptions agree with each other on the
// synthetic world, and filter options over hand-written records.
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { loadWorld } from '../../server/data/world.js'
import {
  AUTH,
  dedicatedRecord,
  fixtureApp,
  modelName,
  serverlessRecord,
  testConfig,
  trainingRecord,
} from '../helpers.js'

const app = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z') }), {
  world: loadWorld({ seed: 5, fixtures: null, worldScale: 1 }),
})
const ACME = { authorization: 'Bearer fw_mockAcmeProdEng01' }
const get = async (url: string, headers = ACME) => {
  const res = await app.inject({ url, headers })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}
const nanos = (m: { units: string; nanos: number }) => BigInt(m.units) * 1_000_000_000n + BigInt(m.nanos)
const total = (items: { series: string; totalCost: { units: string; nanos: number } }[], series: string) =>
  items.filter(i => i.series === series).reduce((s, i) => s + nanos(i.totalCost), 0n)
const PRICE_PER_HOUR: Record<string, bigint> = {
  NVIDIA_A100_80GB: 2_900_000_000n,
  NVIDIA_H100_80GB: 7_000_000_000n,
  NVIDIA_H200_141GB: 7_000_000_000n,
  NVIDIA_B200_180GB: 10_000_000_000n,
  AMD_MI300X_192GB: 4_990_000_000n,
  NVIDIA_L4_24GB: 800_000_000n,
}

t.test('for a whole-day UTC window the summary agrees with billingUsage to the nano', async t => {
  const window = 'startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z'
  const summary = await get(`/v1/accounts/acme-ai/billing/summary?${window}&granularity=DAILY`)
  const usage = await get(`/v1/accounts/acme-ai/billingUsage?${window}&groupBy=accelerator_type`)
  const costSum = usage.serverlessCosts.reduce((s: bigint, r: { costNanoUsd: number }) => s + BigInt(r.costNanoUsd), 0n)
  t.ok(costSum > 0n)
  t.equal(total(summary.lineItems, 'SERVERLESS'), costSum, 'serverless: sum of costNanoUsd')
  // dedicated: accelerator seconds x the hourly price (synthetic usage is whole hours, so no rounding)
  const dedicated = usage.dedicatedCosts.reduce(
    (s: bigint, r: { acceleratorType: string; acceleratorSeconds: string }) =>
      s + (BigInt(r.acceleratorSeconds) * PRICE_PER_HOUR[r.acceleratorType]!) / 3600n,
    0n,
  )
  t.ok(dedicated > 0n)
  t.equal(total(summary.lineItems, 'DEDICATED_DEPLOYMENT'), dedicated, 'dedicated: seconds x price')
  t.equal(summary.usageBuckets.length, 31)
  const buckets = summary.usageBuckets.flatMap((b: { lineItems: [] }) => b.lineItems)
  for (const series of ['SERVERLESS', 'DEDICATED_DEPLOYMENT', 'TRAINING'])
    t.equal(total(buckets, series), total(summary.lineItems, series), `${series}: buckets add up`)
  t.ok(total(summary.lineItems, 'TRAINING') > 0n)
})

t.test('every listed filter value matches at least one row; an unlisted one matches none', async t => {
  const window = 'startTime=2026-10-01T00:00:00Z&endTime=2026-10-08T00:00:00Z'
  const options = await get(`/v1/accounts/acme-ai/accountUsageFilterOptions?${window}`)
  const usageTypes: Record<string, string> = {
    serverless: 'SERVERLESS',
    dedicated: 'DEDICATED_DEPLOYMENT',
    training: 'TRAINING',
  }
  const costs: Record<string, string> = {
    serverless: 'serverlessCosts',
    dedicated: 'dedicatedCosts',
    training: 'trainingCosts',
  }
  let checked = 0
  for (const [stream, dims] of Object.entries(options as Record<string, Record<string, string[]>>)) {
    for (const [dim, values] of Object.entries(dims)) {
      t.ok(values.length > 0, `${stream} ${dim} has values`)
      t.same(values, [...values].sort(), `${stream} ${dim} is sorted`)
      // the first and last value of each dimension, and a value nobody has
      for (const v of new Set([values[0]!, values[values.length - 1]!])) {
        const q = `${window}&usageType=${usageTypes[stream]}&filter[${dim}][values]=${encodeURIComponent(v)}`
        const body = await get(`/v1/accounts/acme-ai/billingUsage?${q}`)
        t.ok(body[costs[stream]!].length > 0, `${stream} ${dim}=${JSON.stringify(v)} matches`)
        checked++
      }
      const none = await get(
        `/v1/accounts/acme-ai/billingUsage?${window}&usageType=${usageTypes[stream]}&filter[${dim}][values]=not-a-listed-value`,
      )
      t.same(none[costs[stream]!], [], `${stream} ${dim} unlisted value matches nothing`)
    }
  }
  t.ok(checked > 20)
})

t.test('filter options over hand-written records: distinct, sorted, "" for a missing annotation', async t => {
  const fx = fixtureApp([
    serverlessRecord('2026-05-01T01:00:00Z', {
      model: modelName('kimi-k2p6'),
      apiKeyId: 'key_B',
      apiKeyName: 'b',
      annotations: { team: 'search' },
    }),
    serverlessRecord('2026-05-01T02:00:00Z', { model: modelName('gpt-oss-20b'), apiKeyId: 'key_A', apiKeyName: 'a' }),
    serverlessRecord('2026-05-01T03:00:00Z', {
      model: modelName('kimi-k2p6'),
      apiKeyId: 'key_A',
      apiKeyName: 'a',
      annotations: { team: 'ads', project: 'x', environment: 'prod' },
    }),
    serverlessRecord('2026-05-03T03:00:00Z', { model: modelName('qwen3-8b') }),
    dedicatedRecord('2026-05-01T01:00:00Z', {
      deployment: 'accounts/test-co/deployments/z',
      acceleratorType: 'NVIDIA_H100_80GB',
    }),
    trainingRecord('2026-05-01T01:00:00Z', { jobId: 'j1', jobType: 'SFT', baseModel: modelName('qwen3-8b') }),
  ])
  const res = await fx.inject({
    url: '/v1/accounts/test-co/accountUsageFilterOptions?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z',
    headers: AUTH,
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    serverless: {
      model_name: [modelName('gpt-oss-20b'), modelName('kimi-k2p6')],
      api_key_id: ['key_A', 'key_B'],
      api_key_name: ['a', 'b'],
      'annotations.team': ['', 'ads', 'search'],
      'annotations.project': ['', 'x'],
      'annotations.environment': ['', 'prod'],
    },
    dedicated: {
      deployment_name: ['accounts/test-co/deployments/z'],
      accelerator_type: ['NVIDIA_H100_80GB'],
      'annotations.team': [''],
      'annotations.project': [''],
      'annotations.environment': [''],
    },
    training: {
      job_id: ['j1'],
      job_type: ['SFT'],
      usage_type: ['TRAINING_TOKENS'],
      accelerator_type: [''],
      base_model: [modelName('qwen3-8b')],
      'annotations.team': [''],
      'annotations.project': [''],
      'annotations.environment': [''],
    },
  })
  const only = await fx.inject({
    url: '/v1/accounts/test-co/accountUsageFilterOptions?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&usageType=DEDICATED_DEPLOYMENT&groupBy=x',
    headers: AUTH,
  })
  t.same(Object.keys(only.json()), ['serverless', 'dedicated', 'training'])
  t.same(only.json().serverless, {})
  t.same(only.json().training, {})
  t.equal(only.headers['x-mock-ignored-params'], 'groupBy', 'groupBy is not a parameter of this operation')
  const bad = await fx.inject({
    url: '/v1/accounts/test-co/accountUsageFilterOptions?startTime=2026-05-01T00:00:00Z',
    headers: AUTH,
  })
  t.same([bad.statusCode, bad.json()], [400, { code: 3, message: 'end_time is required', details: [] }])
})
