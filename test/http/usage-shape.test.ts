// The JSON shape of billingUsage rows [contract 1.6], checked field by field, and the two
// published sample rows reproduced from fixture records.
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { buildWorld, readFixtureDir } from '../../server/data/world.js'
import {
  dedicatedRecord,
  fixtureApp,
  modelName,
  serverlessRecord,
  testConfig,
  trainingRecord,
  usage,
} from '../helpers.js'

const DAY = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'

t.test('a serverless row: every field present, int64 as strings, cost rated from the price list', async t => {
  // gpt-oss-20b: $0.07 input, $0.035 cached, $0.30 output per 1M tokens = 70 / 35 / 300 nano-USD per token
  const app = fixtureApp([
    serverlessRecord('2026-05-01T01:00:00Z', {
      model: modelName('gpt-oss-20b'),
      promptTokens: 1000,
      cachedPromptTokens: 200,
      completionTokens: 100,
    }),
    serverlessRecord('2026-05-01T02:00:00Z', {
      model: modelName('gpt-oss-20b'),
      promptTokens: 10,
      cachedPromptTokens: 10,
      completionTokens: 1,
    }),
  ])
  const res = await usage(app, `${DAY}&usageType=SERVERLESS`)
  t.equal(res.status, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.body.serverlessCosts, [
    {
      startTime: '2026-05-01T00:00:00Z',
      endTime: '2026-05-02T00:00:00Z',
      usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
      promptTokens: '1010',
      completionTokens: '101',
      cachedPromptTokens: '210',
      uncachedPromptTokens: '800',
      audioInputSeconds: 0,
      costNanoUsd: 800 * 70 + 210 * 35 + 101 * 300, // 93,650
      group: { model_name: modelName('gpt-oss-20b') },
      modelName: modelName('gpt-oss-20b'),
    },
  ])
  t.equal(res.body.serverlessCosts[0].costNanoUsd, 93650)
})

t.test('a fixture cost overrides the price list; an unpriced model rates at 0', async t => {
  const app = fixtureApp([
    serverlessRecord('2026-05-01T01:00:00Z', { model: modelName('kimi-k2p6'), promptTokens: 1000, costNanoUsd: 42 }),
    serverlessRecord('2026-05-01T01:00:00Z', {
      model: modelName('mystery-model'),
      promptTokens: 1000,
      completionTokens: 50,
    }),
  ])
  const res = await usage(app, `${DAY}&usageType=SERVERLESS`)
  t.same(
    res.body.serverlessCosts.map((r: { costNanoUsd: number }) => r.costNanoUsd),
    [42, 0],
  )
})

t.test('audio and text usage of one group are separate rows, each with its usageType', async t => {
  // whisper-v3 at $0.0015 per minute = 25,000 nano-USD per second
  const app = fixtureApp([
    serverlessRecord('2026-05-01T01:00:00Z', {
      model: modelName('whisper-v3'),
      usageType: 'AUDIO_INFERENCE_USAGE',
      audioInputSeconds: 0.1,
      completionTokens: 3,
    }),
    serverlessRecord('2026-05-01T02:00:00Z', {
      model: modelName('whisper-v3'),
      usageType: 'AUDIO_INFERENCE_USAGE',
      audioInputSeconds: 0.2,
      completionTokens: 4,
    }),
    serverlessRecord('2026-05-01T03:00:00Z', { model: modelName('whisper-v3'), promptTokens: 9 }),
  ])
  const res = await usage(app, `${DAY}&usageType=SERVERLESS&groupBy=api_key_id`)
  const rows = res.body.serverlessCosts
  t.equal(rows.length, 2)
  t.same(
    rows.map((r: Record<string, unknown>) => [
      r.usageType,
      r.audioInputSeconds,
      r.completionTokens,
      r.promptTokens,
      r.costNanoUsd,
      r.apiKeyId,
    ]),
    [
      ['AUDIO_INFERENCE_USAGE', 0.3, '7', '0', 2500 + 5000, 'key_A'],
      ['TEXT_COMPLETION_INFERENCE_USAGE', 0, '0', '9', 0, 'key_A'],
    ],
  )
})

t.test('deprecated serverless fields appear only under their conditions', async t => {
  const app = fixtureApp([serverlessRecord('2026-05-01T01:00:00Z', { promptTokens: 1 })])
  const keys = async (q: string) =>
    Object.keys((await usage(app, `${DAY}&usageType=SERVERLESS&${q}`)).body.serverlessCosts[0])
  t.ok((await keys('')).includes('modelName'), 'default grouping by model_name')
  t.notOk((await keys('')).includes('apiKeyId'))
  t.notOk((await keys('groupBy=api_key_name')).includes('modelName'))
  t.notOk((await keys('groupBy=api_key_name')).includes('apiKeyId'))
  t.ok((await keys('groupBy=api_key_id')).includes('apiKeyId'))
  t.notOk((await keys('groupBy=api_key_id')).includes('modelName'))
})

t.test('a dedicated row: deployment fields from the latest record, REGION_UNSPECIFIED when unknown', async t => {
  const app = fixtureApp([
    dedicatedRecord('2026-05-01T10:00:00Z', {
      deployment: 'accounts/test-co/deployments/dep-a',
      acceleratorSeconds: 3600,
      baseModel: modelName('kimi-k2p6'),
      placement: 'US_IOWA_1',
    }),
    dedicatedRecord('2026-05-01T11:00:00Z', {
      deployment: 'accounts/test-co/deployments/dep-a',
      acceleratorSeconds: 1800,
      baseModel: modelName('kimi-k2p6'),
      placement: 'GLOBAL',
    }),
    dedicatedRecord('2026-05-01T12:00:00Z', {
      deployment: 'accounts/test-co/deployments/dep-b',
      acceleratorType: 'NVIDIA_A100_80GB',
      acceleratorSeconds: 60,
    }),
  ])
  const res = await usage(app, `${DAY}&usageType=DEDICATED_DEPLOYMENT`)
  t.same(res.body.dedicatedCosts, [
    {
      startTime: '2026-05-01T00:00:00Z',
      endTime: '2026-05-02T00:00:00Z',
      usageType: 'DEDICATED_DEPLOYMENT_USAGE',
      acceleratorSeconds: '5400',
      group: { deployment_name: 'accounts/test-co/deployments/dep-a', accelerator_type: 'NVIDIA_H100_80GB' },
      deploymentId: 'dep-a',
      baseModel: modelName('kimi-k2p6'),
      placement: 'GLOBAL',
      acceleratorType: 'NVIDIA_H100_80GB',
    },
    {
      startTime: '2026-05-01T00:00:00Z',
      endTime: '2026-05-02T00:00:00Z',
      usageType: 'DEDICATED_DEPLOYMENT_USAGE',
      acceleratorSeconds: '60',
      group: { deployment_name: 'accounts/test-co/deployments/dep-b', accelerator_type: 'NVIDIA_A100_80GB' },
      deploymentId: 'dep-b',
      baseModel: '',
      placement: 'REGION_UNSPECIFIED',
      acceleratorType: 'NVIDIA_A100_80GB',
    },
  ])
  const byTeam = await usage(app, `${DAY}&usageType=DEDICATED_DEPLOYMENT&groupBy=annotations.team`)
  t.same(Object.keys(byTeam.body.dedicatedCosts[0]), [
    'startTime',
    'endTime',
    'usageType',
    'acceleratorSeconds',
    'group',
  ])
})

t.test('a training row: fields of grouped dimensions, session and annotations with job_id', async t => {
  const app = fixtureApp([
    trainingRecord('2026-05-01T05:00:00Z', {
      jobId: 'rft-1',
      jobType: 'RFT',
      usageType: 'TRAINER_ACCELERATOR_SECONDS',
      acceleratorType: 'NVIDIA_H100_80GB',
      acceleratorSeconds: 7200,
      baseModel: modelName('qwen3-8b'),
      trainingSessionId: 'sess-9',
      annotations: { team: 'ads' },
    }),
  ])
  const res = await usage(app, `${DAY}&usageType=TRAINING`)
  t.same(res.body.trainingCosts, [
    {
      startTime: '2026-05-01T00:00:00Z',
      endTime: '2026-05-02T00:00:00Z',
      tokens: '0',
      acceleratorSeconds: '7200',
      group: {
        job_id: 'rft-1',
        job_type: 'RFT',
        usage_type: 'TRAINER_ACCELERATOR_SECONDS',
        accelerator_type: 'NVIDIA_H100_80GB',
        base_model: modelName('qwen3-8b'),
      },
      jobId: 'rft-1',
      jobType: 'RFT',
      usageType: 'TRAINER_ACCELERATOR_SECONDS',
      acceleratorType: 'NVIDIA_H100_80GB',
      baseModel: modelName('qwen3-8b'),
      trainingSessionId: 'sess-9',
      annotations: { team: 'ads' },
    },
  ])
  const byType = await usage(app, `${DAY}&usageType=TRAINING&groupBy=job_type`)
  t.same(byType.body.trainingCosts[0], {
    startTime: '2026-05-01T00:00:00Z',
    endTime: '2026-05-02T00:00:00Z',
    tokens: '0',
    acceleratorSeconds: '7200',
    group: { job_type: 'RFT' },
    jobType: 'RFT',
  })
})

t.test('all three arrays are always present; an unselected stream is []', async t => {
  const app = fixtureApp([
    dedicatedRecord('2026-05-01T10:00:00Z', { acceleratorSeconds: 1 }),
    trainingRecord('2026-05-01T10:00:00Z', { tokens: 1 }),
  ])
  const res = await usage(app, `${DAY}&usageType=TRAINING`)
  t.same(Object.keys(res.body), ['serverlessCosts', 'dedicatedCosts', 'trainingCosts'])
  t.same(res.body.dedicatedCosts, [])
  t.equal(res.body.trainingCosts.length, 1)
  const empty = await usage(app, 'startTime=2020-01-01T00:00:00Z&endTime=2020-01-02T00:00:00Z')
  t.same(empty.body, { serverlessCosts: [], dedicatedCosts: [], trainingCosts: [] })
})

t.test('the two published sample rows are reproduced from fixtures/examples', async t => {
  const world = buildWorld({
    seed: 1,
    spec: { start: '2026-01-01T00:00:00Z', accounts: [] },
    files: readFixtureDir('fixtures/examples'),
  })
  const app = buildApp(testConfig({ now: Date.parse('2026-11-01T00:00:00Z') }), { world })
  const res = await app.inject({
    url: '/v1/accounts/sample-co/billingUsage?startTime=2026-05-28T00:00:00Z&endTime=2026-05-30T00:00:00Z&usageType=SERVERLESS&groupBy=api_key_id&groupBy=api_key_name&groupBy=model_name',
    headers: { authorization: 'Bearer fw_mockSampleCo01' },
  })
  t.equal(res.statusCode, 200)
  const body = res.json()
  // Docs row: prompt 1,000,000 + 842,301 and completion 200,000 + 212,980 from two records;
  // cached 250,000 + 100,000. kimi-k2p6 rates 950 / 160 / 4000 nano-USD per token.
  t.same(body.serverlessCosts[0], {
    startTime: '2026-05-28T00:00:00Z',
    endTime: '2026-05-29T00:00:00Z',
    usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
    promptTokens: '1842301',
    completionTokens: '412980',
    cachedPromptTokens: '350000',
    uncachedPromptTokens: '1492301',
    audioInputSeconds: 0,
    costNanoUsd: 1492301 * 950 + 350000 * 160 + 412980 * 4000,
    group: {
      api_key_id: 'key_4nMFyHCSZP4CRKqa',
      api_key_name: 'prod-eng',
      model_name: 'accounts/fireworks/models/kimi-k2p6',
    },
    modelName: 'accounts/fireworks/models/kimi-k2p6',
    apiKeyId: 'key_4nMFyHCSZP4CRKqa',
  })
  t.equal(body.serverlessCosts[0].costNanoUsd, 3125605950)
  // Third-party fixture row (kimi-k3 is not on the price list: cost 0), same fields and types.
  t.same(body.serverlessCosts[1], {
    startTime: '2026-05-29T00:00:00Z',
    endTime: '2026-05-30T00:00:00Z',
    usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
    promptTokens: '886211',
    completionTokens: '8272',
    cachedPromptTokens: '762880',
    uncachedPromptTokens: '123331',
    audioInputSeconds: 0,
    costNanoUsd: 0,
    group: { api_key_id: 'key_BCeQCxy72', api_key_name: 'grid-alpha', model_name: 'accounts/fireworks/models/kimi-k3' },
    modelName: 'accounts/fireworks/models/kimi-k3',
    apiKeyId: 'key_BCeQCxy72',
  })
  t.same(body.dedicatedCosts, [])
  t.same(body.trainingCosts, [])
})

t.test('a total beyond 2^53 is refused rather than printed wrong', async t => {
  const big = 2 ** 52
  const app = fixtureApp([
    serverlessRecord('2026-05-01T01:00:00Z', { promptTokens: big, costNanoUsd: 0 }),
    serverlessRecord('2026-05-01T02:00:00Z', { promptTokens: big, costNanoUsd: 0 }),
    serverlessRecord('2026-05-01T03:00:00Z', { promptTokens: 1, costNanoUsd: 0 }),
  ])
  const res = await usage(app, `${DAY}&usageType=SERVERLESS`)
  t.equal(res.status, 500)
  t.equal(res.body.code, 13)
  t.match(res.body.message, /exceeds 2\^53/)
})
