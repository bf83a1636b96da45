// The billingUsage answer (billingUsageJson, parsed) computed directly over hand-written records: one array per stream in the
// registry's order, [] for a stream the usage type leaves out, and rows whose every number is
// worked out by hand (nano-USD per token: kimi-k2p6 950 / 160 / 4000, gpt-oss-20b 70 / 35 / 300).
import t from 'tap'
import type { WorldAccount } from '../../server/data/world.js'
import { billingUsageJson } from '../../server/usage/billing-usage.js'
import { parseUsageQuery, type UsageQuery } from '../../server/usage/query.js'
import { dedicatedRecord, fixtureWorld, modelName, serverlessRecord, trainingRecord } from '../helpers.js'

/** The answer as objects: one array of rows per stream. */
function computeBillingUsage(account: WorldAccount, query: UsageQuery, nowMs: number): Record<string, object[]> {
  const { body, release } = billingUsageJson(account, query, nowMs)
  const parsed = JSON.parse(body.toString('utf8')) as Record<string, object[]>
  release?.()
  return parsed
}

const account = fixtureWorld([
  // 1,500 x 950 + 500 x 160 + 100 x 4,000 = 1,425,000 + 80,000 + 400,000 = 1,905,000
  serverlessRecord('2026-05-01T01:00:00Z', {
    model: modelName('kimi-k2p6'),
    promptTokens: 2000,
    cachedPromptTokens: 500,
    completionTokens: 100,
    annotations: { team: 'search' },
  }),
  // a cost of its own: 5
  serverlessRecord('2026-05-01T05:00:00Z', { promptTokens: 1, costNanoUsd: 5 }),
  // 100 x 70 + 10 x 300 = 10,000
  serverlessRecord('2026-05-02T01:00:00Z', { promptTokens: 100, completionTokens: 10 }),
  dedicatedRecord('2026-05-01T02:00:00Z', {
    acceleratorSeconds: 3600,
    baseModel: modelName('kimi-k2p6'),
    placement: 'US_IOWA_1',
  }),
  dedicatedRecord('2026-05-02T02:00:00Z', { acceleratorSeconds: 60, placement: 'EU_FRANKFURT_1' }),
  trainingRecord('2026-05-01T03:00:00Z', { tokens: 1000, baseModel: modelName('llama-v3p1-8b-instruct') }),
]).accounts.get('test-co')!
const LATER = Date.parse('2027-01-01T00:00:00Z')
const query = (raw: Record<string, unknown>) => parseUsageQuery(raw).query
const WINDOW = { startTime: '2026-05-01T00:00:00Z', endTime: '2026-05-03T00:00:00Z' }
const DAY1 = { startTime: '2026-05-01T00:00:00Z', endTime: '2026-05-02T00:00:00Z' }
const DAY2 = { startTime: '2026-05-02T00:00:00Z', endTime: '2026-05-03T00:00:00Z' }

const serverlessRow = (
  day: object,
  model: string,
  prompt: number,
  cached: number,
  completion: number,
  costNanoUsd: number,
) => ({
  ...day,
  usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
  promptTokens: String(prompt),
  completionTokens: String(completion),
  cachedPromptTokens: String(cached),
  uncachedPromptTokens: String(prompt - cached),
  audioInputSeconds: 0,
  costNanoUsd,
  group: { model_name: model },
  modelName: model,
})
const SERVERLESS = [
  serverlessRow(DAY1, modelName('gpt-oss-20b'), 1, 0, 0, 5),
  serverlessRow(DAY1, modelName('kimi-k2p6'), 2000, 500, 100, 1_905_000),
  serverlessRow(DAY2, modelName('gpt-oss-20b'), 100, 0, 10, 10_000),
]
const dedicatedRow = (day: object, seconds: number, baseModel: string, placement: string) => ({
  ...day,
  usageType: 'DEDICATED_DEPLOYMENT_USAGE',
  acceleratorSeconds: String(seconds),
  group: { deployment_name: 'accounts/test-co/deployments/dep-a', accelerator_type: 'NVIDIA_H100_80GB' },
  deploymentId: 'dep-a',
  baseModel,
  placement,
  acceleratorType: 'NVIDIA_H100_80GB',
})
const DEDICATED = [
  dedicatedRow(DAY1, 3600, modelName('kimi-k2p6'), 'US_IOWA_1'),
  dedicatedRow(DAY2, 60, '', 'EU_FRANKFURT_1'),
]
const TRAINING = [
  {
    ...DAY1,
    tokens: '1000',
    acceleratorSeconds: '0',
    group: {
      job_id: 'job-1',
      job_type: 'SFT',
      usage_type: 'TRAINING_TOKENS',
      accelerator_type: '',
      base_model: modelName('llama-v3p1-8b-instruct'),
    },
    jobId: 'job-1',
    jobType: 'SFT',
    usageType: 'TRAINING_TOKENS',
    acceleratorType: '',
    baseModel: modelName('llama-v3p1-8b-instruct'),
    trainingSessionId: '',
    annotations: {},
  },
]

t.test('one array per stream, in registry order, each with the rows of the default grouping', async t => {
  const body = computeBillingUsage(account, query(WINDOW), LATER)
  t.strictSame(Object.keys(body), ['serverlessCosts', 'dedicatedCosts', 'trainingCosts'])
  t.strictSame(body.serverlessCosts, SERVERLESS)
  t.strictSame(body.dedicatedCosts, DEDICATED)
  t.strictSame(body.trainingCosts, TRAINING)
})

t.test('a stream the usage type does not select is present and empty', async t => {
  const cases: [usageType: string, expected: Record<string, object[]>][] = [
    ['SERVERLESS', { serverlessCosts: SERVERLESS, dedicatedCosts: [], trainingCosts: [] }],
    ['DEDICATED_DEPLOYMENT', { serverlessCosts: [], dedicatedCosts: DEDICATED, trainingCosts: [] }],
    ['3', { serverlessCosts: [], dedicatedCosts: [], trainingCosts: TRAINING }],
  ]
  for (const [usageType, expected] of cases) {
    const body = computeBillingUsage(account, query({ ...WINDOW, usageType }), LATER)
    t.strictSame(Object.keys(body), ['serverlessCosts', 'dedicatedCosts', 'trainingCosts'], usageType)
    t.strictSame(body, expected, usageType)
  }
})

t.test('the query window clips the first bucket, and nothing at or after now counts', async t => {
  const body = computeBillingUsage(
    account,
    query({ startTime: '2026-05-01T02:00:00Z', endTime: '2026-05-03T00:00:00Z' }),
    Date.parse('2026-05-02T01:00:00Z'),
  )
  const clipped = { startTime: '2026-05-01T02:00:00Z', endTime: '2026-05-02T00:00:00Z' }
  t.strictSame(body.serverlessCosts, [serverlessRow(clipped, modelName('gpt-oss-20b'), 1, 0, 0, 5)])
  t.strictSame(body.dedicatedCosts, [dedicatedRow(clipped, 3600, modelName('kimi-k2p6'), 'US_IOWA_1')])
  t.strictSame(body.trainingCosts, [{ ...TRAINING[0], ...clipped }])
})

t.test('a dimension of one stream groups and filters that stream only when usageType is unspecified', async t => {
  const body = computeBillingUsage(
    account,
    query({
      ...WINDOW,
      groupBy: ['annotations.team', 'model_name'],
      filter: { model_name: { values: modelName('kimi-k2p6') } },
    }),
    LATER,
  )
  const kimi = serverlessRow(DAY1, modelName('kimi-k2p6'), 2000, 500, 100, 1_905_000)
  t.strictSame(body.serverlessCosts, [
    { ...kimi, group: { 'annotations.team': 'search', model_name: modelName('kimi-k2p6') } },
  ])
  // dedicated and training ignore model_name: grouped by the annotation alone, unfiltered
  t.strictSame(body.dedicatedCosts, [
    { ...DAY1, usageType: 'DEDICATED_DEPLOYMENT_USAGE', acceleratorSeconds: '3600', group: { 'annotations.team': '' } },
    { ...DAY2, usageType: 'DEDICATED_DEPLOYMENT_USAGE', acceleratorSeconds: '60', group: { 'annotations.team': '' } },
  ])
  t.strictSame(body.trainingCosts, [
    { ...DAY1, tokens: '1000', acceleratorSeconds: '0', group: { 'annotations.team': '' } },
  ])
})
