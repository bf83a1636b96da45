// Serverless inference: the rating function and its parts, a fixture's own cost shared among
// the parts, the row of an aggregate (with the deprecated fields' rules) and the summary's lines.
import t from 'tap'
import { modelPrice } from '../../server/data/prices.js'
import {
  costParts,
  fillServerless,
  isAudio,
  listCostParts,
  serverless,
  type ServerlessRecord,
} from '../../server/streams/serverless.js'
import { rowOf, aggregateOf, DAY, planOf } from './aggregates.js'
import { measure, visiblePart } from '../../server/streams/stream.js'
import { modelName } from '../fixture-records.js'
import { amounts, named } from '../helpers.js'

const KIMI = modelName('kimi-k2p6')
const WHISPER = modelName('whisper-v3')

function record(fields: Partial<ServerlessRecord>): ServerlessRecord {
  return {
    kind: 'serverless',
    account: 'test-co',
    time: Date.parse('2026-05-28T10:00:00Z'),
    annotations: { team: '', project: '', environment: '' },
    model: KIMI,
    apiKeyId: 'key_A',
    apiKeyName: 'a',
    usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
    promptTokens: 0,
    cachedPromptTokens: 0,
    completionTokens: 0,
    audioInputSeconds: 0,
    costNanoUsd: 0,
    ...fields,
  }
}

/** The example of the brief: 2,000 prompt tokens of which 500 cached, 100 completion tokens. */
const KIMI_TOKENS = { promptTokens: 2000, cachedPromptTokens: 500, completionTokens: 100 }

t.test('listCostParts: each part at its published price', async t => {
  // kimi-k2p6: 950 / 160 / 4,000 nano-USD per uncached / cached / output token
  t.same(listCostParts(modelPrice(KIMI), 2000, 500, 100, 0), [1500 * 950, 500 * 160, 100 * 4000, 0])
  t.same(listCostParts(modelPrice(KIMI), 2000, 500, 100, 0), [1_425_000, 80_000, 400_000, 0])
  t.same(listCostParts(modelPrice(modelName('gpt-oss-120b')), 1000, 1000, 0, 0), [0, 15_000, 0, 0])
  t.same(listCostParts(undefined, 2000, 500, 100, 5_000_000), [0, 0, 0, 0], 'an unpriced model rates at 0')
})

t.test('audio is rated per second in whole microseconds, half a nano rounding up', async t => {
  const whisper = modelPrice(WHISPER)
  t.same(listCostParts(whisper, 0, 0, 0, 2_500_000), [0, 0, 0, 62_500]) // 2.5 s x 25,000
  t.same(listCostParts(whisper, 0, 0, 0, 60), [0, 0, 0, 2]) // 0.00006 s x 25,000 = 1.5
  t.same(listCostParts(whisper, 0, 0, 0, 20), [0, 0, 0, 1]) // 0.5
  t.same(listCostParts(whisper, 0, 0, 0, 19), [0, 0, 0, 0]) // 0.475
  t.same(listCostParts(whisper, 1000, 0, 50, 0), [0, 0, 0, 0], 'tokens of an audio model are not rated')
})

t.test("costParts of a record at the list's cost is the list's parts", async t => {
  t.same(costParts(record({ ...KIMI_TOKENS, costNanoUsd: 1_905_000 })), [1_425_000, 80_000, 400_000, 0])
  t.same(costParts(record({ model: WHISPER, audioInputSeconds: 2.5, costNanoUsd: 62_500 })), [0, 0, 0, 62_500])
})

t.test("a fixture's own cost is shared in proportion, leftover nanos to the largest remainders", async t => {
  // 1,000,000 x (1,425,000 / 80,000 / 400,000) / 1,905,000 = 748,031.496 / 41,994.750 / 209,973.753:
  // floors 748,031 + 41,994 + 209,973 = 999,998; the two nanos left go to output (.753), then
  // cached input (.750)
  const parts = costParts(record({ ...KIMI_TOKENS, costNanoUsd: 1_000_000 }))
  t.same(parts, [748_031, 41_995, 209_974, 0])
  t.equal(
    parts.reduce((a, b) => a + b, 0),
    1_000_000,
  )
})

t.test('costParts: a cost above the list, a cost of 0, and a tie between remainders', async t => {
  t.same(costParts(record({ ...KIMI_TOKENS, costNanoUsd: 3_810_000 })), [2_850_000, 160_000, 800_000, 0], 'twice')
  t.same(costParts(record({ ...KIMI_TOKENS, costNanoUsd: 0 })), [0, 0, 0, 0])
  // llama-v3p3-70b: 900 per input and per output token; 1 nano over 900 + 900 is half each: the
  // earlier part (input) takes it
  const tie = record({ model: modelName('llama-v3p3-70b-instruct'), promptTokens: 1, completionTokens: 1 })
  t.same(costParts({ ...tie, costNanoUsd: 1 }), [1, 0, 0, 0])
  t.same(costParts({ ...tie, costNanoUsd: 3 }), [2, 0, 1, 0])
})

t.test('costParts: when the list says 0, all of the cost is input, or audio for audio models', async t => {
  const unpriced = 'accounts/test-co/models/my-tune'
  t.same(costParts(record({ model: unpriced, promptTokens: 10, costNanoUsd: 500 })), [500, 0, 0, 0])
  t.same(
    costParts(record({ model: unpriced, usageType: 'AUDIO_INFERENCE_USAGE', costNanoUsd: 500 })),
    [0, 0, 0, 500],
    'an unpriced model whose record says audio',
  )
  t.same(costParts(record({ model: KIMI, costNanoUsd: 300 })), [300, 0, 0, 0], 'a priced model with no tokens')
  t.same(costParts(record({ model: WHISPER, costNanoUsd: 300 })), [0, 0, 0, 300], 'an audio model with no seconds')
})

t.test('isAudio: by the price when the model has one, else by the usage type', async t => {
  t.equal(isAudio(modelPrice(WHISPER), 'TEXT_COMPLETION_INFERENCE_USAGE'), true)
  t.equal(isAudio(modelPrice(KIMI), 'AUDIO_INFERENCE_USAGE'), false)
  t.equal(isAudio(undefined, 'AUDIO_INFERENCE_USAGE'), true)
  t.equal(isAudio(undefined, 'TEXT_COMPLETION_INFERENCE_USAGE'), false)
})

t.test("a record's quantities by name, and fillServerless's", async t => {
  t.same(
    serverless.quantities.map(q => q.name),
    [
      'promptTokens',
      'cachedPromptTokens',
      'completionTokens',
      'audioInputMicros',
      'inputCostNano',
      'cachedInputCostNano',
      'outputCostNano',
      'audioCostNano',
    ],
  )
  t.same(named(serverless, measure(serverless, record({ ...KIMI_TOKENS, costNanoUsd: 1_000_000 }))), {
    promptTokens: 2000,
    cachedPromptTokens: 500,
    completionTokens: 100,
    inputCostNano: 748_031,
    cachedInputCostNano: 41_995,
    outputCostNano: 209_974,
  })
  t.same(
    named(serverless, measure(serverless, record({ model: WHISPER, audioInputSeconds: 0.1 + 0.2, costNanoUsd: 7500 }))),
    { audioInputMicros: 300_000, audioCostNano: 7500 },
    '0.1 + 0.2 s is 300,000 microseconds exactly',
  )
  const m: number[] = []
  fillServerless(m, modelPrice(KIMI), 2000, 500, 100, 0)
  t.same(named(serverless, m), {
    promptTokens: 2000,
    cachedPromptTokens: 500,
    completionTokens: 100,
    inputCostNano: 1_425_000,
    cachedInputCostNano: 80_000,
    outputCostNano: 400_000,
  })
})

t.test('recordAt turns sums back into a record: cost the sum of the parts, audio in seconds', async t => {
  const template = record({ model: WHISPER, usageType: 'AUDIO_INFERENCE_USAGE' })
  const at = Date.parse('2026-05-28T11:00:00Z')
  t.same(
    serverless.recordAt(
      template,
      at,
      amounts(serverless, { completionTokens: 7, audioInputMicros: 2_500_000, audioCostNano: 62_500 }),
    ),
    record({
      model: WHISPER,
      usageType: 'AUDIO_INFERENCE_USAGE',
      time: at,
      completionTokens: 7,
      audioInputSeconds: 2.5,
      costNanoUsd: 62_500,
    }),
  )
  t.has(
    serverless.recordAt(
      record({}),
      at,
      amounts(serverless, {
        promptTokens: 2000,
        cachedPromptTokens: 500,
        completionTokens: 100,
        inputCostNano: 748_031,
        cachedInputCostNano: 41_995,
        outputCostNano: 209_974,
      }),
    ),
    {
      ...KIMI_TOKENS,
      costNanoUsd: 1_000_000,
    },
  )
})

t.test('a row: int64 counts as strings, the uncached difference, the cost as a number', async t => {
  const agg = aggregateOf({
    group: [KIMI, 'key_A'],
    split: 'TEXT_COMPLETION_INFERENCE_USAGE',
    sums: amounts(serverless, {
      promptTokens: 2000,
      cachedPromptTokens: 500,
      completionTokens: 100,
      inputCostNano: 748_031,
      cachedInputCostNano: 41_995,
      outputCostNano: 209_974,
    }),
    latest: record({}),
  })
  t.same(rowOf(serverless, agg, planOf(serverless, ['model_name', 'api_key_id'])), {
    startTime: DAY.startTime,
    endTime: DAY.endTime,
    usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
    promptTokens: '2000',
    completionTokens: '100',
    cachedPromptTokens: '500',
    uncachedPromptTokens: '1500',
    audioInputSeconds: 0,
    costNanoUsd: 1_000_000,
    group: { model_name: KIMI, api_key_id: 'key_A' },
    modelName: KIMI,
    apiKeyId: 'key_A',
  })
})

t.test('the deprecated modelName and apiKeyId appear only when their dimension is grouped', async t => {
  const row = (groupBy: string[], group: string[]) =>
    rowOf(
      serverless,
      aggregateOf({
        group,
        split: 'TEXT_COMPLETION_INFERENCE_USAGE',
        sums: amounts(serverless, {}),
        latest: record({}),
      }),
      planOf(serverless, groupBy),
    )
  const deprecated = (r: Record<string, unknown>) => [r.modelName, r.apiKeyId]
  t.same(deprecated(row(['api_key_name'], ['a'])), [undefined, undefined])
  t.notOk('modelName' in row(['api_key_name'], ['a']))
  t.notOk('apiKeyId' in row(['api_key_name'], ['a']))
  t.same(deprecated(row(['model_name'], [KIMI])), [KIMI, undefined])
  t.notOk('apiKeyId' in row(['model_name'], [KIMI]))
  t.same(deprecated(row(['api_key_id'], ['key_A'])), [undefined, 'key_A'])
  t.notOk('modelName' in row(['api_key_id'], ['key_A']))
  // read by position in groupBy, whatever the order
  t.same(deprecated(row(['annotations.team', 'api_key_id', 'model_name'], ['search', 'key_B', WHISPER])), [
    WHISPER,
    'key_B',
  ])
  t.same(row([], []).group, {}, 'no grouping: an empty group')
})

t.test('an audio row carries its seconds, from whole microseconds', async t => {
  const agg = aggregateOf({
    group: [WHISPER],
    split: 'AUDIO_INFERENCE_USAGE',
    sums: amounts(serverless, { completionTokens: 7, audioInputMicros: 2_500_001, audioCostNano: 62_500 }),
    latest: record({ model: WHISPER }),
  })
  t.has(rowOf(serverless, agg, planOf(serverless, ['model_name'])), {
    usageType: 'AUDIO_INFERENCE_USAGE',
    promptTokens: '0',
    completionTokens: '7',
    audioInputSeconds: 2.500001,
    costNanoUsd: 62_500,
  })
})

t.test("rows are split by the record's usage type", async t => {
  t.equal(serverless.split!(record({ usageType: 'AUDIO_INFERENCE_USAGE' })), 'AUDIO_INFERENCE_USAGE')
  t.equal(serverless.split!(record({})), 'TEXT_COMPLETION_INFERENCE_USAGE')
})

t.test("summary: one line per price SKU at the model's unit price, named as the live API names them", async t => {
  t.same(serverless.summary.groupBy, ['model_name'])
  const agg = aggregateOf({
    group: [KIMI],
    split: 'TEXT_COMPLETION_INFERENCE_USAGE',
    sums: amounts(serverless, {
      promptTokens: 2000,
      cachedPromptTokens: 500,
      completionTokens: 100,
      inputCostNano: 748_031,
      cachedInputCostNano: 41_995,
      outputCostNano: 209_974,
    }),
    latest: record({}),
  })
  const line = (category: string, quantity: number, unitNano: number, nano: number) => ({
    category,
    grouping: ['model_bucket', 'Kimi K2.6'],
    secondary: ['', ''],
    unitNano,
    quantity,
    scale: 1,
    nano,
  })
  t.same(serverless.summary.lineItems(agg), [
    line('LLM input tokens (uncached)', 1500, 950, 748_031),
    line('LLM input tokens (cached)', 500, 160, 41_995),
    line('LLM output tokens', 100, 4000, 209_974),
  ])
})

t.test('summary: lines with neither quantity nor cost are left out', async t => {
  const agg = aggregateOf({
    group: [KIMI],
    split: 'TEXT_COMPLETION_INFERENCE_USAGE',
    sums: amounts(serverless, {
      promptTokens: 1000,
      completionTokens: 10,
      inputCostNano: 950_000,
      outputCostNano: 40_000,
    }),
    latest: record({}),
  })
  t.same(
    serverless.summary.lineItems(agg).map(p => p.category),
    ['LLM input tokens (uncached)', 'LLM output tokens'],
  )
  const unpriced = 'accounts/test-co/models/my-tune'
  // an unpriced model with a cost of its own: unit price 0, the cost all on input
  t.same(
    serverless.summary.lineItems(
      aggregateOf({
        group: [unpriced],
        split: 'TEXT_COMPLETION_INFERENCE_USAGE',
        sums: amounts(serverless, { inputCostNano: 500 }),
        latest: record({ model: unpriced }),
      }),
    ),
    [
      {
        category: 'LLM input tokens (uncached)',
        // a model without a display name is named by its resource name
        grouping: ['model_bucket', unpriced],
        secondary: ['', ''],
        unitNano: 0,
        quantity: 0,
        scale: 1,
        nano: 500,
      },
    ],
  )
})

t.test('summary: audio models have one line of seconds, counted in microseconds', async t => {
  const line = (model: string, unitNano: number, micros: number, nano: number) => ({
    category: 'Audio Transcription',
    grouping: ['model', model],
    secondary: ['type', 'audio_seconds'],
    unitNano,
    quantity: micros,
    scale: 1e6,
    nano,
  })
  t.same(
    serverless.summary.lineItems(
      aggregateOf({
        group: [WHISPER],
        split: 'AUDIO_INFERENCE_USAGE',
        sums: amounts(serverless, { completionTokens: 7, audioInputMicros: 2_500_000, audioCostNano: 62_500 }),
        latest: record({ model: WHISPER }),
      }),
    ),
    [line(WHISPER, 25_000, 2_500_000, 62_500)],
  )
  const unpriced = 'accounts/test-co/models/my-asr'
  t.same(
    serverless.summary.lineItems(
      aggregateOf({
        group: [unpriced],
        split: 'AUDIO_INFERENCE_USAGE',
        sums: amounts(serverless, { audioInputMicros: 1_000_000, audioCostNano: 900 }),
        latest: record({ model: unpriced, usageType: 'AUDIO_INFERENCE_USAGE' }),
      }),
    ),
    [line(unpriced, 0, 1_000_000, 900)],
    'an unpriced model of the audio usage type',
  )
})

// gpt-oss-20b: 70 / 35 / 300 nano-USD per uncached / cached / output token
const GPT = modelName('gpt-oss-20b')
const GPT_TOKENS = { model: GPT, promptTokens: 1000, cachedPromptTokens: 300, completionTokens: 50 }
const visible = (r: ServerlessRecord, units: number) => visiblePart(serverless, r, measure(serverless, r), 0, units, [])

t.test('a part of a record at list prices: cached and uncached tokens each rounded down, then rated', async t => {
  const r = record({ ...GPT_TOKENS, costNanoUsd: 700 * 70 + 300 * 35 + 50 * 300 })
  // half: 150 cached + 350 uncached = 500 prompt, 25 completion; 350 x 70, 150 x 35, 25 x 300
  t.same(named(serverless, visible(r, 512)), {
    promptTokens: 500,
    cachedPromptTokens: 150,
    completionTokens: 25,
    inputCostNano: 24_500,
    cachedInputCostNano: 5_250,
    outputCostNano: 7_500,
  })
  // 3/1024: cached floor(900 / 1024) = 0, uncached floor(2100 / 1024) = 2, completion floor(150 / 1024) = 0
  t.same(named(serverless, visible(r, 3)), { promptTokens: 2, inputCostNano: 140 })
  t.same(named(serverless, visible(r, 1)), {})
  t.same(visible(r, 1024), measure(serverless, r), 'all of it is the record')
})

t.test('a part of a record with a cost of its own: each of its cost parts rounded down', async t => {
  // 1000 shared as 74,500 is (49,000 / 10,500 / 15,000): 657.7 / 140.9 / 201.3, leftover nanos to
  // the largest remainders: 658 / 141 / 201
  const r = record({ ...GPT_TOKENS, costNanoUsd: 1000 })
  t.same(measure(serverless, r).slice(4), [658, 141, 201, 0])
  t.same(named(serverless, visible(r, 512)), {
    promptTokens: 500,
    cachedPromptTokens: 150,
    completionTokens: 25,
    inputCostNano: 329,
    cachedInputCostNano: 70,
    outputCostNano: 100,
  })
})

t.test('a part of an audio record: whole microseconds rounded down, rated per second', async t => {
  const r = record({ model: WHISPER, usageType: 'AUDIO_INFERENCE_USAGE', audioInputSeconds: 2, costNanoUsd: 50_000 })
  t.same(named(serverless, visible(r, 512)), { audioInputMicros: 1_000_000, audioCostNano: 25_000 })
  // floor(2,000,000 / 1024) = 1953 us; 1953 x 25,000 / 10^6 = 48.825 nano-USD, rounded to 49
  t.same(named(serverless, visible(r, 1)), { audioInputMicros: 1953, audioCostNano: 49 })
})

t.test('every amount of a part only grows as more arrives, and prompt stays cached + uncached', async t => {
  const records = [
    record({ ...GPT_TOKENS, costNanoUsd: 700 * 70 + 300 * 35 + 50 * 300 }),
    record({ ...GPT_TOKENS, promptTokens: 7, cachedPromptTokens: 5, costNanoUsd: 333 }),
    record({ model: WHISPER, usageType: 'AUDIO_INFERENCE_USAGE', audioInputSeconds: 0.77, costNanoUsd: 19_250 }),
  ]
  for (const r of records) {
    let last = visible(r, 0)
    for (let units = 1; units <= 1024; units++) {
      const m = visible(r, units)
      if (m.some((v, q) => v < (last[q] as number)))
        t.fail(`${JSON.stringify(last)} -> ${JSON.stringify(m)} at ${units}`)
      if ((m[1] as number) > (m[0] as number)) t.fail(`cached above prompt at ${units}`)
      last = m
    }
    t.same(last, measure(serverless, r))
  }
})
