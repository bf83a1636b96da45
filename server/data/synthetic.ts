// Synthetic usage: every hourly record is a pure function of (seed, account, series, hour), so
// any window of history exists without being stored, answers never depend on request order, and
// a 31-day window costs the same however old the world is.

// Only the English locale: the full package costs ~35 MB of memory for data we never use.
import { faker } from '@faker-js/faker/locale/en'
import { HOUR_MS } from '../time.js'
import { gaussian, hashString, mix, pick, pickWeighted, randomId, rng, unit } from './hash.js'
import { MODEL_PREFIX, modelPrice, rateWith, type ModelPrice } from './prices.js'
import type { Annotations, DedicatedRecord, KeyDef, ServerlessRecord, TrainingRecord } from './records.js'

/** How an account of the default world behaves; `fixtures/world.json` lists them. */
export interface AccountProfile {
  account: string
  /** Multiplies serverless volume. */
  scale: number
  /** Total API keys, the fixture-defined ones first. */
  keys: number
  /** Serverless model ids (without accounts/fireworks/models/), most used first. */
  models: string[]
  deployments: number
  trainingJobsPerMonth: number
}

export interface SyntheticKey extends KeyDef {
  annotations: Annotations
  createdHour: number
  revokedHour: number
}

interface ServerlessSeries {
  /** The series' constant fields as a record (time and quantities are placeholders). */
  template: ServerlessRecord
  key: SyntheticKey
  model: string
  price: ModelPrice | undefined
  audio: boolean
  /** Expected prompt tokens (or audio seconds x 200) per hour at the daily peak. */
  peak: number
  cachedFraction: number
  completionRatio: number
  seed: number
}

interface DeploymentSeries {
  template: DedicatedRecord
  name: string
  acceleratorType: string
  replicas: number
  baseModel: string
  placement: string
  annotations: Annotations
  createdHour: number
  deletedHour: number
  pattern: 'always-on' | 'autoscale' | 'business-hours'
  seed: number
}

interface TrainingJob {
  template: TrainingRecord
  /** RFT jobs: the deployment that serves the job's rollouts. */
  rollout?: { template: DedicatedRecord; replicas: number }
  jobId: string
  jobType: 'SFT' | 'DPO' | 'RFT' | 'RLOR_TRAINER'
  baseModel: string
  acceleratorType: string
  accelerators: number
  tokensPerHour: number
  startHour: number
  hours: number
  trainingSessionId: string
  annotations: Annotations
  seed: number
}

export interface SyntheticAccount {
  account: string
  keys: SyntheticKey[]
  serverless: ServerlessSeries[]
  deployments: DeploymentSeries[]
  /** Training jobs start one per period (plus jitter) from the world's start, forever. */
  jobPeriodHours: number
  jobAt: (index: number) => TrainingJob
  startHour: number
}

const TEAMS = ['search', 'ads', 'platform', 'research', 'growth', 'support', 'data']
const PROJECTS = ['chatbot', 'summarizer', 'copilot', 'indexer', 'eval-harness', 'agents', 'translator']
const ENVIRONMENTS = ['prod', 'staging', 'dev']
const KEY_PREFIXES = ['svc', 'ci', 'batch', 'app', 'eval', 'etl', 'agent', 'rag', 'notebook']
const PLACEMENTS = ['US_IOWA_1', 'US_VIRGINIA_1', 'EU_FRANKFURT_1', 'AP_TOKYO_1', 'GLOBAL', 'US', 'EUROPE', 'APAC']
const DEPLOYMENT_ACCELERATORS: [string, number][] = [
  ['NVIDIA_H100_80GB', 5],
  ['NVIDIA_H200_141GB', 3],
  ['NVIDIA_B200_180GB', 2],
  ['NVIDIA_A100_80GB', 2],
  ['AMD_MI300X_192GB', 1],
  ['NVIDIA_L4_24GB', 1],
]
const TRAINER_ACCELERATORS = ['NVIDIA_H100_80GB', 'NVIDIA_H200_141GB', 'NVIDIA_B200_180GB']
const TUNABLE_MODELS: [string, number][] = [
  ['llama-v3p1-8b-instruct', 30_000_000],
  ['qwen3-8b', 30_000_000],
  ['llama-v3p3-70b-instruct', 6_000_000],
  ['qwen2p5-72b-instruct', 6_000_000],
  ['kimi-k2p6', 2_000_000],
]
const JOB_TYPES: [TrainingJob['jobType'], number][] = [
  ['SFT', 45],
  ['DPO', 20],
  ['RFT', 20],
  ['RLOR_TRAINER', 15],
]
const JOB_HOURS: Record<TrainingJob['jobType'], [number, number]> = {
  SFT: [2, 30],
  DPO: [2, 20],
  RFT: [6, 72],
  RLOR_TRAINER: [12, 120],
}
const MAX_JOB_HOURS = 120
/**
 * Keys and deployments appear during the world's first 60 days, so a key created in February
 * has no January usage, yet from then on the number of live series is steady: a 31-day query
 * costs the same whether the world is 90 days or five years old.
 */
const KEY_CREATION_DAYS = 60
/** Peak prompt tokens per hour of the heaviest key, before the account's scale. */
const PEAK_TOKENS_PER_HOUR = 40_000_000
/** Below this many expected tokens an hour, a series is idle in some hours rather than tiny in all. */
const SPARSE_TOKENS = 50_000

// Daily rhythm by UTC hour (US working hours peak) and the weekend dip.
const DIURNAL = [
  0.55, 0.45, 0.38, 0.32, 0.3, 0.3, 0.32, 0.38, 0.45, 0.52, 0.6, 0.68, 0.76, 0.85, 0.95, 1, 1, 0.98, 0.95, 0.9, 0.85,
  0.78, 0.7, 0.62,
]
/** 0 is Sunday; 1970-01-01 (hour 0) was a Thursday. */
function weekdayOf(hour: number): number {
  return (Math.floor(hour / 24) + 4) % 7
}
function rhythm(hour: number): number {
  const weekday = weekdayOf(hour)
  return (DIURNAL[hour % 24] as number) * (weekday === 0 || weekday === 6 ? 0.45 : 1)
}

function annotationsFrom(next: () => number): Annotations {
  return {
    team: next() < 0.85 ? pick(next, TEAMS) : '',
    project: next() < 0.7 ? pick(next, PROJECTS) : '',
    environment: next() < 0.8 ? pick(next, ENVIRONMENTS) : '',
  }
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

export interface SyntheticOptions {
  seed: number
  startMs: number
  profile: AccountProfile
  /** The account's keys from fixture files; they come first and exist from the world's start. */
  explicitKeys: KeyDef[]
  /** Multiplies the number of keys, deployments and training jobs (for scale benchmarks). */
  multiplier: number
}

export function buildSyntheticAccount(opts: SyntheticOptions): SyntheticAccount {
  const { seed, profile, multiplier } = opts
  const account = profile.account
  const startHour = Math.floor(opts.startMs / HOUR_MS)
  const entity = (what: string, i: number) => hashString(`${seed}|${account}|${what}|${i}`)

  const keys: SyntheticKey[] = []
  const names = new Set<string>()
  const keyCount = Math.max(Math.round(profile.keys * multiplier), opts.explicitKeys.length)
  for (let i = 0; i < keyCount; i++) {
    const next = rng(entity('key', i))
    const explicit = opts.explicitKeys[i]
    if (explicit) {
      keys.push({ ...explicit, annotations: annotationsFrom(next), createdHour: startHour, revokedHour: Infinity })
      names.add(explicit.name)
      continue
    }
    faker.seed(entity('key-name', i))
    let name = `${pick(next, KEY_PREFIXES)}-${slug(faker.word.noun())}`
    if (names.has(name)) name = `${name}-${i}`
    names.add(name)
    const createdHour = startHour + Math.floor(next() * KEY_CREATION_DAYS * 24)
    keys.push({
      id: `key_${randomId(next, 16)}`,
      name,
      secret: `fw_${randomId(next, 24)}`,
      annotations: annotationsFrom(next),
      createdHour,
      revokedHour: next() < 0.1 ? createdHour + Math.floor((30 + next() * 170) * 24) : Infinity,
    })
  }

  const models = profile.models.map((id, rank) => [id, 1 / Math.pow(1 + rank, 0.9)] as [string, number])
  const serverless: ServerlessSeries[] = []
  keys.forEach((key, i) => {
    const next = rng(entity('key-models', i))
    const keyWeight = 1 / Math.pow(1 + i, 1.1)
    const chosen = new Set<string>()
    const want = Math.min(1 + Math.floor(next() * 4), models.length)
    while (chosen.size < want) chosen.add(pickWeighted(next, models))
    const shares = [...chosen].map(() => 0.2 + next())
    const total = shares.reduce((a, b) => a + b, 0)
    ;[...chosen].forEach((id, j) => {
      const model = MODEL_PREFIX + id
      const price = modelPrice(model)
      const audio = price?.kind === 'audio'
      serverless.push({
        template: {
          kind: 'serverless',
          account,
          time: 0,
          model,
          apiKeyId: key.id,
          apiKeyName: key.name,
          usageType: audio ? 'AUDIO_INFERENCE_USAGE' : 'TEXT_COMPLETION_INFERENCE_USAGE',
          promptTokens: 0,
          cachedPromptTokens: 0,
          completionTokens: 0,
          audioInputSeconds: 0,
          costNanoUsd: 0,
          annotations: key.annotations,
        },
        key,
        model,
        price,
        audio,
        peak: (PEAK_TOKENS_PER_HOUR * profile.scale * keyWeight * (shares[j] as number)) / total,
        cachedFraction: 0.1 + 0.6 * next(),
        completionRatio: 0.05 + 0.35 * next(),
        seed: hashString(`${seed}|${account}|serverless|${key.id}|${model}`),
      })
    })
  })

  const deployments: DeploymentSeries[] = []
  for (let j = 0; j < Math.round(profile.deployments * multiplier); j++) {
    const next = rng(entity('deployment', j))
    faker.seed(entity('deployment-name', j))
    const model = pick(next, profile.models.filter(m => m !== 'whisper-v3'))
    const id = `${model.split('-').slice(0, 2).join('-')}-${slug(faker.word.adjective())}-${randomId(next, 4, 'lower')}`
    const createdHour = j === 0 ? startHour : startHour + Math.floor(next() * KEY_CREATION_DAYS * 24)
    const name = `accounts/${account}/deployments/${id}`
    const acceleratorType = pickWeighted(next, DEPLOYMENT_ACCELERATORS)
    const replicas = pick(next, [1, 2, 4, 8])
    const placement = pick(next, PLACEMENTS)
    const annotations = annotationsFrom(next)
    deployments.push({
      template: {
        kind: 'dedicated',
        account,
        time: 0,
        deployment: name,
        acceleratorType,
        acceleratorSeconds: 0,
        baseModel: MODEL_PREFIX + model,
        placement,
        usageType: 'DEDICATED_DEPLOYMENT_USAGE',
        annotations,
      },
      name,
      acceleratorType,
      replicas,
      baseModel: MODEL_PREFIX + model,
      placement,
      annotations,
      createdHour,
      deletedHour: j > 0 && next() < 0.2 ? createdHour + Math.floor((14 + next() * 120) * 24) : Infinity,
      pattern: pickWeighted(next, [
        ['always-on', 4],
        ['autoscale', 4],
        ['business-hours', 2],
      ] as const),
      seed: hashString(`${seed}|${account}|dedicated|${id}`),
    })
  }

  const jobsPerMonth = profile.trainingJobsPerMonth * multiplier
  const jobPeriodHours = jobsPerMonth > 0 ? Math.max(1, Math.round((30 * 24) / jobsPerMonth)) : Infinity
  const jobAt = (k: number): TrainingJob => {
    const next = rng(entity('job', k))
    const jobType = pickWeighted(next, JOB_TYPES)
    const [minHours, maxHours] = JOB_HOURS[jobType]
    const [model, tokensPerHour] = pick(next, TUNABLE_MODELS)
    const usesAccelerators = jobType === 'RFT' || jobType === 'RLOR_TRAINER'
    const job = {
      jobId: `${jobType.toLowerCase().replace('_', '-')}-${randomId(next, 10, 'lower')}`,
      jobType,
      baseModel: MODEL_PREFIX + model,
      acceleratorType: usesAccelerators ? pick(next, TRAINER_ACCELERATORS) : '',
      accelerators: usesAccelerators ? pick(next, [4, 8]) : 0,
      tokensPerHour: usesAccelerators ? 0 : tokensPerHour * (0.7 + 0.6 * next()),
      startHour: startHour + k * jobPeriodHours + Math.floor(next() * jobPeriodHours),
      hours: minHours + Math.floor(next() * (maxHours - minHours + 1)),
      trainingSessionId: usesAccelerators ? `sess-${randomId(next, 12, 'lower')}` : '',
      annotations: annotationsFrom(next),
      seed: hashString(`${seed}|${account}|training|${k}`),
    }
    const template: TrainingRecord = {
      kind: 'training',
      account,
      time: 0,
      jobId: job.jobId,
      jobType,
      usageType: usesAccelerators ? 'TRAINER_ACCELERATOR_SECONDS' : 'TRAINING_TOKENS',
      tokens: 0,
      acceleratorType: job.acceleratorType,
      acceleratorSeconds: 0,
      baseModel: job.baseModel,
      trainingSessionId: job.trainingSessionId,
      annotations: job.annotations,
    }
    const rollout =
      jobType === 'RFT'
        ? {
            replicas: Math.max(1, job.accelerators / 4),
            template: {
              kind: 'dedicated' as const,
              account,
              time: 0,
              deployment: `accounts/${account}/deployments/${job.jobId}-rollout`,
              acceleratorType: job.acceleratorType,
              acceleratorSeconds: 0,
              baseModel: job.baseModel,
              placement: 'US_IOWA_1',
              usageType: 'DEDICATED_DEPLOYMENT_USAGE',
              annotations: job.annotations,
            },
          }
        : undefined
    return { ...job, template, rollout }
  }

  return { account, keys, serverless, deployments, jobPeriodHours, jobAt, startHour }
}

/**
 * Noise for (series, hour, salt): one hash picks one of 4096 standard normal values drawn once
 * from a fixed generator, and the log-normal factors exp(sigma * z) are tabled too. Same
 * determinism as drawing each time, without a log, a square root and a cosine per record.
 */
const NOISE_BITS = 12
const NORMAL = (() => {
  const next = rng(0x9e3779b9)
  return Float64Array.from({ length: 1 << NOISE_BITS }, () => gaussian(next(), next()))
})()
const lognormal = (sigma: number) => NORMAL.map(z => Math.exp(sigma * z))
const LOGNORMAL_30 = lognormal(0.3)
const LOGNORMAL_25 = lognormal(0.25)
const LOGNORMAL_20 = lognormal(0.2)
const LOGNORMAL_10 = lognormal(0.1)

function noiseIndex(seriesSeed: number, hour: number, salt: number): number {
  return mix(mix(seriesSeed, hour), salt) >>> (32 - NOISE_BITS)
}

/**
 * Receives records series by series: `begin` with the series' constant fields (a record whose
 * time and quantities are placeholders), then `add` for each record of the series, with its
 * time and its quantities in measuresOf order. `begin` returning false skips the series, so
 * a filtered-out series costs nothing. The measures array is reused: copy what you keep.
 */
export interface SeriesVisitor<R> {
  begin(template: R): boolean
  add(time: number, measures: readonly number[]): void
}

/**
 * Serverless series over hours [fromHour, toHour). Each hourly record covers the hour that
 * starts at its time.
 */
export function visitServerless(acct: SyntheticAccount, fromHour: number, toHour: number, v: SeriesVisitor<ServerlessRecord>): void {
  const m = [0, 0, 0, 0, 0]
  for (const s of acct.serverless) {
    const first = Math.max(fromHour, s.key.createdHour)
    const last = Math.min(toHour, s.key.revokedHour)
    if (first >= last || !v.begin(s.template)) continue
    for (let h = first; h < last; h++) {
      let expected = s.peak * rhythm(h) * (LOGNORMAL_30[noiseIndex(s.seed, h, 1)] as number)
      if (expected < SPARSE_TOKENS) {
        if (unit(mix(s.seed, h)) * SPARSE_TOKENS >= expected) continue
        expected = SPARSE_TOKENS
      }
      const ratio = s.completionRatio * (LOGNORMAL_20[noiseIndex(s.seed, h, 2)] as number)
      let promptTokens = 0
      let cached = 0
      let completion: number
      let audio = 0
      if (s.audio) {
        audio = Math.round((expected / 200) * 1000) / 1000
        completion = Math.round(audio * 2.6)
      } else {
        promptTokens = Math.round(expected)
        const fraction = Math.min(0.95, Math.max(0, s.cachedFraction + 0.08 * (NORMAL[noiseIndex(s.seed, h, 3)] as number)))
        cached = Math.round(promptTokens * fraction)
        completion = Math.round(promptTokens * ratio)
      }
      m[0] = promptTokens
      m[1] = cached
      m[2] = completion
      m[3] = Math.round(audio * 1e6)
      m[4] = rateWith(s.price, promptTokens, cached, completion, audio)
      v.add(h * HOUR_MS, m)
    }
  }
}

export function visitDedicated(acct: SyntheticAccount, fromHour: number, toHour: number, v: SeriesVisitor<DedicatedRecord>): void {
  const m = [0]
  for (const d of acct.deployments) {
    const first = Math.max(fromHour, d.createdHour)
    const last = Math.min(toHour, d.deletedHour)
    if (first >= last || !v.begin(d.template)) continue
    for (let h = first; h < last; h++) {
      let replicas = d.replicas
      if (d.pattern === 'autoscale') {
        const wanted = d.replicas * rhythm(h) * (LOGNORMAL_25[noiseIndex(d.seed, h, 1)] as number)
        replicas = Math.min(d.replicas, Math.max(1, Math.round(wanted)))
      } else if (d.pattern === 'business-hours') {
        const weekday = weekdayOf(h)
        if (weekday === 0 || weekday === 6 || h % 24 < 14) continue
      }
      m[0] = replicas * 3600
      v.add(h * HOUR_MS, m)
    }
  }
  // [real] The inference deployment that serves an RFT job's rollouts is dedicated usage, not
  // training: it runs, on its own deployment, for as long as the job does.
  forEachJob(acct, fromHour, toHour, (job, first, last) => {
    if (!job.rollout || !v.begin(job.rollout.template)) return
    m[0] = job.rollout.replicas * 3600
    for (let h = first; h < last; h++) v.add(h * HOUR_MS, m)
  })
}

/** Each training job that runs during [fromHour, toHour), with the hours of it inside. */
function forEachJob(acct: SyntheticAccount, fromHour: number, toHour: number, fn: (job: TrainingJob, first: number, last: number) => void): void {
  const period = acct.jobPeriodHours
  if (!Number.isFinite(period)) return
  const firstJob = Math.max(0, Math.floor((fromHour - acct.startHour - MAX_JOB_HOURS) / period) - 1)
  const lastJob = Math.floor((toHour - acct.startHour) / period)
  for (let k = firstJob; k <= lastJob; k++) {
    const job = acct.jobAt(k)
    const first = Math.max(fromHour, job.startHour)
    const last = Math.min(toHour, job.startHour + job.hours)
    if (first < last) fn(job, first, last)
  }
}

export function visitTraining(acct: SyntheticAccount, fromHour: number, toHour: number, v: SeriesVisitor<TrainingRecord>): void {
  const m = [0, 0]
  forEachJob(acct, fromHour, toHour, (job, first, last) => {
    if (!v.begin(job.template)) return
    for (let h = first; h < last; h++) {
      m[0] = job.tokensPerHour > 0 ? Math.round(job.tokensPerHour * (LOGNORMAL_10[noiseIndex(job.seed, h, 1)] as number)) : 0
      m[1] = job.accelerators * 3600
      v.add(h * HOUR_MS, m)
    }
  })
}
