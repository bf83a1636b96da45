// How the engine reads records: the window [fromMs, toMs), nothing at or after now, synthetic
// hourly records once their hour has ended, explicit records one by one in time order, and the
// key that tells two clocks apart when they see different records.
import t from 'tap'
import { lagOf, parseUsageLag, type Lag } from '../../server/data/lag.js'
import { existenceKey, recordsIn, settledUntil, visitRecords, windowSettled } from '../../server/data/source.js'
import type { UsageRecord } from '../../server/model/records.js'
import { buildWorld, type WorldAccount } from '../../server/data/world.js'
import { dedicated } from '../../server/streams/dedicated.js'
import { allStreams } from '../../server/streams/registry.js'
import { serverless, type ServerlessRecord } from '../../server/streams/serverless.js'
import type { StreamSpec } from '../../server/model/stream.js'
import { dedicatedRecord, fixtureWorld, modelName, serverlessRecord } from '../fixture-records.js'

const HOUR = 3_600_000
const at = (text: string) => Date.parse(text)
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
const LATER = at('2027-01-01T00:00:00Z')

// A synthetic account with one key of its own (from the start, never revoked) and one model, at a
// volume that is never idle: its serverless stream is one series with a record every hour.
// It also has deployments and training jobs, and one explicit serverless record.
const SYN_KEY = { id: 'key_SynCo00000000001', name: 'main', secret: 'fw_synCo01' }
const synWorld = buildWorld({
  seed: 5,
  spec: {
    start: '2026-01-01T00:00:00Z',
    accounts: [
      {
        account: 'syn-co',
        scale: 100,
        keys: 1,
        models: ['gpt-oss-20b'],
        deployments: 2,
        trainingJobsPerMonth: 60,
      },
    ],
  },
  files: [
    {
      path: 'syn.ndjson',
      text: [
        { account: 'syn-co', keys: [SYN_KEY] },
        {
          kind: 'serverless',
          account: 'syn-co',
          time: '2026-05-28T10:30:00Z',
          model: modelName('kimi-k2p6'),
          apiKeyId: 'key_Explicit',
          promptTokens: 10,
        },
      ]
        .map(e => JSON.stringify(e))
        .join('\n'),
    },
  ],
})
const syn = synWorld.accounts.get('syn-co')!

const times = (account: WorldAccount, fromMs: number, toMs: number, nowMs: number) =>
  recordsIn(account, serverless, { fromMs, toMs, nowMs }).map(r => iso(r.time))

t.test('a synthetic hourly record exists once its hour has ended', async t => {
  const from = at('2026-05-27T10:00:00Z')
  const to = at('2026-05-27T14:00:00Z')
  const hours = (...hs: number[]) => hs.map(h => `2026-05-27T${h}:00:00Z`)
  t.same(times(syn, from, to, at('2026-05-27T12:00:00Z')), hours(10, 11))
  t.same(times(syn, from, to, at('2026-05-27T12:59:59.999Z')), hours(10, 11), 'the 12:00 hour is still open')
  t.same(times(syn, from, to, at('2026-05-27T13:00:00Z')), hours(10, 11, 12))
  t.same(times(syn, from, to, LATER), hours(10, 11, 12, 13))
  t.same(times(syn, from, to, from), [], 'nothing before now, and now is the window start')
})

t.test('the window includes fromMs and excludes toMs, to the millisecond', async t => {
  t.same(times(syn, at('2026-05-27T10:00:00Z'), at('2026-05-27T12:00:00Z'), LATER), [
    '2026-05-27T10:00:00Z',
    '2026-05-27T11:00:00Z',
  ])
  t.same(times(syn, at('2026-05-27T10:00:00.001Z'), at('2026-05-27T12:00:00.001Z'), LATER), [
    '2026-05-27T11:00:00Z',
    '2026-05-27T12:00:00Z',
  ])
  t.same(times(syn, at('2026-05-27T10:30:00Z'), at('2026-05-27T10:59:59Z'), LATER), [], 'no hour starts inside')
})

t.test('nothing exists before the world starts', async t => {
  t.same(times(syn, at('2025-12-31T20:00:00Z'), at('2026-01-01T02:00:00Z'), LATER), [
    '2026-01-01T00:00:00Z',
    '2026-01-01T01:00:00Z',
  ])
  for (const spec of allStreams())
    t.same(
      recordsIn(syn, spec, { fromMs: at('2025-12-01T00:00:00Z'), toMs: at('2026-01-01T00:00:00Z'), nowMs: LATER }),
      [],
      spec.kind,
    )
})

t.test('nothing exists at or after now, and only whole past hours exist, in every stream', async t => {
  const now = at('2026-05-20T10:30:00Z')
  const window = { fromMs: at('2026-05-01T00:00:00Z'), toMs: at('2026-06-01T00:00:00Z'), nowMs: now }
  for (const spec of allStreams()) {
    const records = recordsIn(syn, spec, window)
    t.ok(records.length > 0, `${spec.kind} has records before now`)
    t.same(
      records.filter(r => r.time + HOUR > now).map(r => iso(r.time)),
      [],
      `${spec.kind}: every record's hour has ended`,
    )
  }
  t.equal(times(syn, window.fromMs, window.toMs, now).at(-1), '2026-05-20T09:00:00Z', 'the last whole hour exists')
  for (const spec of allStreams())
    t.same(recordsIn(syn, spec, { ...window, fromMs: now, toMs: at('2026-05-21T00:00:00Z') }), [], spec.kind)
})

t.test('an explicit record exists from its own instant, not from the end of its hour', async t => {
  const world = fixtureWorld([
    dedicatedRecord('2026-05-28T10:00:00Z'),
    dedicatedRecord('2026-05-28T10:30:00Z'),
    dedicatedRecord('2026-05-28T11:00:00Z'),
    dedicatedRecord('2026-05-28T12:00:00Z'),
  ])
  const account = world.accounts.get('test-co')!
  const seen = (fromMs: number, toMs: number, nowMs: number) =>
    recordsIn(account, dedicated, { fromMs, toMs, nowMs }).map(r => iso(r.time))
  const from = at('2026-05-28T10:00:00Z')
  const to = at('2026-05-28T12:00:00Z')
  t.same(seen(from, to, LATER), ['2026-05-28T10:00:00Z', '2026-05-28T10:30:00Z', '2026-05-28T11:00:00Z'])
  t.same(seen(from, to, at('2026-05-28T10:30:00Z')), ['2026-05-28T10:00:00Z'], 'nothing at now')
  t.same(seen(from, to, at('2026-05-28T10:30:00.001Z')), ['2026-05-28T10:00:00Z', '2026-05-28T10:30:00Z'])
  t.same(seen(at('2026-05-28T10:00:00.001Z'), to, LATER), ['2026-05-28T10:30:00Z', '2026-05-28T11:00:00Z'])
  t.same(seen(from, at('2026-05-28T12:00:00.001Z'), LATER).at(-1), '2026-05-28T12:00:00Z')
})

/** A visitor that writes down what it is shown, skipping the series whose template `skip` picks. */
function recorder<R extends UsageRecord>(skip: (r: R) => boolean = () => false) {
  const log: unknown[] = []
  return {
    log,
    visitor: {
      begin(template: R) {
        log.push(['begin', iso(template.time), skip(template)])
        return !skip(template)
      },
      add(time: number, amounts: readonly number[]) {
        log.push(['add', iso(time), [...amounts]])
      },
    },
  }
}

t.test('explicit records are visited in time order, each as a series of its own', async t => {
  // written out of order; two at the same instant keep their file order
  const world = fixtureWorld([
    dedicatedRecord('2026-05-28T11:00:00Z', { acceleratorSeconds: 3 }),
    dedicatedRecord('2026-05-28T10:00:00Z', { acceleratorSeconds: 1 }),
    dedicatedRecord('2026-05-28T10:30:00Z', { acceleratorSeconds: 2, placement: 'skip-me' }),
    dedicatedRecord('2026-05-28T11:00:00Z', { acceleratorSeconds: 4 }),
  ])
  const { log, visitor } = recorder<UsageRecord>(r => (r as { placement?: string }).placement === 'skip-me')
  const window = { fromMs: at('2026-05-28T00:00:00Z'), toMs: at('2026-05-29T00:00:00Z'), nowMs: LATER }
  visitRecords(world.accounts.get('test-co')!, dedicated, window, visitor)
  t.same(log, [
    ['begin', '2026-05-28T10:00:00Z', false],
    ['add', '2026-05-28T10:00:00Z', [1]],
    ['begin', '2026-05-28T10:30:00Z', true], // begin said no: no add
    ['begin', '2026-05-28T11:00:00Z', false],
    ['add', '2026-05-28T11:00:00Z', [3]],
    ['begin', '2026-05-28T11:00:00Z', false],
    ['add', '2026-05-28T11:00:00Z', [4]],
  ])
})

t.test('synthetic series come first, then explicit records', async t => {
  const { log, visitor } = recorder<ServerlessRecord>()
  const window = { fromMs: at('2026-05-28T10:00:00Z'), toMs: at('2026-05-28T12:00:00Z'), nowMs: LATER }
  visitRecords(syn, serverless, window, visitor)
  const steps = log.map(e => (e as unknown[]).slice(0, 2))
  t.same(steps, [
    ['begin', '1970-01-01T00:00:00Z'], // a synthetic template: its time is a placeholder
    ['add', '2026-05-28T10:00:00Z'],
    ['add', '2026-05-28T11:00:00Z'],
    ['begin', '2026-05-28T10:30:00Z'],
    ['add', '2026-05-28T10:30:00Z'],
  ])
  // the explicit record's amounts: 10 uncached kimi-k2p6 tokens at 950 nano-USD
  t.same((log[4] as unknown[])[2], [10, 0, 0, 0, 9500, 0, 0, 0])
})

t.test('recordsIn gives explicit records back as they were loaded', async t => {
  const world = fixtureWorld([
    serverlessRecord('2026-05-28T10:00:00Z', {
      model: modelName('kimi-k2p6'),
      promptTokens: 2000,
      cachedPromptTokens: 500,
      completionTokens: 100,
      costNanoUsd: 1_000_000,
      annotations: { team: 'search' },
    }),
    serverlessRecord('2026-05-28T11:00:00Z', { model: modelName('whisper-v3'), audioInputSeconds: 0.25 }),
  ])
  const records = recordsIn(world.accounts.get('test-co')!, serverless, {
    fromMs: at('2026-05-28T00:00:00Z'),
    toMs: at('2026-05-29T00:00:00Z'),
    nowMs: LATER,
  })
  const common = { kind: 'serverless', account: 'test-co', apiKeyId: 'key_A', apiKeyName: 'a' }
  t.same(records, [
    {
      ...common,
      time: at('2026-05-28T10:00:00Z'),
      model: modelName('kimi-k2p6'),
      usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
      promptTokens: 2000,
      cachedPromptTokens: 500,
      completionTokens: 100,
      audioInputSeconds: 0,
      costNanoUsd: 1_000_000, // its own cost, not the list's 1,905,000
      annotations: { team: 'search', project: '', environment: '' },
    },
    {
      ...common,
      time: at('2026-05-28T11:00:00Z'),
      model: modelName('whisper-v3'),
      usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
      promptTokens: 0,
      cachedPromptTokens: 0,
      completionTokens: 0,
      audioInputSeconds: 0.25,
      costNanoUsd: 6250, // 0.25 s x 25,000
      annotations: { team: '', project: '', environment: '' },
    },
  ])
})

t.test('recordsIn gives synthetic records whole: tokens add up and the cost is the list price', async t => {
  const records = recordsIn(syn, serverless, {
    fromMs: at('2026-05-27T00:00:00Z'),
    toMs: at('2026-05-28T00:00:00Z'),
    nowMs: LATER,
  })
  t.equal(records.length, 24, 'one record an hour')
  t.same(new Set(records.map(r => r.time % HOUR)), new Set([0]), 'each at the start of its hour')
  t.same(
    [...new Set(records.map(r => `${r.model} ${r.apiKeyId} ${r.apiKeyName} ${r.usageType}`))],
    [`${modelName('gpt-oss-20b')} ${SYN_KEY.id} main TEXT_COMPLETION_INFERENCE_USAGE`],
  )
  // gpt-oss-20b: 70 nano-USD per uncached, 35 per cached, 300 per output token
  const wrong = records.filter(
    r =>
      r.cachedPromptTokens > r.promptTokens ||
      r.costNanoUsd !==
        (r.promptTokens - r.cachedPromptTokens) * 70 + r.cachedPromptTokens * 35 + r.completionTokens * 300,
  )
  t.same(wrong, [])
  t.equal(new Set(records.map(r => r.promptTokens)).size, 24, 'each hour its own amounts (no shared array)')
})

t.test('existenceKey: "all" once the window has passed, "none" before it starts, else hour:records', async t => {
  const world = fixtureWorld([
    dedicatedRecord('2026-05-28T10:15:00Z'),
    serverlessRecord('2026-05-28T10:30:00Z'),
    dedicatedRecord('2026-05-28T11:10:00Z'),
  ])
  const account = world.accounts.get('test-co')!
  const from = at('2026-05-28T10:00:00Z')
  const to = at('2026-05-28T12:00:00Z')
  const key = (now: string) => existenceKey(account, from, to, at(now))
  const hour = (h: number) => Date.UTC(2026, 4, 28, h) / HOUR
  t.equal(key('2026-05-28T12:00:00Z'), 'all')
  t.equal(key('2026-06-01T00:00:00Z'), 'all')
  t.equal(key('2026-05-28T10:00:00Z'), 'none')
  t.equal(key('2026-05-28T09:00:00Z'), 'none')
  t.equal(key('2026-05-28T10:10:00Z'), `${hour(10)}:0`)
  t.equal(key('2026-05-28T10:15:00Z'), `${hour(10)}:0`, 'a record at now does not exist yet')
  t.equal(key('2026-05-28T10:15:00.001Z'), `${hour(10)}:1`)
  t.equal(key('2026-05-28T10:45:00Z'), `${hour(10)}:2`, 'records of every stream count')
  t.equal(key('2026-05-28T11:59:59.999Z'), `${hour(11)}:3`)
})

/** Every stream's records of a window at `now`, as one string. */
const everything = (account: WorldAccount, fromMs: number, toMs: number, nowMs: number) =>
  JSON.stringify(allStreams().map(spec => recordsIn(account, spec, { fromMs, toMs, nowMs })))

/** Groups clocks by key: each key must stand for one set of records, as the answer cache assumes. */
function clocksPerKey(account: WorldAccount, fromMs: number, toMs: number, nows: number[]) {
  const seen = new Map<string, Set<string>>()
  for (const now of nows) {
    const key = existenceKey(account, fromMs, toMs, now)
    const set = seen.get(key) ?? new Set<string>()
    set.add(everything(account, fromMs, toMs, now))
    seen.set(key, set)
  }
  return [...seen].filter(([, answers]) => answers.size > 1).map(([key]) => key)
}

const everyFiveMinutes = (from: string, to: string) => {
  const out: number[] = []
  for (let ms = at(from); ms <= at(to); ms += 5 * 60_000) out.push(ms, ms + 1)
  return out
}

t.test('two clocks with the same key see the same records: explicit records', async t => {
  const world = fixtureWorld([
    dedicatedRecord('2026-05-28T10:15:00Z'),
    serverlessRecord('2026-05-28T10:30:00Z'),
    dedicatedRecord('2026-05-28T11:10:00Z'),
    dedicatedRecord('2026-05-28T12:20:00Z'),
  ])
  const account = world.accounts.get('test-co')!
  const nows = everyFiveMinutes('2026-05-28T09:00:00Z', '2026-05-28T15:00:00Z')
  t.same(clocksPerKey(account, at('2026-05-28T10:00:00Z'), at('2026-05-28T12:30:00Z'), nows), [])
})

t.test('two clocks with the same key see the same records: synthetic hours', async t => {
  const nows = everyFiveMinutes('2026-05-28T09:00:00Z', '2026-05-28T15:00:00Z')
  t.same(clocksPerKey(syn, at('2026-05-28T10:00:00Z'), at('2026-05-28T12:00:00Z'), nows), [], 'a window of whole hours')
  // The 12:00 record lies inside [10:00, 12:30) but exists only from 13:00: at 12:40 the window
  // is not complete yet, though its end has passed.
  t.same(
    clocksPerKey(syn, at('2026-05-28T10:00:00Z'), at('2026-05-28T12:30:00Z'), nows),
    [],
    'a window ending mid-hour',
  )
  t.not(
    existenceKey(syn, at('2026-05-28T10:00:00Z'), at('2026-05-28T12:30:00Z'), at('2026-05-28T12:40:00Z')),
    existenceKey(syn, at('2026-05-28T10:00:00Z'), at('2026-05-28T12:30:00Z'), at('2026-05-28T13:10:00Z')),
  )
})

const LAG = lagOf(parseUsageLag('2h/26h'), 5) as Lag

t.test('a fixture record with settledAt shows what has arrived, and nothing while nothing has', async t => {
  // gpt-oss-20b at 70 / 35 / 300 nano-USD per uncached / cached / output token
  const world = fixtureWorld([
    serverlessRecord('2026-05-28T10:00:00Z', {
      promptTokens: 1024,
      cachedPromptTokens: 512,
      completionTokens: 100,
      settledAt: '2026-05-28T14:00:00Z',
    }),
  ])
  const account = world.accounts.get('test-co')!
  const window = { fromMs: at('2026-05-28T00:00:00Z'), toMs: at('2026-05-29T00:00:00Z') }
  const seen = (now: string) =>
    recordsIn(account, serverless, { ...window, nowMs: at(now) }).map(r => [
      r.promptTokens,
      r.cachedPromptTokens,
      r.completionTokens,
      r.costNanoUsd,
    ])
  t.same(seen('2026-05-28T10:00:00.001Z'), [], '1024 x 1 ms / 4 h is 0 units: not there yet')
  // a quarter of 4 hours: 256 units; cached 128, uncached 128, completion 25
  t.same(seen('2026-05-28T11:00:00Z'), [[256, 128, 25, 128 * 70 + 128 * 35 + 25 * 300]])
  // 1023 units: cached floor(512 x 1023 / 1024) = 511, uncached 511 too, completion 99
  t.same(seen('2026-05-28T13:59:59.999Z'), [[1022, 511, 99, 511 * 70 + 511 * 35 + 99 * 300]], '1023 units')
  t.same(seen('2026-05-28T14:00:00Z'), [[1024, 512, 100, 512 * 70 + 512 * 35 + 100 * 300]], 'whole from settledAt')
  t.same(seen('2026-06-01T00:00:00Z'), seen('2026-05-28T14:00:00Z'))
})

t.test(
  'with a lag, a synthetic hour shows nothing before end + delay, then a part, whole from end + settle',
  async t => {
    const window = { fromMs: at('2026-05-27T10:00:00Z'), toMs: at('2026-05-27T11:00:00Z'), lag: LAG }
    const whole = (spec: StreamSpec) => recordsIn(syn, spec, { ...window, lag: undefined, nowMs: LATER })
    for (const spec of allStreams()) {
      const seen = (now: string) => recordsIn(syn, spec, { ...window, nowMs: at(now) })
      t.ok(whole(spec).length > 0, `${spec.kind} has usage in the hour`)
      t.same(seen('2026-05-27T12:59:59.999Z'), [], `${spec.kind}: nothing a millisecond before the delay`)
      t.same(seen('2026-05-28T13:00:00Z'), whole(spec), `${spec.kind}: whole from the end + 26 h`)
      const partial = seen('2026-05-27T20:00:00Z')
      t.ok(partial.length <= whole(spec).length, `${spec.kind}: fewer or as many records, never more`)
    }
    const tokens = (now: string) =>
      recordsIn(syn, serverless, { ...window, nowMs: at(now) }).reduce((n, r) => n + r.promptTokens, 0)
    const final = tokens('2026-05-28T13:00:00Z')
    t.ok(tokens('2026-05-27T13:00:00Z') < final && tokens('2026-05-28T12:59:00Z') < final, 'a part in between')
  },
)

t.test('existenceKey with a lag: two clocks with the same key see the same records', async t => {
  const from = at('2026-05-28T10:00:00Z')
  const to = at('2026-05-28T12:30:00Z')
  const nows = everyFiveMinutes('2026-05-28T09:00:00Z', '2026-05-29T16:00:00Z')
  const seen = new Map<string, Set<string>>()
  for (const now of nows) {
    const key = existenceKey(syn, from, to, now, LAG)
    const records = JSON.stringify(
      allStreams().map(spec => recordsIn(syn, spec, { fromMs: from, toMs: to, nowMs: now, lag: LAG })),
    )
    seen.set(key, (seen.get(key) ?? new Set()).add(records))
  }
  t.same(
    [...seen].filter(([, answers]) => answers.size > 1).map(([key]) => key),
    [],
  )
  // complete once the hour holding the end (12:00-13:00) has settled: 13:00 + 26 h
  t.equal(existenceKey(syn, from, to, at('2026-05-29T15:00:00Z'), LAG), 'all')
  t.not(existenceKey(syn, from, to, at('2026-05-29T14:59:59.999Z'), LAG), 'all')
  t.not(
    existenceKey(syn, from, to, at('2026-05-28T20:00:00Z'), LAG),
    existenceKey(syn, from, to, at('2026-05-28T20:00:00Z'), lagOf(parseUsageLag('1h/26h'), 5)),
    'another lag, another key',
  )
  t.not(existenceKey(syn, from, to, at('2026-05-28T09:00:00Z'), LAG), 'none', 'not even the empty answer is shared')
})

t.test('settledUntil: the first hour not settled, or the first fixture record still settling', async t => {
  const world = fixtureWorld([
    serverlessRecord('2026-05-28T10:30:00Z', { promptTokens: 10, settledAt: '2026-05-28T20:00:00Z' }),
    dedicatedRecord('2026-05-28T09:15:00Z', { acceleratorSeconds: 5 }),
  ])
  const account = world.accounts.get('test-co')!
  t.equal(settledUntil(account, at('2026-05-28T12:00:00Z'), undefined), at('2026-05-28T10:30:00Z'))
  t.equal(settledUntil(account, at('2026-05-28T10:00:00Z'), undefined), Infinity, 'not there yet: nothing lags')
  t.equal(settledUntil(account, at('2026-05-28T20:00:00Z'), undefined), Infinity, 'settled')
  // 2h/26h at 2026-05-29T12:40: the hours before 2026-05-28T10:00 have settled (10:00-11:00 settles at 13:00)
  t.equal(settledUntil(account, at('2026-05-29T12:40:00Z'), LAG), at('2026-05-28T10:00:00Z'))
  t.equal(
    settledUntil(account, at('2026-05-28T12:00:00Z'), LAG),
    at('2026-05-27T10:00:00Z'),
    '09:00-10:00 just settled',
  )
})

t.test('windowSettled: the window ends by the first hour not settled and holds no record still settling', async t => {
  const world = fixtureWorld([
    serverlessRecord('2026-05-28T10:30:00Z', { promptTokens: 10, settledAt: '2026-05-28T20:00:00Z' }),
  ])
  const account = world.accounts.get('test-co')!
  const settled = (from: string, to: string, now: string, lag?: Lag) =>
    windowSettled(account, { fromMs: at(from), toMs: at(to), nowMs: at(now), lag })
  t.equal(settled('2026-05-28T00:00:00Z', '2026-05-29T00:00:00Z', '2026-05-28T12:00:00Z'), false)
  t.equal(settled('2026-05-28T11:00:00Z', '2026-05-29T00:00:00Z', '2026-05-28T12:00:00Z'), true, 'not in it')
  t.equal(settled('2026-05-28T00:00:00Z', '2026-05-29T00:00:00Z', '2026-05-28T20:00:00Z'), true)
  t.equal(settled('2026-05-26T00:00:00Z', '2026-05-27T00:00:00Z', '2026-05-28T01:59:59Z', LAG), false)
  t.equal(settled('2026-05-26T00:00:00Z', '2026-05-27T00:00:00Z', '2026-05-28T02:00:00Z', LAG), true)
  t.equal(settled('2026-05-26T00:00:00Z', '2026-05-26T23:30:00Z', '2026-05-28T02:00:00Z', LAG), true)
  t.equal(settled('2026-05-26T00:00:00Z', '2026-05-27T00:30:00Z', '2026-05-28T02:00:00Z', LAG), false)
})
