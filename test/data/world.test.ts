// The default world as a whole: deterministic, order-independent, of the size the benchmarks need,
// plausible. What each part does is tested in its own file: nothing in the future in
// source.test.ts, keys and jobs in synthetic/plan.test.ts and jobs.test.ts, lifetimes and
// rollouts in synthetic/emit.test.ts.
import { join } from 'node:path'
import t from 'tap'
import { testConfig } from '../helpers.js'
import { buildApp } from '../../server/app.js'
import { FixtureError } from '../../server/data/fixtures.js'
import { recordsIn } from '../../server/data/source.js'
import { buildWorld, fixtureFolderProblem, loadWorld, type World, type WorldSpec } from '../../server/data/world.js'
import type { DedicatedRecord } from '../../server/streams/dedicated.js'
import { allStreams } from '../../server/streams/registry.js'
import type { ServerlessRecord } from '../../server/streams/serverless.js'
import type { TrainingRecord } from '../../server/streams/training.js'

type AnyRecord = ServerlessRecord | DedicatedRecord | TrainingRecord

const world = (seed: number) => loadWorld({ seed, fixtures: null, worldScale: 1 })
const NOW = Date.parse('2026-11-25T00:00:00Z')
const FROM = Date.parse('2026-10-01T00:00:00Z')
const TO = Date.parse('2026-11-01T00:00:00Z')
const all = (w: World, account: string, from = FROM, to = TO, now = NOW): AnyRecord[] =>
  allStreams().flatMap(
    spec => recordsIn(w.accounts.get(account)!, spec, { fromMs: from, toMs: to, nowMs: now }) as AnyRecord[],
  )

const w1 = world(7)

t.test('the same seed gives identical records; another seed differs', async t => {
  const a = JSON.stringify(all(w1, 'acme-ai'))
  const b = JSON.stringify(all(world(7), 'acme-ai'))
  const c = JSON.stringify(all(world(8), 'acme-ai'))
  t.equal(a, b)
  t.not(a, c)
  t.ok(a.length > 1_000_000, 'a month of the largest account is substantial')
})

t.test('the default world has the size the benchmarks need', async t => {
  const acme = w1.accounts.get('acme-ai')!
  const records = all(w1, 'acme-ai')
  const distinct = (kind: string, f: (r: any) => string) => new Set(records.filter(r => r.kind === kind).map(f)).size
  t.ok(acme.keys.length >= 50, `keys: ${acme.keys.length}`)
  t.ok(distinct('serverless', r => r.apiKeyId) >= 40, 'most keys are used in a month')
  t.ok(distinct('serverless', r => r.model) >= 15, `models: ${distinct('serverless', r => r.model)}`)
  t.ok(distinct('dedicated', r => r.deployment) >= 8, `deployments: ${distinct('dedicated', r => r.deployment)}`)
  t.ok(distinct('training', r => r.jobId) >= 20, `training jobs: ${distinct('training', r => r.jobId)}`)
  t.same(
    new Set(records.filter(r => r.kind === 'training').map(r => (r as { jobType: string }).jobType)),
    new Set(['SFT', 'DPO', 'RFT', 'RLOR_TRAINER']),
  )
  for (const key of ['team', 'project', 'environment'] as const) {
    const values = new Set(records.map(r => r.annotations[key]))
    t.ok(values.has(''), `some ${key} annotations are missing`)
    t.ok(values.size >= 3, `${key} has several values`)
  }
})

t.test('a window does not depend on how old the world is or where now is', async t => {
  const early = JSON.stringify(all(w1, 'globex', FROM, TO, TO))
  const late = JSON.stringify(all(w1, 'globex', FROM, TO, Date.parse('2031-01-01T00:00:00Z')))
  t.equal(early, late)
})

t.test('magnitudes look real: token identities, weekday rhythm, a heavy head and a long tail', async t => {
  const serverlessRecords = all(w1, 'acme-ai').filter((r): r is ServerlessRecord => r.kind === 'serverless')
  t.ok(serverlessRecords.every(r => r.cachedPromptTokens <= r.promptTokens))
  const byDay = new Map<number, number>()
  for (const r of serverlessRecords)
    byDay.set(new Date(r.time).getUTCDay(), (byDay.get(new Date(r.time).getUTCDay()) ?? 0) + r.promptTokens)
  const weekend = (byDay.get(0)! + byDay.get(6)!) / 2
  const weekday = [1, 2, 3, 4, 5].reduce((s, d) => s + byDay.get(d)!, 0) / 5
  t.ok(weekday > 1.5 * weekend, `weekday ${weekday.toExponential(2)} vs weekend ${weekend.toExponential(2)}`)
  const byKey = new Map<string, number>()
  for (const r of serverlessRecords) byKey.set(r.apiKeyId, (byKey.get(r.apiKeyId) ?? 0) + r.promptTokens)
  const sorted = [...byKey.values()].sort((a, b) => b - a)
  const total = sorted.reduce((a, b) => a + b, 0)
  t.ok((sorted[0]! + sorted[1]! + sorted[2]!) / total > 0.35, 'the top three keys carry a large share')
  t.ok(sorted[sorted.length - 1]! / total < 0.005, 'the smallest key is a sliver')
})

t.test('the order of requests does not change an answer', async t => {
  const app = buildApp(testConfig({ now: NOW }), { world: w1 })
  const auth = { authorization: 'Bearer fw_mockAcmeProdEng01' }
  const a =
    '/v1/accounts/acme-ai/billingUsage?startTime=2026-10-01T00:00:00Z&endTime=2026-10-08T00:00:00Z&groupBy=api_key_name'
  const b =
    '/v1/accounts/acme-ai/billingUsage?startTime=2026-10-05T00:00:00Z&endTime=2026-10-20T00:00:00Z&timezone=Asia/Tokyo'
  const first = (await app.inject({ url: a, headers: auth })).body
  await app.inject({ url: b, headers: auth })
  const fresh = buildApp(testConfig({ now: NOW }), { world: world(7) })
  await fresh.inject({ url: b, headers: auth })
  const second = (await fresh.inject({ url: a, headers: auth })).body
  t.equal(first, second)
  t.equal((await app.inject({ url: a, headers: auth })).body, first)
})

t.test('a world spec with problems names every one of them, rather than failing inside the generator', async t => {
  const profile = {
    account: 'voice',
    scale: 1,
    keys: 2,
    models: ['whisper-v3'],
    deployments: 0,
    trainingJobsPerMonth: 0,
  }
  // Every problem, exactly, in order: the first would hide the others.
  const problemsOf = (spec: unknown): string[] => {
    try {
      buildWorld({ seed: 1, spec: spec as WorldSpec, files: [] })
    } catch (err) {
      if (err instanceof FixtureError) return err.problems
      throw err
    }
    return []
  }
  t.same(
    problemsOf({
      start: 'yesterday',
      accounts: [
        { ...profile, scale: -1, keys: 1.5, models: ['whisper-v3', 3], trainingJobsPerMonth: '2' },
        // whisper-v3 is priced per audio second: no text model to deploy
        { ...profile, account: 'voice-2', deployments: 2 },
        { ...profile, account: 'voice-2' },
        null,
        { ...profile, account: 'voice-3', deployment: 1 },
      ],
    }),
    [
      'world.json: start: must be an RFC 3339 timestamp',
      'world.json: accounts[0]: scale: must be a number >= 0',
      'world.json: accounts[0]: keys: must be an integer >= 0',
      'world.json: accounts[0]: models: must be an array of model ids',
      'world.json: accounts[0]: trainingJobsPerMonth: must be a number >= 0',
      'world.json: accounts[1]: deployments: need a text model in models to serve',
      'world.json: accounts[2]: account: voice-2 is listed twice',
      'world.json: accounts[3]: must be an object',
      'world.json: accounts[4]: deployment: unknown field (did you mean "deployments"?)',
    ],
  )
  t.same(problemsOf({ start: '2026-01-01T00:00:00Z', accounts: {} }), ['world.json: accounts: must be an array'])
  t.same(problemsOf(null), ['world.json: must be an object with start and accounts'])

  // The same audio-only profile without deployments is a valid world: audio rows only.
  const w = buildWorld({ seed: 1, spec: { start: '2026-01-01T00:00:00Z', accounts: [profile] }, files: [] })
  const records = all(w, 'voice') as ServerlessRecord[]
  t.ok(records.length > 0, 'the account has usage')
  t.same(
    [...new Set(records.map(r => `${r.kind} ${r.usageType} ${r.model}`))],
    ['serverless AUDIO_INFERENCE_USAGE accounts/fireworks/models/whisper-v3'],
  )
})

t.test('a fixtures folder that is missing or holds no fixture file stops start-up, said in words', async t => {
  const problemsOf = (fixtures: string): string[] => {
    try {
      loadWorld({ seed: 1, fixtures, worldScale: 1 })
    } catch (err) {
      if (err instanceof FixtureError) return err.problems
      throw err
    }
    return []
  }
  const root = t.testdir({ lines: { 'acme.jsonl': '{}\n', 'notes.txt': 'x' }, empty: {}, 'a-file.json': '[]' })
  t.same(problemsOf(`${root}/lines`), [
    `fixtures "${root}/lines": no *.json or *.ndjson fixture file in ${root}/lines (found only acme.jsonl, notes.txt)`,
  ])
  t.same(problemsOf(`${root}/empty`), [
    `fixtures "${root}/empty": no *.json or *.ndjson fixture file in ${root}/empty (it is empty)`,
  ])
  t.same(problemsOf(`${root}/nowhere`), [`fixtures "${root}/nowhere": no such folder: ${root}/nowhere`])
  t.same(problemsOf(`${root}/a-file.json`), [`fixtures "${root}/a-file.json": not a folder: ${root}/a-file.json`])
  t.same(problemsOf(`${root}/a-file.json/x`), [
    `fixtures "${root}/a-file.json/x": no such folder: ${root}/a-file.json/x (a part of the path is a file)`,
  ])
})

t.test('fixtureFolderProblem resolves a relative folder against the working directory', async t => {
  const root = t.testdir({ fx: { 'a.ndjson': '' } })
  t.equal(fixtureFolderProblem(`${root}/fx`), undefined)
  t.equal(fixtureFolderProblem('fixtures/exmaples'), `no such folder: ${join(process.cwd(), 'fixtures/exmaples')}`)
})

t.test('SYNTHETIC=off: only the given fixtures, none of the default world', async t => {
  t.equal(
    loadWorld({ seed: 1, fixtures: null, worldScale: 1, synthetic: 'off' }).accounts.size,
    0,
    'no fixtures: empty',
  )
  const root = t.testdir({
    solo: {
      'solo.ndjson': [
        '{"account": "solo", "keys": [{"id": "key_Solo", "name": "main", "secret": "fw_solo"}]}',
        '{"kind": "serverless", "account": "solo", "time": "2026-05-28T10:00:00Z", "promptTokens": 7}',
      ].join('\n'),
    },
    default: { 'x.ndjson': '{"kind": "serverless", "account": "acme-ai", "time": "2026-05-28T10:00:00Z"}' },
  })
  const solo = loadWorld({ seed: 1, fixtures: `${root}/solo`, worldScale: 1, synthetic: 'off' })
  t.same([...solo.accounts.keys()], ['solo'])
  t.equal(solo.accounts.get('solo')?.synthetic, undefined)
  t.same([...solo.keysBySecret.keys()], ['fw_solo'], "not even the default world's fixed keys")
  t.same(
    (() => {
      try {
        loadWorld({ seed: 1, fixtures: `${root}/default`, worldScale: 1, synthetic: 'off' })
      } catch (err) {
        return (err as FixtureError).problems
      }
      return []
    })(),
    [`${root}/default/x.ndjson:1: account: no fixture file or world defines account "acme-ai"`],
    'a default account is not there to add records to',
  )
  t.ok(loadWorld({ seed: 1, fixtures: `${root}/solo`, worldScale: 1, synthetic: 'on' }).accounts.has('acme-ai'))
})
