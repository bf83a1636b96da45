// The billing summary's rules called directly: parseSummaryQuery and computeBillingSummary over
// hand-written records; every amount below is worked out by hand from the price list (nano-USD
// per token: kimi-k2p6 950 / 160 / 4000, gpt-oss-20b 70 / 35 / 300, llama-v3p1-8b-instruct
// 200 / 100 / 200; whisper-v3 25,000 per second; H100 and H200 $7/h, A100 $2.90/h). What only
// HTTP adds (authentication, the method, x-mock-ignored-params) is in test/http/summary.test.ts.
import t from 'tap'
import { ApiError } from '../../server/errors.js'
import type { WorldAccount } from '../../server/data/world.js'
import { computeBillingSummary, parseSummaryQuery } from '../../server/usage/summary.js'
import { dedicatedRecord, fixtureWorld, modelName, serverlessRecord, TEST_NOW, trainingRecord } from '../helpers.js'

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
const NOW = Date.parse(TEST_NOW)
const accountOf = (recs: object[]): WorldAccount => fixtureWorld(recs).accounts.get('test-co')!
const account = accountOf(records)
/** The summary of a raw query (as qs leaves it), over `records`. */
const summary = (raw: Record<string, unknown>, over: WorldAccount = account) =>
  computeBillingSummary(over, parseSummaryQuery(raw).query, NOW)
/** The INVALID_ARGUMENT message of a query, or 'no error'. */
function refusal(raw: Record<string, unknown>, strict = false): string {
  try {
    parseSummaryQuery(raw, strict)
  } catch (err) {
    if (err instanceof ApiError && err.code === 3) return err.message
    throw err
  }
  return 'no error'
}
const OCT5_6 = { startTime: '2025-10-05T00:00:00Z', endTime: '2025-10-07T00:00:00Z' }

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
    'LLM input tokens (cached)',
    ['model_bucket', 'Kimi K2.6'],
    ['', ''],
    500,
    usd('0', 160),
    usd('0', 80_000),
  ),
  item(
    'SERVERLESS',
    'LLM input tokens (uncached)',
    ['model_bucket', 'Kimi K2.6'],
    ['', ''],
    1500,
    usd('0', 950),
    usd('0', 1_425_000),
  ),
  item(
    'SERVERLESS',
    'LLM output tokens',
    ['model_bucket', 'Kimi K2.6'],
    ['', ''],
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
  // 'Kimi K2.6' sorts before 'OpenAI gpt-oss-20b' (by display name)
  // 300,000,000,007 x 4000 = 1,200,000,000,028,000 nano-USD: above a million dollars
  item(
    'SERVERLESS',
    'LLM output tokens',
    ['model_bucket', 'Kimi K2.6'],
    ['', ''],
    300_000_000_007,
    usd('0', 4000),
    usd('1200000', 28_000),
  ),
  // the fixture gave gpt-oss-20b a cost of its own, 0 (against 5,000,000 x 300 = $1.50 by the
  // list): the line keeps the list's unit price and totals what the record cost, $0
  item(
    'SERVERLESS',
    'LLM output tokens',
    ['model_bucket', 'OpenAI gpt-oss-20b'],
    ['', ''],
    5_000_000,
    usd('0', 300),
    usd('0', 0),
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
  // the two days merged: kimi-k2p6 output is 100 + 300,000,000,007 tokens
  const total = [
    DAY5[0],
    DAY5[1],
    DAY5[2],
    item(
      'SERVERLESS',
      'LLM output tokens',
      ['model_bucket', 'Kimi K2.6'],
      ['', ''],
      300_000_000_107,
      usd('0', 4000),
      usd('1200000', 428_000),
    ),
    DAY6[1],
    DAY6[2],
    DAY5[4],
    DAY6[3],
    DAY6[4],
    DAY5[5],
  ]
  t.strictSame(summary(OCT5_6), { lineItems: total, usageBuckets: [] })
})

t.test('only the UTC date of startTime and endTime counts', async t => {
  const OCT5 = Date.UTC(2025, 9, 5)
  const OCT6 = Date.UTC(2025, 9, 6)
  const OCT7 = Date.UTC(2025, 9, 7)
  t.strictSame(parseSummaryQuery({ startTime: '2025-10-05T13:00:00Z', endTime: '2025-10-07T23:00:00Z' }).query, {
    startDay: OCT5,
    endDay: OCT7,
    daily: false,
  })
  const a = summary({ startTime: '2025-10-05T13:00:00Z', endTime: '2025-10-07T23:00:00Z' })
  const b = summary(OCT5_6)
  t.strictSame(a, b)
  // 23:30-02:00 is 01:30Z the next day: the range starts on Oct 6
  const late = { startTime: '2025-10-05T23:30:00-02:00', endTime: '2025-10-07T00:00:00Z' }
  t.equal(parseSummaryQuery(late).query.startDay, OCT6)
  t.equal(
    summary(late)
      .lineItems.map(i => i.groupingValue)
      .includes(modelName('whisper-v3')),
    false,
  )
})

t.test('granularity=DAILY adds one bucket per day, and the buckets add up to the line items', async t => {
  const daily = summary({ ...OCT5_6, granularity: 'DAILY' })
  t.strictSame(daily.usageBuckets, [
    { startTime: '2025-10-05T00:00:00Z', endTime: '2025-10-06T00:00:00Z', lineItems: DAY5 },
    { startTime: '2025-10-06T00:00:00Z', endTime: '2025-10-07T00:00:00Z', lineItems: DAY6 },
  ])
  const nanos = (m: { units: string; nanos: number }) => BigInt(m.units) * 1_000_000_000n + BigInt(m.nanos)
  const sum = (items: { totalCost: { units: string; nanos: number } }[]) =>
    items.reduce((s, i) => s + nanos(i.totalCost), 0n)
  t.equal(sum(daily.usageBuckets.flatMap(b => b.lineItems)), sum(daily.lineItems))
  t.strictSame(summary({ ...OCT5_6, granularity: '1' }), daily, 'the enum number')
  t.strictSame(summary({ ...OCT5_6, granularity: 'GRANULARITY_UNSPECIFIED' }).usageBuckets, [])
  t.strictSame(summary({ ...OCT5_6, granularity: '0' }).usageBuckets, [])
})

t.test('same start and end date: empty lists; start after end: refused', async t => {
  t.strictSame(summary({ startTime: '2025-10-05T01:00:00Z', endTime: '2025-10-05T23:00:00Z', granularity: 'DAILY' }), {
    lineItems: [],
    usageBuckets: [],
  })
  t.equal(
    refusal({ startTime: '2025-10-06T00:00:00Z', endTime: '2025-10-05T00:00:00Z' }),
    'the start_time date must not be after the end_time date',
  )
})

t.test('parameter errors have the same order and messages as billingUsage', async t => {
  t.equal(refusal({ endTime: '2025-10-05T00:00:00Z' }), 'start_time is required')
  t.equal(refusal({ start_time: '2025-10-05T00:00:00Z' }), 'end_time is required', 'snake_case spelling')
  t.equal(
    refusal({ startTime: '2025-10-05', endTime: '2025-10-06T00:00:00Z' }),
    'invalid start_time "2025-10-05": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
  )
  t.equal(
    refusal({ startTime: '2025-10-05T00:00:00Z', endTime: '2025-10-06T00:00:00Z', granularity: 'HOURLY' }),
    'invalid granularity "HOURLY": must be one of GRANULARITY_UNSPECIFIED, DAILY or 0-1',
  )
  t.equal(
    refusal({ startTime: '2025-10-05T00:00:00Z', endTime: '2025-10-06T00:00:00Z', granularity: '2' }),
    'invalid granularity "2": must be one of GRANULARITY_UNSPECIFIED, DAILY or 0-1',
  )
  t.equal(
    refusal({ startTime: '2025-10-01T00:00:00Z', endTime: '2025-11-02T00:00:00Z' }),
    'the end_time date must not be more than 31 days after the start_time date',
  )
  t.equal(refusal({ startTime: '2025-10-01T00:00:00Z', endTime: '2025-11-01T23:59:59Z' }), 'no error', '31 days')
  t.equal(
    refusal({ startTime: '2025-10-05T00:00:00Z', endTime: '2025-10-06T00:00:00Z', granularity: ['DAILY', 'DAILY'] }),
    'too many values for field "granularity": DAILY, DAILY',
  )
})

t.test('parameters the summary does not have are ignored and reported, or refused in strict mode', async t => {
  const raw = { ...OCT5_6, groupBy: 'model_name', usageType: 'SERVERLESS' }
  t.strictSame(parseSummaryQuery(raw).ignored, ['groupBy', 'usageType'])
  t.strictSame(parseSummaryQuery(OCT5_6).ignored, [])
  t.equal(refusal(raw, true), 'unknown query parameter "groupBy"')
})

t.test("a fixture record's own costNanoUsd is shared among its line items, which total it exactly", async t => {
  const custom = 'accounts/test-co/models/custom'
  const day = accountOf([
    // list parts 1,425,000 + 80,000 + 400,000 = 1,905,000; its own cost 1,000,000 shared in
    // proportion: 748,031.49 / 41,994.75 / 209,973.75, floored to 999,998; the two largest
    // remainders (output .75328, cached .75066) get the 2 nano-USD left
    serverlessRecord('2025-10-08T01:00:00Z', {
      model: modelName('kimi-k2p6'),
      promptTokens: 2000,
      cachedPromptTokens: 500,
      completionTokens: 100,
      costNanoUsd: 1_000_000,
    }),
    // list parts 200 + 0 + 200; cost 3: 1.5 and 1.5, equal remainders: the first part gets the 1 left
    serverlessRecord('2025-10-08T02:00:00Z', {
      model: modelName('llama-v3p1-8b-instruct'),
      promptTokens: 1,
      completionTokens: 1,
      costNanoUsd: 3,
    }),
    // the list says 0 (an unpriced model): all of its cost is input
    serverlessRecord('2025-10-08T03:00:00Z', {
      model: custom,
      promptTokens: 10,
      completionTokens: 4,
      costNanoUsd: 777,
    }),
    // an audio model: all of it is audio (4 s listed at 100,000)
    serverlessRecord('2025-10-08T04:00:00Z', {
      model: modelName('whisper-v3'),
      usageType: 'AUDIO_INFERENCE_USAGE',
      audioInputSeconds: 4,
      costNanoUsd: 50_001,
    }),
  ])
  const body = summary({ startTime: '2025-10-08T00:00:00Z', endTime: '2025-10-09T00:00:00Z' }, day)
  const text = (model: string, sku: string, quantity: number, unit: number, total: number) =>
    item('SERVERLESS', `LLM ${sku}`, ['model_bucket', model], ['', ''], quantity, usd('0', unit), usd('0', total))
  t.strictSame(body.lineItems, [
    item(
      'SERVERLESS',
      'Audio Transcription',
      ['model', modelName('whisper-v3')],
      ['type', 'audio_seconds'],
      4,
      usd('0', 25_000),
      usd('0', 50_001),
    ),
    // by SKU, then display name (a model without one is named by its resource name)
    text('Kimi K2.6', 'input tokens (cached)', 500, 160, 41_995),
    text('Kimi K2.6', 'input tokens (uncached)', 1500, 950, 748_031),
    text('Llama 3.1 8B Instruct', 'input tokens (uncached)', 1, 200, 2),
    text(custom, 'input tokens (uncached)', 10, 0, 777),
    text('Kimi K2.6', 'output tokens', 100, 4000, 209_974),
    text('Llama 3.1 8B Instruct', 'output tokens', 1, 200, 1),
    text(custom, 'output tokens', 4, 0, 0),
  ])
  const totalNanos = body.lineItems.reduce((s, i) => s + Number(i.totalCost.units) * 1e9 + i.totalCost.nanos, 0)
  t.equal(totalNanos, 1_000_000 + 3 + 777 + 50_001, 'the sum of the records costNanoUsd, to the nano')
})

t.test("a range's line item past 2^53 nano-USD is still exact to the nano", async t => {
  // one record a day, each at the largest cost a record may have, 2^53 - 1 =
  // 9,007,199,254,740,991 nano-USD, all of it output (only output tokens): the three days total
  // 27,021,597,764,222,973, odd and above 2^54, so no double holds it
  const on = (date: string) =>
    serverlessRecord(`${date}T01:00:00Z`, {
      model: modelName('kimi-k2p6'),
      completionTokens: 1,
      costNanoUsd: Number.MAX_SAFE_INTEGER,
    })
  const days = accountOf([on('2025-10-08'), on('2025-10-09'), on('2025-10-10')])
  const body = summary(
    { startTime: '2025-10-08T00:00:00Z', endTime: '2025-10-11T00:00:00Z', granularity: 'DAILY' },
    days,
  )
  const output = (quantity: number, total: object) =>
    item('SERVERLESS', 'LLM output tokens', ['model_bucket', 'Kimi K2.6'], ['', ''], quantity, usd('0', 4000), total)
  t.strictSame(body.lineItems, [output(3, usd('27021597', 764_222_973))])
  const day = [output(1, usd('9007199', 254_740_991))]
  t.strictSame(
    body.usageBuckets.map(b => b.lineItems),
    [day, day, day],
  )
})
