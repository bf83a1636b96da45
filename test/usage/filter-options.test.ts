// computeFilterOptions called directly over hand-written records [contract 3]: the distinct
// values of every dimension seen in the window and before now, sorted, per selected stream.
import t from 'tap'
import { computeFilterOptions } from '../../server/usage/filter-options.js'
import { parseUsageQuery } from '../../server/usage/query.js'
import { dedicatedRecord, fixtureWorld, modelName, serverlessRecord, trainingRecord } from '../helpers.js'

const custom = (id: string) => `accounts/test-co/models/${id}`
const account = fixtureWorld([
  serverlessRecord('2026-04-30T23:59:59.999Z', { model: custom('before-start') }),
  serverlessRecord('2026-05-01T00:00:00Z', { model: modelName('kimi-k2p6'), annotations: { team: 'search' } }),
  serverlessRecord('2026-05-01T02:00:00Z', { apiKeyId: 'key_B', apiKeyName: 'Z-key' }),
  serverlessRecord('2026-05-01T03:00:00Z', { annotations: { project: 'p1' } }),
  serverlessRecord('2026-05-01T19:59:59.999Z', { model: modelName('whisper-v3'), usageType: 'AUDIO_INFERENCE_USAGE' }),
  serverlessRecord('2026-05-01T20:00:00Z', { model: custom('at-now') }),
  serverlessRecord('2026-05-02T00:00:00Z', { model: custom('at-end') }),
  dedicatedRecord('2026-05-01T04:00:00Z', {
    deployment: 'accounts/test-co/deployments/dep-b',
    acceleratorType: 'NVIDIA_A100_80GB',
    annotations: { environment: 'prod' },
  }),
  dedicatedRecord('2026-05-01T05:00:00Z'),
  trainingRecord('2026-05-01T06:00:00Z', {
    jobId: 'job-2',
    jobType: 'RFT',
    usageType: 'TRAINER_ACCELERATOR_SECONDS',
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 60,
    baseModel: modelName('qwen3-8b'),
  }),
  trainingRecord('2026-05-03T06:00:00Z', { jobId: 'job-3', tokens: 5 }),
]).accounts.get('test-co')!

const NOW = Date.parse('2026-05-01T20:00:00Z')
const MAY1 = { startTime: '2026-05-01T00:00:00Z', endTime: '2026-05-02T00:00:00Z' }
const options = (raw: Record<string, unknown>, nowMs = NOW) =>
  computeFilterOptions(account, parseUsageQuery(raw).query, nowMs)

const SERVERLESS = {
  model_name: [modelName('gpt-oss-20b'), modelName('kimi-k2p6'), modelName('whisper-v3')],
  api_key_id: ['key_A', 'key_B'],
  api_key_name: ['Z-key', 'a'], // code-unit order: upper case first
  'annotations.team': ['', 'search'],
  'annotations.project': ['', 'p1'],
  'annotations.environment': [''],
}
const DEDICATED = {
  deployment_name: ['accounts/test-co/deployments/dep-a', 'accounts/test-co/deployments/dep-b'],
  accelerator_type: ['NVIDIA_A100_80GB', 'NVIDIA_H100_80GB'],
  'annotations.team': [''],
  'annotations.project': [''],
  'annotations.environment': ['', 'prod'],
}
const TRAINING = {
  job_id: ['job-2'],
  job_type: ['RFT'],
  usage_type: ['TRAINER_ACCELERATOR_SECONDS'],
  accelerator_type: ['NVIDIA_H100_80GB'],
  base_model: [modelName('qwen3-8b')],
  'annotations.team': [''],
  'annotations.project': [''],
  'annotations.environment': [''],
}

t.test('distinct sorted values of every dimension, "" for a missing annotation, streams in order', async t => {
  const body = options(MAY1)
  t.strictSame(Object.keys(body), ['serverless', 'dedicated', 'training'])
  t.strictSame(body.serverless, SERVERLESS)
  t.strictSame(Object.keys(body.serverless!), Object.keys(SERVERLESS), 'dimensions in the stream order')
  t.strictSame(body.dedicated, DEDICATED)
  t.strictSame(body.training, TRAINING)
})

t.test('only records with startTime <= t < endTime and t < now', async t => {
  // later clock: the record at 20:00 exists; the one at endTime still does not count
  t.strictSame(options(MAY1, Date.parse('2027-01-01T00:00:00Z')).serverless!.model_name, [
    modelName('gpt-oss-20b'),
    modelName('kimi-k2p6'),
    modelName('whisper-v3'),
    custom('at-now'),
  ])
  // a window from the last millisecond of April catches the record before May 1
  t.strictSame(options({ startTime: '2026-04-30T23:59:59.999Z', endTime: '2026-05-01T00:00:00.001Z' }).serverless, {
    model_name: [custom('before-start'), modelName('kimi-k2p6')].sort(),
    api_key_id: ['key_A'],
    api_key_name: ['a'],
    'annotations.team': ['', 'search'],
    'annotations.project': [''],
    'annotations.environment': [''],
  })
})

t.test('a selected stream with nothing in the window lists every dimension with no values', async t => {
  const body = options(
    { startTime: '2026-05-03T00:00:00Z', endTime: '2026-05-04T00:00:00Z' },
    Date.parse('2026-05-03T06:00:00Z'),
  )
  t.strictSame(body.training, Object.fromEntries(Object.keys(TRAINING).map(d => [d, []])), 'job-3 is at now')
  t.strictSame(body.serverless, Object.fromEntries(Object.keys(SERVERLESS).map(d => [d, []])))
})

t.test('a stream the usage type does not select is {}', async t => {
  t.strictSame(options({ ...MAY1, usageType: 'SERVERLESS' }), { serverless: SERVERLESS, dedicated: {}, training: {} })
  t.strictSame(options({ ...MAY1, usage_type: 'DEDICATED_DEPLOYMENT' }), {
    serverless: {},
    dedicated: DEDICATED,
    training: {},
  })
  t.strictSame(options({ ...MAY1, usageType: '3' }), { serverless: {}, dedicated: {}, training: TRAINING })
})
