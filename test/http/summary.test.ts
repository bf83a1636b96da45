// GET /v1/accounts/{account}/billing/summary over hand-written records; every amount below is
// worked out by hand from the price list (nano-USD per token: kimi-k2p6 950 / 160 / 4000,
// gpt-oss-20b 70 / 35 / 300; whisper-v3 25,000 per second; H100 and H200 $7/h, A100 $2.90/h).
import t from 'tap'
import { AUTH, dedicatedRecord, fixtureApp, modelName, serverlessRecord, trainingRecord } from '../helpers.js'

const usd = (units: string, nanos: number) => ({ currencyCode: 'USD', units, nanos })
const item = (
  series: string,
  category: string,
  g: [string, string],
  s: [string, string],
  quantity: number,
  unit: object,
  total: object,
) => ({
  category,
  groupingKey: g[0],
  groupingValue: g[1],
  secondaryGroupingKey: s[0],
  secondaryGroupingValue: s[1],
  quantity,
  unitAmount: unit,
  totalCost: total,
  series,
})

const records = [
  serverlessRecord('2025-10-05T10:00:00Z', {
    model: modelName('kimi-k2p6'),
    promptTokens: 2000,
    cachedPromptTokens: 500,
    completionTokens: 100,
  }),
  serverlessRecord('2025-10-05T11:00:00Z', {
    model: modelName('whisper-v3'),
    usageType: 'AUDIO_INFERENCE_USAGE',
    audioInputSeconds: 0.00006,
  }),
  serverlessRecord('2025-10-06T09:00:00Z', { model: modelName('kimi-k2p6'), completionTokens: 300_000_000_007 }),
  serverlessRecord('2025-10-06T10:00:00Z', {
    model: modelName('gpt-oss-20b'),
    completionTokens: 5_000_000,
    costNanoUsd: 0,
  }),
  dedicatedRecord('2025-10-05T12:00:00Z', { acceleratorType: 'NVIDIA_H100_80GB', acceleratorSeconds: 5400 }),
  dedicatedRecord('2025-10-06T12:00:00Z', { acceleratorType: 'NVIDIA_A100_80GB', acceleratorSeconds: 1 }),
  trainingRecord('2025-10-05T13:00:00Z', {
    jobId: 'sft-1',
    jobType: 'SFT',
    tokens: 1_000_000,
    baseModel: modelName('llama-v3p1-8b-instruct'),
  }),
  trainingRecord('2025-10-06T13:00:00Z', {
    jobId: 'rft-1',
    jobType: 'RFT',
    usageType: 'TRAINER_ACCELERATOR_SECONDS',
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 3600,
    baseModel: modelName('qwen3-8b'),
  }),
  trainingRecord('2025-10-06T14:00:00Z', {
    jobId: 'rlor-1',
    jobType: 'RLOR_TRAINER',
    usageType: 'TRAINER_ACCELERATOR_SECONDS',
    acceleratorType: 'NVIDIA_H200_141GB',
    acceleratorSeconds: 7200,
    baseModel: modelName('llama-v3p3-70b-instruct'),
  }),
  // outside Oct 5-6
  serverlessRecord('2025-10-04T23:59:59Z', { model: modelName('kimi-k2p6'), promptTokens: 1 }),
  serverlessRecord('2025-10-07T00:00:00Z', { model: modelName('kimi-k2p6'), promptTokens: 1 }),
]
const app = fixtureApp(records)
const summary = async (query: string) => {
  const res = await app.inject({ url: `/v1/accounts/test-co/billing/summary?${query}`, headers: AUTH })
  return { status: res.statusCode, body: res.json() }
}

const DAY5 = [
  item(
    'SERVERLESS',
    'Audio Transcription',
    ['model', modelName('whisper-v3')],
    ['type', 'audio_seconds'],
    0.00006,
    usd('0', 25_000),
    usd('0', 2),
  ), // 1.5 nano-USD rounds to 2
  item(
    'SERVERLESS',
    'Text Completion',
    ['model', modelName('kimi-k2p6')],
    ['type', 'cached_input'],
    500,
    usd('0', 160),
    usd('0', 80_000),
  ),
  item(
    'SERVERLESS',
    'Text Completion',
    ['model', modelName('kimi-k2p6')],
    ['type', 'input'],
    1500,
    usd('0', 950),
    usd('0', 1_425_000),
  ),
  item(
    'SERVERLESS',
    'Text Completion',
    ['model', modelName('kimi-k2p6')],
    ['type', 'output'],
    100,
    usd('0', 4000),
    usd('0', 400_000),
  ),
  item(
    'DEDICATED_DEPLOYMENT',
    'Dedicated Deployment',
    ['accelerator_type', 'NVIDIA_H100_80GB'],
    ['', ''],
    1.5,
    usd('7', 0),
    usd('10', 500_000_000),
  ),
  item(
    'TRAINING',
    'Training Tokens',
    ['job_type', 'SFT'],
    ['base_model', modelName('llama-v3p1-8b-instruct')],
    1_000_000,
    usd('0', 500),
    usd('0', 500_000_000),
  ),
]
const DAY6 = [
  // the fixture gave gpt-oss-20b a cost of its own, 0 (against 5,000,000 x 300 = $1.50 by the
  // list): the line keeps the list's unit price and totals what the record cost, $0
  item(
    'SERVERLESS',
    'Text Completion',
    ['model', modelName('gpt-oss-20b')],
    ['type', 'output'],
    5_000_000,
    usd('0', 300),
    usd('0', 0),
  ),
  // 300,000,000,007 x 4000 = 1,200,000,000,028,000 nano-USD: above a million dollars
  item(
    'SERVERLESS',
    'Text Completion',
    ['model', modelName('kimi-k2p6')],
    ['type', 'output'],
    300_000_000_007,
    usd('0', 4000),
    usd('1200000', 28_000),
  ),
  // one A100 second: 2.9e9 / 3600 = 805,555.55... nano-USD
  item(
    'DEDICATED_DEPLOYMENT',
    'Dedicated Deployment',
    ['accelerator_type', 'NVIDIA_A100_80GB'],
    ['', ''],
    1 / 3600,
    usd('2', 900_000_000),
    usd('0', 805_556),
  ),
  item(
    'TRAINING',
    'Trainer GPU Time',
    ['job_type', 'RLOR_TRAINER'],
    ['accelerator_type', 'NVIDIA_H200_141GB'],
    2,
    usd('7', 0),
    usd('14', 0),
  ),
  item(
    'TRAINING',
    'Trainer GPU Time (RFT under 16B, free)',
    ['job_type', 'RFT'],
    ['accelerator_type', 'NVIDIA_H100_80GB'],
    1,
    usd('0', 0),
    usd('0', 0),
  ),
]

t.test('line items of Oct 5 and Oct 6, as the docs ask: 2025-10-05T00:00:00Z to 2025-10-07T00:00:00Z', async t => {
  const res = await summary('startTime=2025-10-05T00:00:00Z&endTime=2025-10-07T00:00:00Z')
  t.equal(res.status, 200)
  // the two days merged: kimi-k2p6 output is 100 + 300,000,000,007 tokens
  const total = [
    DAY5[0],
    DAY6[0],
    DAY5[1],
    DAY5[2],
    item(
      'SERVERLESS',
      'Text Completion',
      ['model', modelName('kimi-k2p6')],
      ['type', 'output'],
      300_000_000_107,
      usd('0', 4000),
      usd('1200000', 428_000),
    ),
    DAY6[2],
    DAY5[4],
    DAY6[3],
    DAY6[4],
    DAY5[5],
  ]
  t.same(res.body, { lineItems: total, usageBuckets: [] })
})

t.test('only the UTC date of startTime and endTime counts', async t => {
  const a = await summary('startTime=2025-10-05T13:00:00Z&endTime=2025-10-07T23:00:00Z')
  const b = await summary('startTime=2025-10-05T00:00:00Z&endTime=2025-10-07T00:00:00Z')
  t.same(a.body, b.body)
  // 23:30-02:00 is 01:30Z the next day: the range starts on Oct 6
  const c = await summary(
    'startTime=2025-10-05T23:30:00-02:00&endTime=2025-10-07T00:00:00Z'.replace('-02:00', '%2D02:00'),
  )
  t.same(
    c.body.lineItems.map((i: { groupingValue: string }) => i.groupingValue).includes(modelName('whisper-v3')),
    false,
  )
})

t.test('granularity=DAILY adds one bucket per day, and the buckets add up to the line items', async t => {
  const res = await summary('startTime=2025-10-05T00:00:00Z&endTime=2025-10-07T00:00:00Z&granularity=DAILY')
  t.same(res.body.usageBuckets, [
    { startTime: '2025-10-05T00:00:00Z', endTime: '2025-10-06T00:00:00Z', lineItems: DAY5 },
    { startTime: '2025-10-06T00:00:00Z', endTime: '2025-10-07T00:00:00Z', lineItems: DAY6 },
  ])
  const nanos = (m: { units: string; nanos: number }) => BigInt(m.units) * 1_000_000_000n + BigInt(m.nanos)
  const sum = (items: { totalCost: { units: string; nanos: number } }[]) =>
    items.reduce((s, i) => s + nanos(i.totalCost), 0n)
  t.equal(sum(res.body.usageBuckets.flatMap((b: { lineItems: [] }) => b.lineItems)), sum(res.body.lineItems))
  t.same((await summary('startTime=2025-10-05T00:00:00Z&endTime=2025-10-07T00:00:00Z&granularity=1')).body, res.body)
})

t.test('same start and end date: 200 with empty lists; start after end: 400', async t => {
  t.same(await summary('startTime=2025-10-05T01:00:00Z&endTime=2025-10-05T23:00:00Z&granularity=DAILY'), {
    status: 200,
    body: { lineItems: [], usageBuckets: [] },
  })
  t.same(await summary('startTime=2025-10-06T00:00:00Z&endTime=2025-10-05T00:00:00Z'), {
    status: 400,
    body: { code: 3, message: 'the start_time date must not be after the end_time date', details: [] },
  })
})

t.test('parameter errors use the same envelope and order as billingUsage', async t => {
  t.same((await summary('endTime=2025-10-05T00:00:00Z')).body, {
    code: 3,
    message: 'start_time is required',
    details: [],
  })
  t.same((await summary('startTime=2025-10-05&endTime=2025-10-06T00:00:00Z')).body, {
    code: 3,
    message: 'invalid start_time "2025-10-05": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
    details: [],
  })
  t.same((await summary('startTime=2025-10-05T00:00:00Z&endTime=2025-10-06T00:00:00Z&granularity=HOURLY')).body, {
    code: 3,
    message: 'invalid granularity "HOURLY": must be one of GRANULARITY_UNSPECIFIED, DAILY or 0-1',
    details: [],
  })
  t.same((await summary('startTime=2025-10-01T00:00:00Z&endTime=2025-11-02T00:00:00Z')).body, {
    code: 3,
    message: 'the end_time date must not be more than 31 days after the start_time date',
    details: [],
  })
  const res = await app.inject({
    url: '/v1/accounts/test-co/billing/summary?startTime=2025-10-05T00:00:00Z&endTime=2025-10-06T00:00:00Z&groupBy=model_name',
    headers: AUTH,
  })
  t.equal(res.headers['x-mock-ignored-params'], 'groupBy')
  const unauth = await app.inject({ url: '/v1/accounts/test-co/billing/summary' })
  t.same([unauth.statusCode, unauth.json().code], [401, 16])
  const post = await app.inject({ method: 'POST', url: '/v1/accounts/test-co/billing/summary', headers: AUTH })
  t.same([post.statusCode, post.json()], [501, { code: 12, message: 'Method Not Allowed', details: [] }])
})
