// From rows to records, per stream, with hand-written rows: which field each value goes to, the
// amounts spread over the hours (the rhythm's weights in hundredths: 55, 45, 38, ... from 00:00
// UTC, 1559 a day), the serverless cost rated hour by hour when it is the list's, and rows that
// cannot become records.
import t from 'tap'
import { captureOf, CAPTURES, readRow, toEntries, type Row, type StreamCapture } from '../../server/capture/rows.js'
import { join } from '../../server/capture/grouping.js'

const DAY = [55, 45, 38, 32, 30, 30, 32, 38, 45, 52, 60, 68, 76, 85, 95, 100, 100, 98, 95, 90, 85, 78, 70, 62]
const FROM = Date.parse('2026-05-01T00:00:00Z')
const TO = Date.parse('2026-06-01T00:00:00Z')
const of = (kind: string) => captureOf(kind) as StreamCapture
const dims = (kind: string) => Object.keys(of(kind).spec.dimensions)
const entriesOf = (kind: string, row: Row) => toEntries(of(kind), readRow(of(kind), row, dims(kind), FROM, TO), 'acme')

const kimiRow = (fields: Row): Row => ({
  startTime: '2026-05-28T00:00:00Z',
  endTime: '2026-05-29T00:00:00Z',
  usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
  group: {
    model_name: 'accounts/fireworks/models/kimi-k2p6',
    api_key_id: 'key_AcmeProd00000001',
    api_key_name: 'prod-eng',
    'annotations.team': 'search',
    'annotations.project': '',
    'annotations.environment': 'prod',
  },
  ...fields,
})

t.test('every fixture field of every stream is filled from a row', async t => {
  for (const capture of CAPTURES) {
    const row: Row = { baseModel: 'm', placement: 'US', usageType: 'u', trainingSessionId: 's' }
    const filled = new Set([
      ...Object.values(capture.fieldOf),
      ...Object.keys(capture.attributes(row)),
      ...Object.keys(capture.quantities(capture.amounts({}))),
    ])
    t.same(
      Object.keys(capture.spec.fields).filter(f => !filled.has(f)),
      [],
      `${capture.spec.kind}: none left out`,
    )
    t.ok(
      capture.identity.every(d => d in capture.spec.dimensions),
      `${capture.spec.kind}: its identity is dimensions`,
    )
  }
})

t.test('serverless: a day at list price is rated hour by hour, the hours summing to the day', async t => {
  // kimi-k2p6: 950 nano-USD per uncached input token; 1559 uncached tokens cost 1,481,050.
  const { entries, unknown, problem } = entriesOf(
    'serverless',
    kimiRow({ promptTokens: '1559', cachedPromptTokens: '0', completionTokens: '0', costNanoUsd: 1_481_050 }),
  )
  t.equal(problem, undefined)
  t.same(unknown, [])
  t.equal(entries.length, 24)
  t.same(entries[0], {
    kind: 'serverless',
    account: 'acme',
    time: '2026-05-28T00:00:00Z',
    model: 'accounts/fireworks/models/kimi-k2p6',
    apiKeyId: 'key_AcmeProd00000001',
    apiKeyName: 'prod-eng',
    usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
    promptTokens: 55,
    cachedPromptTokens: 0,
    completionTokens: 0,
    audioInputSeconds: 0,
    costNanoUsd: 52_250,
    annotations: { team: 'search', environment: 'prod' },
  })
  t.same(
    entries.map(e => e.costNanoUsd),
    DAY.map(w => w * 950),
  )
})

t.test('serverless: a cost of its own is shared by the rhythm; cached tokens never exceed prompt tokens', async t => {
  // 7 nano-USD: every share rounds down to 0, the 7 units go to the 7 largest weights (100 at
  // 15:00 and 16:00, 98 at 17:00, 95 at 14:00 and 18:00, 90 at 19:00, 85 at 13:00 before 20:00).
  const { entries } = entriesOf(
    'serverless',
    kimiRow({ promptTokens: '3118', cachedPromptTokens: '1559', completionTokens: '1', costNanoUsd: 7 }),
  )
  t.same(
    entries
      .map(e => [(e.time as string).slice(11, 13), e.costNanoUsd])
      .filter(([, cost]) => cost !== 0)
      .map(([hour]) => hour),
    ['13', '14', '15', '16', '17', '18', '19'],
  )
  t.same(
    entries.map(e => [e.promptTokens, e.cachedPromptTokens]),
    DAY.map(w => [2 * w, w]),
  )
  t.same(
    entries.map(e => e.completionTokens),
    DAY.map((_, h) => (h === 15 ? 1 : 0)),
  )
})

t.test('serverless: absent amounts are 0 (proto3 JSON leaves zeros out); audio in microseconds', async t => {
  const row = kimiRow({ usageType: 'AUDIO_INFERENCE_USAGE', audioInputSeconds: 15.59 })
  row.group = { ...(row.group as object), model_name: 'accounts/fireworks/models/whisper-v3' }
  const { entries } = entriesOf('serverless', row)
  t.same(
    entries.map(e => e.audioInputSeconds),
    DAY.map(w => (w * 10_000) / 1e6),
  )
  t.ok(entries.every(e => e.promptTokens === 0 && e.costNanoUsd === 0))
})

t.test('dedicated: a row clipped to three hours, its placement unknown, annotations only where set', async t => {
  const { entries } = entriesOf('dedicated', {
    startTime: '2026-05-28T00:00:00Z',
    endTime: '2026-05-28T03:00:00Z',
    usageType: 'DEDICATED_DEPLOYMENT_USAGE',
    acceleratorSeconds: '10',
    deploymentId: 'dep-a',
    baseModel: 'accounts/fireworks/models/kimi-k2p6',
    placement: 'REGION_UNSPECIFIED',
    acceleratorType: 'NVIDIA_H100_80GB',
    group: {
      deployment_name: 'accounts/acme/deployments/dep-a',
      accelerator_type: 'NVIDIA_H100_80GB',
      'annotations.team': 'search',
      'annotations.project': '',
      'annotations.environment': '',
    },
  })
  // 10 over weights 55, 45, 38: 4, 3, 3
  t.same(
    entries.map(e => [e.time, e.acceleratorSeconds]),
    [
      ['2026-05-28T00:00:00Z', 4],
      ['2026-05-28T01:00:00Z', 3],
      ['2026-05-28T02:00:00Z', 3],
    ],
  )
  t.same(entries[0], {
    kind: 'dedicated',
    account: 'acme',
    time: '2026-05-28T00:00:00Z',
    deployment: 'accounts/acme/deployments/dep-a',
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 4,
    baseModel: 'accounts/fireworks/models/kimi-k2p6',
    usageType: 'DEDICATED_DEPLOYMENT_USAGE',
    annotations: { team: 'search' },
  })
})

t.test('training: a job type the mock does not know is recorded with the default, and named', async t => {
  const { entries, unknown } = entriesOf('training', {
    startTime: '2026-05-28T23:00:00Z',
    endTime: '2026-05-29T00:00:00Z',
    tokens: '5000',
    trainingSessionId: 'sess-1',
    group: {
      job_id: 'job-1',
      job_type: 'DISTILLATION',
      usage_type: 'TRAINING_TOKENS',
      accelerator_type: '',
      base_model: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
    },
  })
  t.same(unknown, [{ field: 'jobType', value: 'DISTILLATION' }])
  t.same(entries, [
    {
      kind: 'training',
      account: 'acme',
      time: '2026-05-28T23:00:00Z',
      jobId: 'job-1',
      usageType: 'TRAINING_TOKENS',
      tokens: 5000,
      acceleratorSeconds: 0,
      baseModel: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
      trainingSessionId: 'sess-1',
    },
  ])
})

t.test('rows that cannot become records say why', async t => {
  const problem = (kind: string, row: Row) => entriesOf(kind, row).problem
  t.equal(
    problem('serverless', kimiRow({ promptTokens: '10', cachedPromptTokens: '11' })),
    'cachedPromptTokens 11 exceeds promptTokens 10',
  )
  t.equal(
    problem('serverless', kimiRow({ promptTokens: '1e3' })),
    'promptTokens "1e3" is not a non-negative integer below 2^53',
  )
  t.equal(
    problem('serverless', kimiRow({ promptTokens: '9007199254740993' })),
    'promptTokens "9007199254740993" is not a non-negative integer below 2^53',
  )
  t.equal(problem('serverless', kimiRow({ costNanoUsd: -5 })), 'costNanoUsd -5 is not a non-negative number')
  t.equal(
    problem('dedicated', { startTime: 'yesterday', endTime: '2026-05-29T00:00:00Z', group: {} }),
    'startTime "yesterday" or endTime "2026-05-29T00:00:00Z" is not a timestamp',
  )
})

t.test('a row is clipped to the window it was asked for', async t => {
  const part = readRow(
    of('dedicated'),
    { startTime: '2026-05-28T00:00:00Z', endTime: '2026-05-29T00:00:00Z' },
    [],
    Date.parse('2026-05-28T06:00:00.250Z'),
    Date.parse('2026-05-28T08:00:00Z'),
  )
  t.same([part.startMs, part.endMs], [Date.parse('2026-05-28T06:00:00.250Z'), Date.parse('2026-05-28T08:00:00Z')])
})

t.test('join: a series with one row on a side takes its values; several on both sides stay unjoined', async t => {
  const capture = of('serverless')
  const part = (values: Record<string, string>, tokens: number) => ({
    startMs: 0,
    endMs: 1,
    split: 'TEXT_COMPLETION_INFERENCE_USAGE',
    values: { model_name: 'm', api_key_id: 'k', ...values },
    attributes: {},
    amounts: { tokens },
  })
  // m/k: one team on the left, two projects on the right: two rows, each with the team.
  const joined = join(
    capture,
    [part({ 'annotations.team': 'a' }, 3)],
    [part({ 'annotations.project': 'x' }, 1), part({ 'annotations.project': 'y' }, 2)],
  )
  t.same(
    joined.map(p => [p.values, p.amounts.tokens]),
    [
      [{ model_name: 'm', api_key_id: 'k', 'annotations.team': 'a', 'annotations.project': 'x' }, 1],
      [{ model_name: 'm', api_key_id: 'k', 'annotations.team': 'a', 'annotations.project': 'y' }, 2],
    ],
  )
  const unjoined = join(
    capture,
    [part({ 'annotations.team': 'a' }, 1), part({ 'annotations.team': 'b' }, 2)],
    [part({ 'annotations.project': 'x' }, 2), part({ 'annotations.project': 'y' }, 1)],
  )
  t.same(
    unjoined.map(p => p.values),
    [
      { model_name: 'm', api_key_id: 'k', 'annotations.team': 'a' },
      { model_name: 'm', api_key_id: 'k', 'annotations.team': 'b' },
    ],
    'the left side, without projects',
  )
  const other = { ...part({ 'annotations.project': 'x' }, 1), startMs: 5 }
  t.same(
    join(capture, [part({ 'annotations.team': 'a' }, 1)], [other]).map(p => p.values),
    [
      { model_name: 'm', api_key_id: 'k', 'annotations.team': 'a' },
      { model_name: 'm', api_key_id: 'k', 'annotations.project': 'x' },
    ],
    'rows of different days do not join',
  )
})
