// One fixture entry at a time: an account with its keys, or a record of a stream, with its
// defaults, its rated cost and every problem it has. (Files, lines and account references are
// fixtures.ts's: test/data/fixtures.test.ts.)
import t from 'tap'
import {
  EntryProblems,
  recordToFixture,
  toAccount,
  toRecord,
  type EntryProblem,
} from '../../server/data/fixture-entries.js'
import type { UsageRecord } from '../../server/model/records.js'
import { streamOf } from '../../server/streams/registry.js'
import { formatUtc } from '../../server/time.js'
import { modelName } from '../fixture-records.js'

/** The problems an entry is refused with, as `field: text` lines; [] when it is accepted. */
function problemsOf(build: () => unknown): string[] {
  try {
    build()
  } catch (err) {
    if (err instanceof EntryProblems) return err.problems.map(p => `${p.field}: ${p.text}`)
    throw err
  }
  return []
}

const AT = '2026-05-28T10:00:00Z'
const AT_MS = Date.UTC(2026, 4, 28, 10)
const KEY = { id: 'key_AcmeProd00000001', name: 'prod-eng', secret: 'fw_acme_prod' }
const NO_ANNOTATIONS = { team: '', project: '', environment: '' }
const record = (kind: string, fields: Record<string, unknown> = {}) => ({ kind, account: 'acme', time: AT, ...fields })

t.test('an account entry gives the account and its keys; keys may be omitted', async t => {
  t.same(toAccount({ account: 'acme', keys: [KEY] }), { account: 'acme', keys: [KEY] })
  t.same(toAccount({ account: 'acme' }), { account: 'acme', keys: [] })
})

t.test('account ids are slugs of 1 to 63 lower-case letters, digits and inner dashes', async t => {
  for (const good of ['a', '7', 'acme-ai', 'a--b', 'x'.repeat(63)])
    t.same(
      problemsOf(() => toAccount({ account: good })),
      [],
    )
  for (const bad of ['', '-acme', 'acme-', 'Acme', 'acme_ai', 'acme.ai', 'x'.repeat(64), 5, null])
    t.same(
      problemsOf(() => toAccount({ account: bad })),
      [`account: must be an account id slug like "my-account", got ${JSON.stringify(bad)}`],
    )
  t.same(
    problemsOf(() => toAccount({ keys: [] })),
    ['account: must be an account id slug like "my-account", got undefined'],
  )
})

t.test("an account entry's problems: every one, the entry's fields first, then each key's", async t => {
  t.same(
    problemsOf(() =>
      toAccount({
        account: 'Bad Name',
        keys: [{ id: '', name: 'n', secret: 's', team: 'ads' }],
        plan: 'pro',
      }),
    ),
    [
      'plan: unknown field',
      'account: must be an account id slug like "my-account", got "Bad Name"',
      'keys[0].team: unknown field',
      'keys[0].id: must be a non-empty string, got ""',
    ],
  )
  t.same(
    problemsOf(() => toAccount({ account: 'acme', keys: 'fw_x' })),
    ['keys: must be an array, got "fw_x"'],
  )
  t.same(
    problemsOf(() => toAccount({ account: 'acme', keys: null })),
    ['keys: must be an array, got null'],
    'null is not the same as omitting keys',
  )
  t.same(
    problemsOf(() => toAccount({ account: 'acme', keys: [KEY, 5, [KEY], { id: 'k', name: 7 }] })),
    [
      'keys[1]: must be an object, got 5',
      `keys[2]: must be an object, got ${JSON.stringify([KEY])}`,
      'keys[3].name: must be a non-empty string, got 7',
      'keys[3].secret: must be a non-empty string, got undefined',
    ],
  )
})

t.test('the contract examples: a record of each stream with every field given', async t => {
  t.same(
    toRecord(
      record('serverless', {
        model: modelName('kimi-k2p6'),
        apiKeyId: 'key_AcmeProd00000001',
        apiKeyName: 'prod-eng',
        usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
        promptTokens: 1000,
        cachedPromptTokens: 200,
        completionTokens: 300,
        audioInputSeconds: 0,
        costNanoUsd: 1234567,
        annotations: { team: 'search' },
      }),
    ),
    {
      kind: 'serverless',
      account: 'acme',
      time: AT_MS,
      annotations: { team: 'search', project: '', environment: '' },
      model: modelName('kimi-k2p6'),
      apiKeyId: 'key_AcmeProd00000001',
      apiKeyName: 'prod-eng',
      usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
      promptTokens: 1000,
      cachedPromptTokens: 200,
      completionTokens: 300,
      audioInputSeconds: 0,
      costNanoUsd: 1234567, // given, so kept although the list says 1,992,000
    },
  )
  t.same(
    toRecord(
      record('dedicated', {
        deployment: 'accounts/acme/deployments/dep-a',
        acceleratorType: 'NVIDIA_H100_80GB',
        acceleratorSeconds: 3600,
        baseModel: modelName('kimi-k2p6'),
        placement: 'US_IOWA_1',
        annotations: { environment: 'prod' },
      }),
    ),
    {
      kind: 'dedicated',
      account: 'acme',
      time: AT_MS,
      annotations: { team: '', project: '', environment: 'prod' },
      deployment: 'accounts/acme/deployments/dep-a',
      acceleratorType: 'NVIDIA_H100_80GB',
      acceleratorSeconds: 3600,
      baseModel: modelName('kimi-k2p6'),
      placement: 'US_IOWA_1',
      usageType: 'DEDICATED_DEPLOYMENT_USAGE',
    },
  )
  t.same(
    toRecord(
      record('training', {
        jobId: 'sft-job-1',
        jobType: 'SFT',
        usageType: 'TRAINING_TOKENS',
        tokens: 5000000,
        acceleratorType: '',
        acceleratorSeconds: 0,
        baseModel: modelName('llama-v3p1-8b-instruct'),
        trainingSessionId: 'sess-1',
        annotations: {},
      }),
    ),
    {
      kind: 'training',
      account: 'acme',
      time: AT_MS,
      annotations: NO_ANNOTATIONS,
      jobId: 'sft-job-1',
      jobType: 'SFT',
      usageType: 'TRAINING_TOKENS',
      tokens: 5000000,
      acceleratorType: '',
      acceleratorSeconds: 0,
      baseModel: modelName('llama-v3p1-8b-instruct'),
      trainingSessionId: 'sess-1',
    },
  )
})

t.test('omitted fields take their defaults: "" for text, 0 for numbers, a list its default', async t => {
  // the omitted cost is rated: 100 uncached gpt-oss-20b tokens at 70 nano-USD
  t.same(toRecord(record('serverless', { model: modelName('gpt-oss-20b'), promptTokens: 100 })), {
    kind: 'serverless',
    account: 'acme',
    time: AT_MS,
    annotations: NO_ANNOTATIONS,
    model: modelName('gpt-oss-20b'),
    apiKeyId: '',
    apiKeyName: '',
    usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
    promptTokens: 100,
    cachedPromptTokens: 0,
    completionTokens: 0,
    audioInputSeconds: 0,
    costNanoUsd: 7000,
  })
  t.same(toRecord(record('dedicated')), {
    kind: 'dedicated',
    account: 'acme',
    time: AT_MS,
    annotations: NO_ANNOTATIONS,
    deployment: '',
    acceleratorType: '',
    acceleratorSeconds: 0,
    baseModel: '',
    placement: '',
    usageType: 'DEDICATED_DEPLOYMENT_USAGE',
  })
  t.same(toRecord(record('training')), {
    kind: 'training',
    account: 'acme',
    time: AT_MS,
    annotations: NO_ANNOTATIONS,
    jobId: '',
    jobType: '', // a list without a default: unknown
    usageType: 'TRAINING_TOKENS',
    tokens: 0,
    acceleratorType: '',
    acceleratorSeconds: 0,
    baseModel: '',
    trainingSessionId: '',
  })
})

t.test('"" for a field with a list of values is the same as omitting it', async t => {
  t.has(toRecord(record('serverless', { usageType: '' })), { usageType: 'TEXT_COMPLETION_INFERENCE_USAGE' })
  t.has(toRecord(record('training', { usageType: '', jobType: '' })), { usageType: 'TRAINING_TOKENS', jobType: '' })
  t.has(toRecord(record('training', { usageType: 'TRAINER_ACCELERATOR_SECONDS', jobType: 'RFT' })), {
    usageType: 'TRAINER_ACCELERATOR_SECONDS',
    jobType: 'RFT',
  })
  t.same(
    problemsOf(() => toRecord(record('serverless', { promptTokens: '' }))),
    ['promptTokens: must be a non-negative integer, got ""'],
  )
})

t.test('an omitted serverless cost is rated from the price list', async t => {
  const cost = (fields: Record<string, unknown>) =>
    (toRecord(record('serverless', fields)) as unknown as { costNanoUsd: number }).costNanoUsd
  // kimi-k2p6: 800 uncached x 950 + 200 cached x 160 + 300 output x 4,000
  t.equal(
    cost({ model: modelName('kimi-k2p6'), promptTokens: 1000, cachedPromptTokens: 200, completionTokens: 300 }),
    760_000 + 32_000 + 1_200_000,
  )
  // whisper-v3: 2.5 s x 25,000; 0.00006 s x 25,000 = 1.5, which rounds to 2
  t.equal(cost({ model: modelName('whisper-v3'), audioInputSeconds: 2.5 }), 62_500)
  t.equal(cost({ model: modelName('whisper-v3'), audioInputSeconds: 0.00006 }), 2)
  t.equal(cost({ model: 'accounts/acme/models/my-tune', promptTokens: 1000 }), 0, 'an unpriced model rates at 0')
  t.equal(cost({ model: modelName('kimi-k2p6'), promptTokens: 1000, costNanoUsd: 0 }), 0, 'a given cost is kept')
})

t.test('the time is an RFC 3339 instant of at most millisecond precision', async t => {
  const time = (text: string) => toRecord(record('dedicated', { time: text })).time
  t.equal(time('2026-05-28T12:00:00+02:00'), AT_MS, 'an offset is applied')
  t.equal(time('2026-05-28T10:00:00.123Z'), AT_MS + 123)
  t.equal(time('2026-05-28T10:00:00.100000000Z'), AT_MS + 100, 'zeros below the millisecond are fine')
  t.same(
    problemsOf(() => time('2026-05-28T10:00:00.0001Z')),
    ['time: must not be more precise than a millisecond'],
  )
})

t.test('an unknown field names the field it was probably meant to be', async t => {
  t.same(
    problemsOf(() => toRecord(record('serverless', { promptToken: 5 }))),
    ['promptToken: unknown field (did you mean "promptTokens"?)'],
  )
  t.same(
    problemsOf(() => toRecord(record('dedicated', { accelerator_type: 'NVIDIA_H100_80GB' }))),
    ['accelerator_type: unknown field (did you mean "acceleratorType"?)'],
  )
  t.same(
    problemsOf(() => toRecord(record('training', { anotations: {} }))),
    ['anotations: unknown field (did you mean "annotations"?)'],
  )
  t.same(
    problemsOf(() => toAccount({ account: 'acme', key: [KEY] })),
    ['key: unknown field (did you mean "keys"?)'],
  )
  t.same(
    problemsOf(() => toAccount({ account: 'acme', keys: [{ ...KEY, secert: 'x' }] })),
    ['keys[0].secert: unknown field (did you mean "secret"?)'],
  )
  t.same(
    problemsOf(() => toRecord(record('dedicated', { apiKeyId: 'k' }))),
    ['apiKeyId: unknown field'],
    'none near',
  )
})

t.test('settledAt: an RFC 3339 instant after the time, kept only when given, never exported', async t => {
  const settled = (fields: Record<string, unknown>) => toRecord(record('dedicated', fields))
  t.equal(settled({ settledAt: '2026-05-29T10:00:00Z' }).settledAt, AT_MS + 24 * 3_600_000)
  t.notOk('settledAt' in settled({}), 'a record without one has none: it is whole as soon as it exists')
  t.same(
    problemsOf(() => settled({ settledAt: AT })),
    [`settledAt: must be after time ("${AT}"), got "${AT}"`],
  )
  t.same(
    problemsOf(() => settled({ settledAt: '2026-05-28T09:00:00Z' })),
    [`settledAt: must be after time ("${AT}"), got "2026-05-28T09:00:00Z"`],
  )
  t.same(
    problemsOf(() => settled({ settledAt: 'tomorrow' })),
    ['settledAt: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "tomorrow"'],
  )
  t.same(
    problemsOf(() => settled({ settledAt: 5 })),
    ['settledAt: must be a string, got 5'],
  )
  t.same(
    problemsOf(() => settled({ settledAt: '2026-05-29T10:00:00.0001Z' })),
    ['settledAt: must not be more precise than a millisecond'],
  )
  const r = settled({ settledAt: '2026-05-29T10:00:00Z' })
  t.notOk('settledAt' in recordToFixture(streamOf('dedicated')!, r, formatUtc), 'an export is what is visible')
})

t.test('each rule of a field, one problem each', async t => {
  const cases: [Record<string, unknown>, string][] = [
    [record('serverless', { colour: 'red' }), 'colour: unknown field'],
    [
      record('serverless', { time: '2026-05-28' }),
      'time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "2026-05-28"',
    ],
    [record('serverless', { time: 7 }), 'time: must be a string, got 7'],
    [record('serverless', { account: 7 }), 'account: must be a string, got 7'],
    [record('serverless', { promptTokens: -5 }), 'promptTokens: must be a non-negative integer, got -5'],
    [record('serverless', { promptTokens: '5' }), 'promptTokens: must be a non-negative integer, got "5"'],
    [record('serverless', { promptTokens: 1.5 }), 'promptTokens: must be a non-negative integer, got 1.5'],
    [
      record('serverless', { promptTokens: 2 ** 53 }),
      'promptTokens: must be a non-negative integer, got 9007199254740992',
    ],
    [
      record('serverless', { promptTokens: 5, cachedPromptTokens: 6 }),
      'cachedPromptTokens: must not exceed promptTokens (5), got 6',
    ],
    [record('serverless', { model: 5 }), 'model: must be a string, got 5'],
    [
      record('serverless', { usageType: 'IMAGE' }),
      'usageType: must be one of TEXT_COMPLETION_INFERENCE_USAGE, AUDIO_INFERENCE_USAGE, got "IMAGE"',
    ],
    [record('serverless', { audioInputSeconds: -0.5 }), 'audioInputSeconds: must be a non-negative number, got -0.5'],
    [record('serverless', { audioInputSeconds: '1' }), 'audioInputSeconds: must be a non-negative number, got "1"'],
    [{ kind: 'serverless', account: 'acme' }, 'time: is required'],
    [{ kind: 'serverless', time: AT }, 'account: is required'],
    [
      record('dedicated', { annotations: { owner: 'x' } }),
      'annotations.owner: unknown annotation key (allowed: team, project, environment)',
    ],
    [record('dedicated', { annotations: { team: 5 } }), 'annotations.team: must be a string, got 5'],
    [record('dedicated', { annotations: null }), 'annotations: must be an object, got null'],
    [record('dedicated', { annotations: ['team'] }), 'annotations: must be an object, got ["team"]'],
    [record('dedicated', { acceleratorSeconds: 0.5 }), 'acceleratorSeconds: must be a non-negative integer, got 0.5'],
    [record('dedicated', { apiKeyId: 'k' }), 'apiKeyId: unknown field'],
    [
      record('training', { jobType: 'PRETRAIN' }),
      'jobType: must be one of SFT, DPO, RFT, RLOR_TRAINER, got "PRETRAIN"',
    ],
    [record('training', { tokens: null }), 'tokens: must be a non-negative integer, got null'],
  ]
  for (const [entry, problem] of cases)
    t.same(
      problemsOf(() => toRecord(entry)),
      [problem],
      problem,
    )
  t.same(
    problemsOf(() => toRecord(record('serverless', { audioInputSeconds: 1.5 }))),
    [],
    'seconds may be fractional',
  )
})

t.test('a record of an unknown kind reports only its kind: its fields mean nothing yet', async t => {
  t.same(
    problemsOf(() => toRecord(record('gpu', { colour: 'red', time: 'x' }))),
    ['kind: must be one of serverless, dedicated, training, got "gpu"'],
  )
  t.same(
    problemsOf(() => toRecord({ account: 'acme', time: AT })),
    ['kind: must be one of serverless, dedicated, training, got undefined'],
  )
})

t.test('an entry with several problems reports every one: its fields in order, missing ones, then rules', async t => {
  t.same(
    problemsOf(() =>
      toRecord({
        kind: 'serverless',
        account: 'nobody',
        time: 'yesterday',
        promptTokens: -1,
        colour: 'red',
        annotations: { owner: 'x', team: 5 },
      }),
    ),
    [
      'time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "yesterday"',
      'promptTokens: must be a non-negative integer, got -1',
      'colour: unknown field',
      'annotations.owner: unknown annotation key (allowed: team, project, environment)',
      'annotations.team: must be a string, got 5',
    ],
  )
  t.same(
    problemsOf(() => toRecord(record('serverless', { promptTokens: 5, cachedPromptTokens: 6, completionTokens: 1.5 }))),
    [
      'completionTokens: must be a non-negative integer, got 1.5',
      'cachedPromptTokens: must not exceed promptTokens (5), got 6',
    ],
  )
  t.same(
    problemsOf(() => toRecord({ kind: 'dedicated', time: 7 })),
    ['time: must be a string, got 7', 'account: is required'],
  )
})

t.test('cachedPromptTokens is compared with promptTokens only when both are usable', async t => {
  t.same(
    problemsOf(() => toRecord(record('serverless', { cachedPromptTokens: 5 }))),
    ['cachedPromptTokens: must not exceed promptTokens (0), got 5'],
  )
  t.same(
    problemsOf(() => toRecord(record('serverless', { promptTokens: -1, cachedPromptTokens: 6 }))),
    ['promptTokens: must be a non-negative integer, got -1'],
    'no comparison with an invalid promptTokens',
  )
  t.same(
    problemsOf(() => toRecord(record('serverless', { promptTokens: 5, cachedPromptTokens: 5 }))),
    [],
    'equal is fine',
  )
})

t.test('a rated cost beyond 2^53 nano-USD must be given explicitly', async t => {
  // 10^13 uncached kimi-k2p6 tokens x 950 = 9.5 x 10^15 > 2^53 (about 9.007 x 10^15)
  const huge = { model: modelName('kimi-k2p6'), promptTokens: 1e13 }
  t.same(
    problemsOf(() => toRecord(record('serverless', huge))),
    ['costNanoUsd: the rated cost (9500000000000000) exceeds 2^53 nano-USD; give costNanoUsd explicitly'],
  )
  t.has(toRecord(record('serverless', { ...huge, costNanoUsd: 5 })), { costNanoUsd: 5 })
  // 9 x 10^12 x 950 = 8.55 x 10^15 is still exact
  t.has(toRecord(record('serverless', { ...huge, promptTokens: 9e12 })), { costNanoUsd: 8_550_000_000_000_000 })
})

t.test('keys named like Object.prototype members are not mistaken for known ones', async t => {
  t.same(
    problemsOf(() => toRecord(record('serverless', { constructor: 5 }))),
    ['constructor: unknown field'],
  )
  for (const kind of ['constructor', 'toString', '__proto__'])
    t.same(
      problemsOf(() => toRecord(record(kind))),
      [`kind: must be one of serverless, dedicated, training, got "${kind}"`],
    )
  t.equal(
    (
      toRecord(record('serverless', { model: modelName('constructor'), promptTokens: 5 })) as unknown as {
        costNanoUsd: number
      }
    ).costNanoUsd,
    0,
    'an unpriced model named constructor rates at 0, not NaN',
  )
  t.same(
    problemsOf(() => toAccount({ account: 'acme', keys: [{ ...KEY, constructor: 'x' }] })),
    ['keys[0].constructor: unknown field'],
  )
})

t.test('EntryProblems holds each problem, and a message with all of them', async t => {
  let thrown: unknown
  try {
    toRecord(record('dedicated', { acceleratorSeconds: -1, colour: 'red' }))
  } catch (err) {
    thrown = err
  }
  t.ok(thrown instanceof EntryProblems)
  const problems: readonly EntryProblem[] = (thrown as EntryProblems).problems
  t.same(problems, [
    { field: 'acceleratorSeconds', text: 'must be a non-negative integer, got -1' },
    { field: 'colour', text: 'unknown field' },
  ])
  t.equal(
    (thrown as EntryProblems).message,
    'acceleratorSeconds: must be a non-negative integer, got -1; colour: unknown field',
  )
})

t.test('recordToFixture writes every field, in export order, and annotations only when set', async t => {
  const entry = record('serverless', {
    time: '2026-05-28T10:00:00.250Z',
    model: modelName('whisper-v3'),
    usageType: 'AUDIO_INFERENCE_USAGE',
    audioInputSeconds: 1.25,
    annotations: { project: 'indexer' },
  })
  const fixture = recordToFixture(streamOf('serverless')!, toRecord(entry), formatUtc)
  t.same(Object.keys(fixture), [
    'kind',
    'account',
    'time',
    'model',
    'apiKeyId',
    'apiKeyName',
    'usageType',
    'promptTokens',
    'cachedPromptTokens',
    'completionTokens',
    'audioInputSeconds',
    'costNanoUsd',
    'annotations',
  ])
  t.same(fixture, {
    kind: 'serverless',
    account: 'acme',
    time: '2026-05-28T10:00:00.250Z',
    model: modelName('whisper-v3'),
    apiKeyId: '',
    apiKeyName: '',
    usageType: 'AUDIO_INFERENCE_USAGE',
    promptTokens: 0,
    cachedPromptTokens: 0,
    completionTokens: 0,
    audioInputSeconds: 1.25,
    costNanoUsd: 31_250, // 1.25 s x 25,000
    annotations: { project: 'indexer' },
  })
})

t.test('a record written by recordToFixture loads back as the same record, for each stream', async t => {
  const entries = [
    record('serverless', {
      model: modelName('kimi-k2p6'),
      apiKeyId: 'key_A',
      apiKeyName: 'a',
      promptTokens: 2000,
      cachedPromptTokens: 500,
      completionTokens: 100,
      costNanoUsd: 1_000_000,
      annotations: { team: 'search', environment: 'prod' },
    }),
    record('dedicated', {
      time: '2026-05-28T10:00:00.001Z',
      deployment: 'accounts/acme/deployments/dep-a',
      acceleratorType: 'NVIDIA_H100_80GB',
      acceleratorSeconds: 1800,
      placement: '',
    }),
    record('training', { jobId: 'rft-1', jobType: 'RFT', usageType: 'TRAINER_ACCELERATOR_SECONDS', tokens: 0 }),
  ]
  for (const entry of entries) {
    const original: UsageRecord = toRecord(entry)
    const written = recordToFixture(streamOf(original.kind)!, original, formatUtc)
    t.same(toRecord(JSON.parse(JSON.stringify(written))), original, original.kind)
  }
})
