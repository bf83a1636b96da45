// Planning a synthetic account: keys (fixture ones first), serverless series, deployments and
// the job schedule, as pure functions of (seed, account, entity), counts scaled by the multiplier.
import t from 'tap'
import {
  buildSyntheticAccount,
  type AccountProfile,
  type SyntheticOptions,
} from '../../../server/data/synthetic/plan.js'
import { DEPLOYMENT_WORDS, KEY_PREFIXES, KEY_WORDS } from '../../../server/data/synthetic/catalog.js'
import { modelName } from '../../fixture-records.js'

const START_MS = Date.parse('2026-01-01T00:00:00Z')
const START_HOUR = START_MS / 3_600_000
const DAY = 24
const PROFILE: AccountProfile = {
  account: 'plan-co',
  scale: 1,
  keys: 20,
  models: ['kimi-k2p6', 'gpt-oss-20b', 'whisper-v3', 'qwen3-8b', 'glm-4p7'],
  deployments: 6,
  trainingJobsPerMonth: 30,
}
const FIXTURE_KEYS = [
  { id: 'key_PlanFixture00001', name: 'prod-eng', secret: 'fw_planFixture01' },
  { id: 'key_PlanFixture00002', name: 'staging', secret: 'fw_planFixture02' },
]
const plan = (overrides: Partial<SyntheticOptions> = {}, profile: Partial<AccountProfile> = {}) =>
  buildSyntheticAccount({
    seed: 11,
    startMs: START_MS,
    profile: { ...PROFILE, ...profile },
    explicitKeys: FIXTURE_KEYS,
    multiplier: 1,
    ...overrides,
  })

t.test('fixture keys come first and exist from the start, never revoked', async t => {
  const { keys, startHour } = plan()
  t.equal(startHour, START_HOUR)
  t.same(
    keys.slice(0, 2).map(k => [k.id, k.name, k.secret, k.createdHour, k.revokedHour]),
    FIXTURE_KEYS.map(k => [k.id, k.name, k.secret, START_HOUR, Infinity]),
  )
})

t.test('the other keys are created during the first 60 days; some are revoked after 30 to 200 days', async t => {
  const keys = plan({}, { keys: 60 }).keys.slice(2)
  const days = (k: { createdHour: number }) => (k.createdHour - START_HOUR) / DAY
  t.same(
    keys.filter(k => days(k) < 0 || days(k) >= 60).map(k => k.name),
    [],
  )
  t.ok(
    keys.some(k => days(k) > 30),
    'a key created weeks after the start',
  )
  const revoked = keys.filter(k => k.revokedHour !== Infinity)
  t.ok(revoked.length > 0 && revoked.length < keys.length / 3, `revoked: ${revoked.length} of ${keys.length}`)
  t.same(
    revoked.filter(k => k.revokedHour < k.createdHour + 30 * DAY || k.revokedHour >= k.createdHour + 200 * DAY),
    [],
  )
})

t.test('keys have well-formed, unique names, ids and secrets', async t => {
  const keys = plan({}, { keys: 60 }).keys.slice(2)
  const name = new RegExp(`^(${KEY_PREFIXES.join('|')})-[a-z0-9]+(-[a-z0-9]+)*$`)
  t.same(
    keys.filter(k => !name.test(k.name)).map(k => k.name),
    [],
  )
  t.same(
    keys.filter(k => !/^key_[A-Za-z0-9]{16}$/.test(k.id)).map(k => k.id),
    [],
  )
  t.same(
    keys.filter(k => !/^fw_[A-Za-z0-9]{24}$/.test(k.secret)).map(k => k.secret),
    [],
  )
  const all = plan({}, { keys: 60 }).keys
  t.equal(new Set(all.map(k => k.name)).size, all.length, 'names are unique, fixture ones included')
  t.equal(new Set(all.map(k => k.id)).size, all.length)
})

t.test('counts scale with the multiplier; fixture keys are never dropped', async t => {
  const counts = (multiplier: number) => {
    const a = plan({ multiplier })
    return [a.keys.length, a.deployments.length, a.jobPeriodHours]
  }
  // 20 keys, 6 deployments, 30 jobs a month: one every 720 / 30 = 24 hours
  t.same(counts(1), [20, 6, 24])
  t.same(counts(3), [60, 18, 8]) // 90 jobs a month: every 8 hours
  t.same(counts(0.5), [10, 3, 48])
  t.same(counts(0.31), [6, 2, 77]) // 6.2 keys, 1.86 deployments, 720 / 9.3 = 77.4 hours: rounded
  t.same(counts(0.05), [2, 0, 480], 'one key by the profile, but two fixture keys')
  t.same(plan({}, { trainingJobsPerMonth: 0 }).jobPeriodHours, Infinity, 'no training')
})

t.test('the same seed gives the same plan; another seed other names', async t => {
  const describe = (seed: number) => {
    const a = plan({ seed })
    return JSON.stringify({
      keys: a.keys,
      serverless: a.serverless.map(s => [s.template, s.peak, s.cachedFraction, s.completionRatio, s.seed]),
      deployments: a.deployments,
      jobs: [0, 1, 2].map(k => a.jobAt(k)),
    })
  }
  t.equal(describe(11), describe(11))
  const names = (seed: number) => plan({ seed }).keys.map(k => k.name)
  t.same(names(11), names(11))
  t.not(names(11).slice(2).join(), names(12).slice(2).join())
  t.same(names(12).slice(0, 2), ['prod-eng', 'staging'], 'fixture keys keep their names')
})

t.test('generated names are made of the hand-chosen words only', async t => {
  const a = plan({}, { keys: 60, deployments: 20 })
  // <prefix>-<word>, and -<index> after a name already taken
  const words = (name: string) => /^([a-z]+)-(.+?)(-\d+)?$/.exec(name)!
  t.same(
    a.keys
      .slice(2)
      .map(k => words(k.name))
      .filter(m => !KEY_PREFIXES.includes(m[1]!) || !KEY_WORDS.includes(m[2]!))
      .map(m => m[0]),
    [],
  )
  // accounts/<account>/deployments/<model's first two parts>-<word>-<4 characters>
  t.same(
    a.deployments
      .map(d => /^accounts\/plan-co\/deployments\/[a-z0-9]+-[a-z0-9]+-(.+)-[a-z0-9]{4}$/.exec(d.template.deployment))
      .filter(m => !m || !DEPLOYMENT_WORDS.includes(m[1]!)),
    [],
  )
  t.same(
    [...KEY_WORDS, ...DEPLOYMENT_WORDS].filter(w => !/^[a-z]+(-[a-z]+)?$/.test(w)),
    [],
    'plain lower-case words, as names carry them',
  )
})

t.test('each key uses one to four models of the profile; its series share its peak', async t => {
  const a = plan()
  const byKey = new Map<string, string[]>()
  for (const s of a.serverless) byKey.set(s.key.id, [...(byKey.get(s.key.id) ?? []), s.template.model])
  t.same(
    [...byKey.keys()],
    a.keys.map(k => k.id),
    'every key, in key order',
  )
  const profileModels = new Set(PROFILE.models.map(modelName))
  t.same(
    [...byKey].filter(([, models]) => models.length < 1 || models.length > 4 || new Set(models).size !== models.length),
    [],
  )
  t.same(
    a.serverless.filter(s => !profileModels.has(s.template.model)),
    [],
  )
  // key i's series share 40M x scale / (1 + i)^1.1 tokens an hour at the daily peak
  a.keys.forEach((key, i) => {
    const sum = a.serverless.filter(s => s.key.id === key.id).reduce((total, s) => total + s.peak, 0)
    const expected = 40_000_000 / Math.pow(1 + i, 1.1)
    t.ok(Math.abs(sum - expected) < 1e-6 * expected, `key ${i}: ${sum} vs ${expected}`)
  })
})

t.test("a series' template carries its key, model and usage type", async t => {
  const a = plan()
  const wrong = a.serverless.filter(
    s =>
      s.template.apiKeyId !== s.key.id ||
      s.template.apiKeyName !== s.key.name ||
      s.template.annotations !== s.key.annotations ||
      s.template.account !== 'plan-co' ||
      s.template.usageType !==
        (s.template.model === modelName('whisper-v3') ? 'AUDIO_INFERENCE_USAGE' : 'TEXT_COMPLETION_INFERENCE_USAGE') ||
      s.audio !== (s.template.model === modelName('whisper-v3')),
  )
  t.same(wrong, [])
  t.ok(
    a.serverless.some(s => s.audio),
    'the audio model is used',
  )
})

t.test('deployments: the first from the start and kept; names under the account; no audio base model', async t => {
  const { deployments } = plan({}, { deployments: 20 })
  t.equal(deployments[0]!.createdHour, START_HOUR)
  t.equal(deployments[0]!.deletedHour, Infinity)
  t.same(
    deployments.filter(d => !/^accounts\/plan-co\/deployments\/[a-z0-9]+(-[a-z0-9]+)+$/.test(d.template.deployment)),
    [],
  )
  t.same(
    deployments.filter(d => d.template.baseModel === modelName('whisper-v3')),
    [],
  )
  t.same(
    deployments.filter(d => d.createdHour < START_HOUR || d.createdHour >= START_HOUR + 60 * DAY),
    [],
  )
  t.same(
    deployments.filter(d => d.deletedHour !== Infinity && d.deletedHour < d.createdHour + 14 * DAY),
    [],
    'a deleted deployment lived at least 14 days',
  )
  t.same(new Set(deployments.map(d => d.pattern)), new Set(['always-on', 'autoscale', 'business-hours']))
})
