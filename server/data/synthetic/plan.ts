// Planning a synthetic account: its keys, the serverless series (key x model), deployments and
// the schedule of training jobs, each a pure function of (seed, account, entity). Emitting the
// hourly records of a plan is emit.ts.

import { MODEL_PREFIX, modelPrice, type ModelPrice } from '../prices.js'
import type { Annotations, KeyDef } from '../../model/records.js'
import type { DedicatedRecord } from '../../streams/dedicated.js'
import { allStreams } from '../../streams/registry.js'
import { isAudio, type ServerlessRecord } from '../../streams/serverless.js'
import { HOUR_MS } from '../../time.js'
import { hashString, pick, pickWeighted, randomId, rng } from '../hash.js'
import {
  annotationsFrom,
  DEPLOYMENT_ACCELERATORS,
  DEPLOYMENT_WORDS,
  KEY_CREATION_DAYS,
  KEY_PREFIXES,
  KEY_WORDS,
  PEAK_TOKENS_PER_HOUR,
  PLACEMENTS,
} from './catalog.js'
import { planJobs, type TrainingJob } from './jobs.js'

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

export interface ServerlessSeries {
  /** The series' constant fields as a record (time and quantities are placeholders). */
  template: ServerlessRecord
  key: SyntheticKey
  price: ModelPrice | undefined
  audio: boolean
  /** Expected prompt tokens (or audio seconds x 200) per hour at the daily peak. */
  peak: number
  cachedFraction: number
  completionRatio: number
  seed: number
}

export interface DeploymentSeries {
  template: DedicatedRecord
  replicas: number
  createdHour: number
  deletedHour: number
  pattern: 'always-on' | 'autoscale' | 'business-hours'
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
  /** The series of the streams that bring their own synthetic records (StreamSpec.synthetic), by kind. */
  planned: ReadonlyMap<string, unknown>
}

export interface SyntheticOptions {
  seed: number
  startMs: number
  profile: AccountProfile
  /** The account's keys from fixture files; they come first and exist from the world's start. */
  explicitKeys: KeyDef[]
  /** Multiplies the number of keys, deployments and training jobs (for scale benchmarks). */
  multiplier: number
}

/** A pure function of (seed, account, what, index): the root of every draw of one entity. */
type EntitySeed = (what: string, index: number) => number

function planKeys(opts: SyntheticOptions, entity: EntitySeed, startHour: number): SyntheticKey[] {
  const keys: SyntheticKey[] = []
  const names = new Set<string>()
  const keyCount = Math.max(Math.round(opts.profile.keys * opts.multiplier), opts.explicitKeys.length)
  for (let i = 0; i < keyCount; i++) {
    const next = rng(entity('key', i))
    const explicit = opts.explicitKeys[i]
    if (explicit) {
      keys.push({ ...explicit, annotations: annotationsFrom(next), createdHour: startHour, revokedHour: Infinity })
      names.add(explicit.name)
      continue
    }
    // A name's word has a generator of its own (as the Faker words it replaced had), so that
    // every other draw of the key, and so every record, stays what it was.
    let name = `${pick(next, KEY_PREFIXES)}-${pick(rng(entity('key-name', i)), KEY_WORDS)}`
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
  return keys
}

/** The models a profile's deployments serve: its text models (this world serves audio serverless only). */
export function deployableModels(profile: AccountProfile): string[] {
  return profile.models.filter(m => !isAudio(modelPrice(MODEL_PREFIX + m), ''))
}

/** Each key uses one to four models, the popular ones more often; heavy keys come first. */
function planServerless(opts: SyntheticOptions, entity: EntitySeed, keys: SyntheticKey[]): ServerlessSeries[] {
  const { seed, profile } = opts
  const account = profile.account
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
      const audio = isAudio(price, '')
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
        price,
        audio,
        peak: (PEAK_TOKENS_PER_HOUR * profile.scale * keyWeight * (shares[j] as number)) / total,
        cachedFraction: 0.1 + 0.6 * next(),
        completionRatio: 0.05 + 0.35 * next(),
        seed: hashString(`${seed}|${account}|serverless|${key.id}|${model}`),
      })
    })
  })
  return serverless
}

function planDeployments(opts: SyntheticOptions, entity: EntitySeed, startHour: number): DeploymentSeries[] {
  const { seed, profile } = opts
  const account = profile.account
  const deployments: DeploymentSeries[] = []
  for (let j = 0; j < Math.round(profile.deployments * opts.multiplier); j++) {
    const next = rng(entity('deployment', j))
    const model = pick(next, deployableModels(profile))
    const word = pick(rng(entity('deployment-name', j)), DEPLOYMENT_WORDS)
    const id = `${model.split('-').slice(0, 2).join('-')}-${word}-${randomId(next, 4, 'lower')}`
    const createdHour = j === 0 ? startHour : startHour + Math.floor(next() * KEY_CREATION_DAYS * 24)
    const acceleratorType = pickWeighted(next, DEPLOYMENT_ACCELERATORS)
    const replicas = pick(next, [1, 2, 4, 8])
    const placement = pick(next, PLACEMENTS)
    const annotations = annotationsFrom(next)
    const template: DedicatedRecord = {
      kind: 'dedicated',
      account,
      time: 0,
      deployment: `accounts/${account}/deployments/${id}`,
      acceleratorType,
      acceleratorSeconds: 0,
      baseModel: MODEL_PREFIX + model,
      placement,
      usageType: 'DEDICATED_DEPLOYMENT_USAGE',
      annotations,
    }
    deployments.push({
      template,
      replicas,
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
  return deployments
}

export function buildSyntheticAccount(opts: SyntheticOptions): SyntheticAccount {
  const account = opts.profile.account
  const startHour = Math.floor(opts.startMs / HOUR_MS)
  const entity: EntitySeed = (what, i) => hashString(`${opts.seed}|${account}|${what}|${i}`)
  const keys = planKeys(opts, entity, startHour)
  const jobs = planJobs({
    seed: opts.seed,
    account,
    startHour,
    jobsPerMonth: opts.profile.trainingJobsPerMonth * opts.multiplier,
    entity,
  })
  const planning = { account, keys, startHour, multiplier: opts.multiplier, entity }
  const planned = new Map<string, unknown>()
  for (const spec of allStreams()) if (spec.synthetic) planned.set(spec.kind, spec.synthetic.plan(planning))
  return {
    account,
    keys,
    serverless: planServerless(opts, entity, keys),
    deployments: planDeployments(opts, entity, startHour),
    ...jobs,
    startHour,
    planned,
  }
}
