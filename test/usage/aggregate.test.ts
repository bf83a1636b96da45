// The aggregation engine called directly over hand-written records: select -> bucket -> filter
// -> group -> sum -> sort. Buckets are written out by hand too (Kathmandu-like days that start
// at 18:15Z), so nothing here leans on bucketsFor. Sums are worked out by hand from the price
// list (nano-USD per token: gpt-oss-20b 70 / 35 / 300, kimi-k2p6 950 / 160 / 4000; whisper-v3
// 25,000 per second).
import t from 'tap'
import { recordsIn } from '../../server/data/source.js'
import { buildWorld, type WorldAccount } from '../../server/data/world.js'
import { dedicated } from '../../server/streams/dedicated.js'
import { AT, costOf, serverless } from '../../server/streams/serverless.js'
import type { StreamSpec } from '../../server/model/stream.js'
import type { UsageRecord } from '../../server/model/records.js'
import { aggregateUsage, compareAggregates } from '../../server/usage/aggregate.js'
import { bucketsFor } from '../../server/usage/buckets.js'
import { planOf } from '../../server/usage/plan.js'
import { HourlySums } from '../../server/usage/hourly-sums.js'
import { HOUR_MS } from '../../server/time.js'
import { type Aggregate, type Window } from '../../server/model/stream.js'
import type { Bucket } from '../../server/model/bucket.js'
import { dedicatedRecord, fixtureWorld, modelName, serverlessRecord } from '../helpers.js'

const at = (iso: string) => Date.parse(iso)
const bucket = (start: string, end: string): Bucket => ({
  startMs: at(start),
  endMs: at(end),
  startTime: start,
  endTime: end,
})
const accountOf = (records: object[]): WorldAccount => fixtureWorld(records).accounts.get('test-co')!
const LATER = at('2027-01-01T00:00:00Z')

/** One UTC day, 2026-05-01, and a window over exactly it. */
const MAY1 = [bucket('2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z')]
const MAY1_WINDOW: Window = { fromMs: at('2026-05-01T00:00:00Z'), toMs: at('2026-05-02T00:00:00Z'), nowMs: LATER }

function aggregate<R extends UsageRecord>(
  account: WorldAccount,
  spec: StreamSpec<R>,
  groupBy: string[],
  filters: [string, string[]][] = [],
  window: Window = MAY1_WINDOW,
  buckets: Bucket[] = MAY1,
): Aggregate<R>[] {
  const plan = planOf(spec, groupBy, filters)
  return aggregateUsage(account, plan, window, buckets)
}
/** What a test compares: bucket, group values, split and sums. */
const brief = (aggs: Aggregate[]) => aggs.map(a => [a.bucketIndex, a.group, a.split, a.sums])

t.test('serverless records are grouped and summed per group, costs in the list parts', async t => {
  const account = accountOf([
    // gpt-oss-20b, key a: input 80 x 70 = 5,600, cached 20 x 35 = 700, output 10 x 300 = 3,000
    serverlessRecord('2026-05-01T01:00:00Z', { promptTokens: 100, cachedPromptTokens: 20, completionTokens: 10 }),
    // gpt-oss-20b, key b: 50 x 70 = 3,500, 0, 5 x 300 = 1,500
    serverlessRecord('2026-05-01T02:00:00Z', {
      apiKeyId: 'key_B',
      apiKeyName: 'b',
      promptTokens: 50,
      completionTokens: 5,
    }),
    // kimi-k2p6, key a: 10 x 950 = 9,500, 0, 1 x 4,000
    serverlessRecord('2026-05-01T03:00:00Z', { model: modelName('kimi-k2p6'), promptTokens: 10, completionTokens: 1 }),
  ])
  const TEXT = 'TEXT_COMPLETION_INFERENCE_USAGE'
  t.strictSame(brief(aggregate(account, serverless, ['model_name'])), [
    [0, [modelName('gpt-oss-20b')], TEXT, [150, 20, 15, 0, 9100, 700, 4500, 0]],
    [0, [modelName('kimi-k2p6')], TEXT, [10, 0, 1, 0, 9500, 0, 4000, 0]],
  ])
  t.strictSame(brief(aggregate(account, serverless, ['api_key_name', 'model_name'])), [
    [0, ['a', modelName('gpt-oss-20b')], TEXT, [100, 20, 10, 0, 5600, 700, 3000, 0]],
    [0, ['a', modelName('kimi-k2p6')], TEXT, [10, 0, 1, 0, 9500, 0, 4000, 0]],
    [0, ['b', modelName('gpt-oss-20b')], TEXT, [50, 0, 5, 0, 3500, 0, 1500, 0]],
  ])
  t.strictSame(
    brief(aggregate(account, serverless, [])),
    [[0, [], TEXT, [160, 20, 16, 0, 18600, 700, 8500, 0]]],
    'no grouping: one daily total',
  )
})

t.test('filters: values of one dimension are ORed, different dimensions ANDed', async t => {
  // seconds are powers of two, so every selection has a sum of its own
  const account = accountOf([
    dedicatedRecord('2026-05-01T01:00:00Z', { acceleratorSeconds: 1, annotations: { team: 'x' } }),
    dedicatedRecord('2026-05-01T02:00:00Z', {
      acceleratorType: 'NVIDIA_A100_80GB',
      acceleratorSeconds: 2,
      annotations: { team: 'y' },
    }),
    dedicatedRecord('2026-05-01T03:00:00Z', {
      deployment: 'accounts/test-co/deployments/dep-b',
      acceleratorSeconds: 4,
      annotations: { team: 'y' },
    }),
    dedicatedRecord('2026-05-01T04:00:00Z', {
      deployment: 'accounts/test-co/deployments/dep-b',
      acceleratorType: 'NVIDIA_A100_80GB',
      acceleratorSeconds: 8,
    }),
    dedicatedRecord('2026-05-01T05:00:00Z', {
      deployment: 'accounts/test-co/deployments/dep-c',
      acceleratorSeconds: 16,
      annotations: { team: 'x', environment: 'prod' },
    }),
  ])
  const dep = (id: string) => `accounts/test-co/deployments/${id}`
  const total = (filters: [string, string[]][]) =>
    aggregate(account, dedicated, [], filters).map(a => a.sums[0] as number)
  t.strictSame(total([]), [31])
  t.strictSame(total([['accelerator_type', ['NVIDIA_H100_80GB']]]), [1 + 4 + 16])
  t.strictSame(total([['accelerator_type', ['NVIDIA_H100_80GB', 'NVIDIA_A100_80GB']]]), [31], 'OR within')
  t.strictSame(
    total([
      ['deployment_name', [dep('dep-a'), dep('dep-b')]],
      ['accelerator_type', ['NVIDIA_A100_80GB']],
    ]),
    [2 + 8],
    'AND across',
  )
  t.strictSame(total([['annotations.team', ['']]]), [8], '"" selects records without the annotation')
  t.strictSame(
    total([
      ['annotations.team', ['x', 'y']],
      ['deployment_name', [dep('dep-b')]],
      ['annotations.environment', ['']],
    ]),
    [4],
  )
  t.strictSame(total([['deployment_name', [dep('dep-z')]]]), [], 'nothing selected: no aggregate at all')
  t.strictSame(total([['deployment_name', []]]), [], 'an empty set of values selects nothing')
  // a filtered dimension need not be grouped, and grouping keeps the filter
  t.strictSame(brief(aggregate(account, dedicated, ['deployment_name'], [['annotations.team', ['y']]])), [
    [0, [dep('dep-a')], '', [2]],
    [0, [dep('dep-b')], '', [4]],
  ])
})

t.test('serverless rows are split by usage type, even within one group; other streams have no split', async t => {
  const custom = 'accounts/test-co/models/custom-audio-text'
  const account = accountOf([
    // whisper-v3: 2 s = 2,000,000 us, 2 x 25,000 = 50,000 nano-USD
    serverlessRecord('2026-05-01T01:00:00Z', {
      model: modelName('whisper-v3'),
      usageType: 'AUDIO_INFERENCE_USAGE',
      audioInputSeconds: 2,
    }),
    // gpt-oss-20b: 7 x 70 = 490
    serverlessRecord('2026-05-01T02:00:00Z', { promptTokens: 7 }),
    // an unpriced model with both usage types and costs of their own
    serverlessRecord('2026-05-01T03:00:00Z', {
      model: custom,
      usageType: 'AUDIO_INFERENCE_USAGE',
      audioInputSeconds: 1.5,
      costNanoUsd: 11,
    }),
    serverlessRecord('2026-05-01T04:00:00Z', { model: custom, promptTokens: 3, costNanoUsd: 13 }),
    dedicatedRecord('2026-05-01T05:00:00Z', { acceleratorSeconds: 60 }),
  ])
  const AUDIO = 'AUDIO_INFERENCE_USAGE'
  const TEXT = 'TEXT_COMPLETION_INFERENCE_USAGE'
  t.strictSame(brief(aggregate(account, serverless, [])), [
    [0, [], AUDIO, [0, 0, 0, 3_500_000, 0, 0, 0, 50_000 + 11]],
    [0, [], TEXT, [10, 0, 0, 0, 490 + 13, 0, 0, 0]],
  ])
  t.strictSame(brief(aggregate(account, serverless, ['model_name'])), [
    [0, [modelName('gpt-oss-20b')], TEXT, [7, 0, 0, 0, 490, 0, 0, 0]],
    [0, [modelName('whisper-v3')], AUDIO, [0, 0, 0, 2_000_000, 0, 0, 0, 50_000]],
    [0, [custom], AUDIO, [0, 0, 0, 1_500_000, 0, 0, 0, 11]],
    [0, [custom], TEXT, [3, 0, 0, 0, 13, 0, 0, 0]],
  ])
  t.strictSame(brief(aggregate(account, dedicated, [])), [[0, [], '', [60]]])
})

t.test("each aggregate's latest record is its group's latest in that bucket; a later input wins a tie", async t => {
  const placed = (time: string, placement: string) =>
    dedicatedRecord(time, { placement, acceleratorSeconds: 1, deployment: 'accounts/test-co/deployments/dep-a' })
  const account = accountOf([
    placed('2026-05-01T10:00:00Z', 'US_IOWA_1'),
    placed('2026-05-01T12:00:00Z', 'EU_FRANKFURT_1'),
    placed('2026-05-01T12:00:00Z', 'AP_TOKYO_1'), // same time, later in the file: wins
    placed('2026-05-01T11:00:00Z', 'US_VIRGINIA_1'), // later in the file, earlier in time: does not
    placed('2026-05-02T01:00:00Z', 'GLOBAL'), // the next day has its own latest
    placed('2026-05-02T00:30:00Z', 'US'),
  ])
  const days = [
    bucket('2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'),
    bucket('2026-05-02T00:00:00Z', '2026-05-03T00:00:00Z'),
  ]
  const window = { fromMs: days[0]!.startMs, toMs: days[1]!.endMs, nowMs: LATER }
  const aggs = aggregate(account, dedicated, ['deployment_name'], [], window, days)
  t.strictSame(
    aggs.map(a => [a.bucketIndex, a.sums, a.latest.placement, a.latestTime]),
    [
      [0, [4], 'AP_TOKYO_1', at('2026-05-01T12:00:00Z')],
      [1, [2], 'GLOBAL', at('2026-05-02T01:00:00Z')],
    ],
  )
})

// Kathmandu-like local days (+05:45) clipped to a window from 06:00Z on May 1 to midnight UTC
// on May 3: three buckets with bounds at 18:15Z.
const LOCAL_DAYS = [
  bucket('2026-05-01T06:00:00Z', '2026-05-01T18:15:00Z'),
  bucket('2026-05-01T18:15:00Z', '2026-05-02T18:15:00Z'),
  bucket('2026-05-02T18:15:00Z', '2026-05-03T00:00:00Z'),
]

t.test('a record at a bucket bound belongs to the later bucket; the window and now bound what counts', async t => {
  const seconds = (time: string, acceleratorSeconds: number) => dedicatedRecord(time, { acceleratorSeconds })
  const account = accountOf([
    seconds('2026-05-01T05:59:59.999Z', 1), // before the window
    seconds('2026-05-01T06:00:00Z', 2), // at its start: counted
    seconds('2026-05-01T18:14:59.999Z', 4),
    seconds('2026-05-01T18:15:00Z', 8),
    seconds('2026-05-02T18:14:59.999Z', 16),
    seconds('2026-05-02T18:15:00Z', 32),
    seconds('2026-05-02T23:59:59.999Z', 64),
    seconds('2026-05-03T00:00:00Z', 128), // at its end: not counted
  ])
  const window = { fromMs: at('2026-05-01T06:00:00Z'), toMs: at('2026-05-03T00:00:00Z'), nowMs: LATER }
  const sums = (w: Window) =>
    aggregate(account, dedicated, [], [], w, LOCAL_DAYS).map(a => [a.bucketIndex, a.sums[0], a.bucket])
  t.strictSame(sums(window), [
    [0, 2 + 4, LOCAL_DAYS[0]],
    [1, 8 + 16, LOCAL_DAYS[1]],
    [2, 32 + 64, LOCAL_DAYS[2]],
  ])
  t.strictSame(
    sums({ ...window, nowMs: at('2026-05-02T23:59:59.999Z') }),
    [
      [0, 6, LOCAL_DAYS[0]],
      [1, 24, LOCAL_DAYS[1]],
      [2, 32, LOCAL_DAYS[2]],
    ],
    'a record exactly at now does not exist yet',
  )
  t.strictSame(
    sums({ ...window, nowMs: at('2026-05-02T18:15:00Z') }),
    [
      [0, 6, LOCAL_DAYS[0]],
      [1, 24, LOCAL_DAYS[1]],
    ],
    'a bucket with nothing in it has no aggregate',
  )
})

t.test('sorted by bucket, then the group values in groupBy order as strings, then the split', async t => {
  const use = (time: string, apiKeyName: string, model: string, usageType = 'TEXT_COMPLETION_INFERENCE_USAGE') =>
    serverlessRecord(time, { apiKeyName, model: `accounts/test-co/models/${model}`, usageType, promptTokens: 1 })
  // written in an order unlike the expected one
  const account = accountOf([
    use('2026-05-02T01:00:00Z', '', 'm1'),
    use('2026-05-01T01:00:00Z', 'a', 'm2'),
    use('2026-05-01T02:00:00Z', 'B', 'm1'),
    use('2026-05-01T03:00:00Z', 'a', 'm10'),
    use('2026-05-01T04:00:00Z', 'é', 'm1'),
    use('2026-05-01T05:00:00Z', 'f', 'm1'),
    use('2026-05-01T06:00:00Z', '9', 'm1'),
    use('2026-05-01T07:00:00Z', '10', 'm1'),
    use('2026-05-01T08:00:00Z', 'a', 'm10', 'AUDIO_INFERENCE_USAGE'),
    use('2026-05-01T09:00:00Z', '', 'm1'),
  ])
  const days = [
    bucket('2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'),
    bucket('2026-05-02T00:00:00Z', '2026-05-03T00:00:00Z'),
  ]
  const window = { fromMs: days[0]!.startMs, toMs: days[1]!.endMs, nowMs: LATER }
  const order = aggregate(account, serverless, ['api_key_name', 'model_name'], [], window, days).map(a => [
    a.bucketIndex,
    a.group.map(v => v.replace('accounts/test-co/models/', '')),
    a.split.slice(0, 4),
  ])
  // UTF-16 code units, not locale order: '10' < '9' < 'B' < 'a' < 'f' < 'é'; 'm10' < 'm2'
  t.strictSame(order, [
    [0, ['', 'm1'], 'TEXT'],
    [0, ['10', 'm1'], 'TEXT'],
    [0, ['9', 'm1'], 'TEXT'],
    [0, ['B', 'm1'], 'TEXT'],
    [0, ['a', 'm10'], 'AUDI'],
    [0, ['a', 'm10'], 'TEXT'],
    [0, ['a', 'm2'], 'TEXT'],
    [0, ['f', 'm1'], 'TEXT'],
    [0, ['é', 'm1'], 'TEXT'],
    [1, ['', 'm1'], 'TEXT'],
  ])
})

t.test('compareAggregates: bucket first, then each group value, then the split', async t => {
  const latest = {
    kind: 'dedicated',
    account: 'test-co',
    time: 0,
    annotations: { team: '', project: '', environment: '' },
  }
  // only the bucket index, the group and the split take part in the order
  const agg = (bucketIndex: number, group: string[], split = ''): Aggregate => ({
    bucket: MAY1[0]!,
    bucketIndex,
    group,
    split,
    sums: [],
    records: 0,
    latest,
    latestTime: 0,
  })
  const sign = (a: Aggregate, b: Aggregate) => Math.sign(compareAggregates(a, b))
  t.equal(sign(agg(0, ['z']), agg(1, ['a'])), -1, 'an earlier bucket first, whatever the group')
  t.equal(sign(agg(2, ['a']), agg(1, ['z'])), 1)
  t.equal(sign(agg(0, ['a', 'z']), agg(0, ['b', 'a'])), -1, 'the first value decides')
  t.equal(sign(agg(0, ['a', 'b']), agg(0, ['a', 'a'])), 1, 'then the second')
  t.equal(sign(agg(0, ['B']), agg(0, ['a'])), -1, 'by code unit: upper case before lower case')
  t.equal(sign(agg(0, ['']), agg(0, ['0'])), -1, '"" before anything')
  t.equal(sign(agg(0, ['a'], 'TEXT'), agg(0, ['a'], 'AUDIO')), 1, 'then the split')
  t.equal(sign(agg(0, ['a'], 'AUDIO'), agg(0, ['a'], 'AUDIO')), 0)
  t.equal(sign(agg(3, []), agg(3, [])), 0, 'no grouping, one bucket: equal')
})

t.test('a dimension the stream lacks is a programming error, even one named like an Object member', async t => {
  const account = accountOf([])
  for (const d of ['deployment_name', 'constructor', '__proto__'])
    t.throws(() => aggregate(account, serverless, [d]), { message: `dimension ${d} does not apply to serverless` }, d)
  t.throws(() => aggregate(account, dedicated, [], [['job_id', ['x']]]), {
    message: 'dimension job_id does not apply to dedicated',
  })
})

t.test('synthetic series, which visit buckets in order: each bucket sums the raw records in it', async t => {
  // A tiny synthetic account: its records as the export reads them (/_mock/records), bucketed by
  // a plain scan, against the engine's per-series bucket search.
  const world = buildWorld({
    seed: 11,
    spec: {
      start: '2026-01-01T00:00:00Z',
      accounts: [
        {
          account: 'tiny',
          scale: 0.02,
          keys: 2,
          models: ['gpt-oss-20b', 'whisper-v3'],
          deployments: 1,
          trainingJobsPerMonth: 0,
        },
      ],
    },
    files: [],
  })
  const account = world.accounts.get('tiny')!
  const window = { fromMs: LOCAL_DAYS[0]!.startMs, toMs: LOCAL_DAYS[2]!.endMs, nowMs: at('2026-05-02T21:00:00Z') }
  const raw = recordsIn(account, serverless, window)
  const expected = new Map<string, number[]>()
  for (const r of raw) {
    const b = LOCAL_DAYS.findIndex(d => d.startMs <= r.time && r.time < d.endMs)
    const key = `${b} ${r.model} ${r.usageType}`
    const sums = expected.get(key) ?? [0, 0, 0, 0, 0]
    const add = [r.promptTokens, r.cachedPromptTokens, r.completionTokens, r.audioInputSeconds * 1e6, r.costNanoUsd]
    expected.set(
      key,
      sums.map((s, i) => s + Math.round(add[i]!)),
    )
  }
  const got = new Map(
    aggregate(account, serverless, ['model_name'], [], window, LOCAL_DAYS).map(a => [
      `${a.bucketIndex} ${a.group[0]} ${a.split}`,
      [
        ...(['promptTokens', 'cachedPromptTokens', 'completionTokens', 'audioInputMicros'] as const).map(
          q => a.sums[AT[q]],
        ),
        costOf(a.sums),
      ],
    ]),
  )
  t.strictSame(got, expected)
  t.equal(new Set([...expected.keys()].map(k => k.split(' ')[0])).size, 3, 'usage in every bucket')
  t.ok(
    [...expected.keys()].some(k => k.includes('AUDIO')),
    'audio usage among it',
  )
})

t.test(
  'a plan another plan has read the window for is added up from the sums per series: the same aggregates as its raw records',
  async t => {
    // Thirteen Kathmandu days (bounds at :15 past the hour, three blocks of 128 hours): the raw
    // records (/_mock/records' listing, series by series) bucketed and grouped by a plain scan,
    // the latest of a group its record of the latest hour, the later listed on a tie.
    const world = buildWorld({
      seed: 5,
      spec: {
        start: '2026-01-01T00:00:00Z',
        accounts: [
          {
            account: 'small',
            scale: 0.05,
            keys: 5,
            models: ['gpt-oss-20b', 'qwen3-8b', 'whisper-v3'],
            deployments: 3,
            trainingJobsPerMonth: 0,
          },
        ],
      },
      files: [],
    })
    const account = world.accounts.get('small')!
    const window = { fromMs: at('2026-04-24T18:15:00Z'), toMs: at('2026-05-07T18:15:00Z'), nowMs: LATER }
    const buckets = bucketsFor(window.fromMs, window.toMs, 'Asia/Kathmandu')
    t.equal(buckets.length, 13)
    const byHand = <R extends UsageRecord>(spec: StreamSpec<R>, groupBy: string[], filters: [string, string[]][]) => {
      const out = new Map<string, { sums: number[]; records: number; latest: R }>()
      for (const r of recordsIn(account, spec, window)) {
        if (!filters.every(([d, values]) => values.includes(spec.dimensions[d]!(r)))) continue
        const b = buckets.findIndex(x => x.startMs <= r.time && r.time < x.endMs)
        const key = [b, ...groupBy.map(d => spec.dimensions[d]!(r)), spec.split?.(r) ?? ''].join('|')
        const entry = out.get(key) ?? { sums: spec.quantities.map(() => 0), records: 0, latest: r }
        spec.quantities.forEach((q, i) => (entry.sums[i] = entry.sums[i]! + q.of(r)))
        entry.records++
        if (r.time >= entry.latest.time) entry.latest = r
        out.set(key, entry)
      }
      return out
    }
    const sums = new HourlySums(64 << 20)
    const engine = { sums }
    const run = <R extends UsageRecord>(spec: StreamSpec<R>, groupBy: string[], filters: [string, string[]][] = []) => {
      const plan = planOf(spec, groupBy, filters)
      const got = new Map(
        aggregateUsage(account, plan, window, buckets, engine).map(a => [
          [a.bucketIndex, ...a.group, a.split].join('|'),
          // The latest record as a record of the stream (its time and the group's sums aside).
          { sums: a.sums, records: a.records, latest: spec.recordAt(a.latest, a.latestTime, a.sums) },
        ]),
      )
      const expected = byHand(spec, groupBy, filters)
      for (const e of expected.values()) e.latest = spec.recordAt(e.latest, e.latest.time, e.sums)
      return { got, expected, plan }
    }
    // The first plan of the window sums its own blocks; every later one reads the series'.
    run(serverless, ['model_name'])
    run(dedicated, ['deployment_name'])
    const plans: [StreamSpec<never>, string[], [string, string[]][]][] = [
      [serverless, ['api_key_id'], []],
      [serverless, ['annotations.team', 'model_name'], []],
      [serverless, ['api_key_name'], [['model_name', ['accounts/fireworks/models/qwen3-8b']]]],
      [serverless, [], [['annotations.environment', ['prod', 'dev']]]],
      [dedicated, ['accelerator_type'], []],
    ] as never
    for (const [spec, groupBy, filters] of plans) {
      const { got, expected, plan } = run(spec, groupBy, filters)
      const name = `${spec.kind} by ${groupBy.join(', ') || 'nothing'}${filters.length ? ' filtered' : ''}`
      t.ok(expected.size > 13, `${name}: several groups a day`)
      t.strictSame(got, expected, name)
      const hour = Math.ceil(window.fromMs / HOUR_MS)
      t.equal(
        sums.keptBlock(account.synthetic!, plan, hour, window.nowMs / HOUR_MS),
        undefined,
        `${name}: from the series`,
      )
    }
    const split = [...byHand(serverless, ['model_name'], []).keys()]
    t.ok(
      split.some(k => k.endsWith('|AUDIO_INFERENCE_USAGE')) && split.some(k => !k.endsWith('|AUDIO_INFERENCE_USAGE')),
      'text and audio',
    )
  },
)
