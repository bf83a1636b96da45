// Emitting a plan's hourly records: which hours each series has (lifetimes, business hours,
// jobs and their rollouts) and what amounts, in the stream's quantity order, each hour holds.
// Most plans here are built by hand; the last tests use a planned account.
import t from 'tap'
import { hashString } from '../../../server/data/hash.js'
import { modelPrice } from '../../../server/data/prices.js'
import type { TrainingJob } from '../../../server/data/synthetic/jobs.js'
import { generatorOf, visitDedicated, visitServerless, visitTraining } from '../../../server/data/synthetic/emit.js'
import type { SeriesVisitor } from '../../../server/model/stream.js'
import {
  buildSyntheticAccount,
  type DeploymentSeries,
  type ServerlessSeries,
  type SyntheticAccount,
} from '../../../server/data/synthetic/plan.js'
import { dedicated, type DedicatedRecord } from '../../../server/streams/dedicated.js'
import { serverless } from '../../../server/streams/serverless.js'
import { training, type TrainingRecord } from '../../../server/streams/training.js'
import { modelName } from '../../fixture-records.js'

const HOUR = 3_600_000
const hourOf = (text: string) => Date.parse(text) / HOUR
const iso = (hour: number) => new Date(hour * HOUR).toISOString().replace('.000Z', 'Z')
/** Monday 2026-06-01 00:00 UTC. */
const MONDAY = hourOf('2026-06-01T00:00:00Z')
const NO_ANNOTATIONS = { team: '', project: '', environment: '' }

interface Emitted<R> {
  template: R
  hour: number
  amounts: number[]
}

type Visit<R> = (acct: SyntheticAccount, fromHour: number, toHour: number, v: SeriesVisitor<R>) => void

/** Every record a generator emits for [fromHour, toHour), amounts copied. */
function collect<R>(visit: Visit<R>, acct: SyntheticAccount, fromHour: number, toHour: number): Emitted<R>[] {
  const out: Emitted<R>[] = []
  let template: R
  visit(acct, fromHour, toHour, {
    begin: tpl => {
      template = tpl
      return true
    },
    add: (time, amounts) => out.push({ template, hour: time / HOUR, amounts: [...amounts] }),
  })
  return out
}

function account(parts: Partial<SyntheticAccount>): SyntheticAccount {
  return {
    account: 'emit-co',
    keys: [],
    serverless: [],
    deployments: [],
    jobPeriodHours: Infinity,
    jobAt: () => {
      throw new Error('no jobs')
    },
    startHour: hourOf('2026-01-01T00:00:00Z'),
    planned: new Map(),
    ...parts,
  }
}

function deploymentSeries(fields: Partial<DeploymentSeries>): DeploymentSeries {
  return {
    template: {
      kind: 'dedicated',
      account: 'emit-co',
      time: 0,
      deployment: 'accounts/emit-co/deployments/dep-a',
      acceleratorType: 'NVIDIA_H100_80GB',
      acceleratorSeconds: 0,
      baseModel: modelName('qwen3-8b'),
      placement: 'US_IOWA_1',
      usageType: 'DEDICATED_DEPLOYMENT_USAGE',
      annotations: NO_ANNOTATIONS,
    },
    replicas: 2,
    createdHour: MONDAY - 1000,
    deletedHour: Infinity,
    pattern: 'always-on',
    seed: 99,
    ...fields,
  }
}

function serverlessSeries(model: string, fields: Partial<ServerlessSeries> & { created?: number; revoked?: number }) {
  const price = modelPrice(modelName(model))
  const audio = price?.kind === 'audio'
  const series: ServerlessSeries = {
    template: {
      kind: 'serverless',
      account: 'emit-co',
      time: 0,
      model: modelName(model),
      apiKeyId: 'key_A',
      apiKeyName: 'a',
      usageType: audio ? 'AUDIO_INFERENCE_USAGE' : 'TEXT_COMPLETION_INFERENCE_USAGE',
      promptTokens: 0,
      cachedPromptTokens: 0,
      completionTokens: 0,
      audioInputSeconds: 0,
      costNanoUsd: 0,
      annotations: NO_ANNOTATIONS,
    },
    key: {
      id: 'key_A',
      name: 'a',
      secret: 'fw_a',
      annotations: NO_ANNOTATIONS,
      createdHour: fields.created ?? MONDAY - 1000,
      revokedHour: fields.revoked ?? Infinity,
    },
    price,
    audio,
    peak: 1e9,
    cachedFraction: 0.4,
    completionRatio: 0.2,
    seed: hashString(`emit|${model}`),
    ...fields,
  }
  return series
}

const hoursOf = (records: Emitted<unknown>[]) => records.map(r => iso(r.hour))
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

t.test('generatorOf: the three synthetic streams, nothing for any other', async t => {
  t.equal(generatorOf(serverless), visitServerless)
  t.equal(generatorOf(dedicated), visitDedicated)
  t.equal(generatorOf(training), visitTraining)
  for (const kind of ['batch', 'constructor', 'toString'])
    t.equal(generatorOf({ ...serverless, kind }), undefined, kind)
})

t.test('an always-on deployment has replicas x 3600 s every hour, from creation until deletion', async t => {
  const acct = account({
    deployments: [deploymentSeries({ createdHour: MONDAY + 2, deletedHour: MONDAY + 7, replicas: 2 })],
  })
  const records = collect(visitDedicated, acct, MONDAY, MONDAY + 24)
  t.same(hoursOf(records), range(MONDAY + 2, MONDAY + 7).map(iso))
  t.same(
    records.map(r => r.amounts),
    Array.from({ length: 5 }, () => [7200]),
  )
  t.same(collect(visitDedicated, acct, MONDAY + 7, MONDAY + 30), [], 'nothing after deletion')
  t.same(hoursOf(collect(visitDedicated, acct, MONDAY + 4, MONDAY + 5)), [iso(MONDAY + 4)], 'a one-hour window')
})

t.test('a business-hours deployment runs 14:00 to 24:00 UTC on weekdays only', async t => {
  const acct = account({ deployments: [deploymentSeries({ pattern: 'business-hours', replicas: 1 })] })
  const records = collect(visitDedicated, acct, MONDAY, MONDAY + 7 * 24)
  // Monday 2026-06-01 to Friday 06-05, 14:00 to 23:00 each
  const expected: string[] = []
  for (const day of ['01', '02', '03', '04', '05'])
    for (let h = 14; h < 24; h++) expected.push(`2026-06-${day}T${h}:00:00Z`)
  t.same(hoursOf(records), expected)
  t.same(new Set(records.map(r => r.amounts[0])), new Set([3600]))
})

t.test('an autoscaled deployment runs every hour with 1 to its planned replicas', async t => {
  const acct = account({ deployments: [deploymentSeries({ pattern: 'autoscale', replicas: 8 })] })
  const records = collect(visitDedicated, acct, MONDAY, MONDAY + 7 * 24)
  t.same(hoursOf(records), range(MONDAY, MONDAY + 7 * 24).map(iso))
  const replicas = records.map(r => (r.amounts[0] as number) / 3600)
  t.same(
    replicas.filter(n => !Number.isInteger(n) || n < 1 || n > 8),
    [],
  )
  t.ok(new Set(replicas).size >= 3, `it scales: ${[...new Set(replicas)].sort().join(', ')}`)
})

t.test('a series that begin() refuses gets no records', async t => {
  const acct = account({
    serverless: [serverlessSeries('gpt-oss-20b', {})],
    deployments: [deploymentSeries({})],
  })
  const added: number[] = []
  const refuse = { begin: () => false, add: (time: number) => added.push(time) }
  visitServerless(acct, MONDAY, MONDAY + 24, refuse)
  visitDedicated(acct, MONDAY, MONDAY + 24, refuse)
  t.same(added, [])
})

t.test("a key's series runs from the key's creation until its revocation", async t => {
  const acct = account({
    serverless: [serverlessSeries('gpt-oss-20b', { created: MONDAY + 2, revoked: MONDAY + 6 })],
  })
  t.same(hoursOf(collect(visitServerless, acct, MONDAY, MONDAY + 48)), range(MONDAY + 2, MONDAY + 6).map(iso))
  t.same(collect(visitServerless, acct, MONDAY + 6, MONDAY + 48), [])
  t.same(collect(visitServerless, acct, MONDAY - 48, MONDAY + 2), [])
})

t.test('text amounts: prompt = cached + uncached, and the cost parts are the list prices', async t => {
  const acct = account({ serverless: [serverlessSeries('gpt-oss-20b', {})] })
  const records = collect(visitServerless, acct, MONDAY, MONDAY + 7 * 24)
  t.equal(records.length, 7 * 24, 'a busy series has every hour')
  // [prompt, cached, completion, audio micros, input, cached input, output, audio cost];
  // gpt-oss-20b: 70, 35 and 300 nano-USD per token
  const wrong = records.filter(({ amounts: m }) => {
    const [prompt, cached, completion, audio, input, cachedCost, output, audioCost] = m
    return (
      m.length !== 8 ||
      !(prompt! > 0 && Number.isInteger(prompt)) ||
      !(cached! >= 0 && cached! <= 0.95 * prompt! + 0.5 && Number.isInteger(cached)) ||
      !(completion! >= 0 && Number.isInteger(completion)) ||
      audio !== 0 ||
      input !== (prompt! - cached!) * 70 ||
      cachedCost !== cached! * 35 ||
      output !== completion! * 300 ||
      audioCost !== 0
    )
  })
  t.same(wrong, [])
  // on average about the planned shares: 40% cached, completion 20% of prompt
  const sum = (i: number) => records.reduce((s, r) => s + (r.amounts[i] as number), 0)
  t.ok(Math.abs(sum(1) / sum(0) - 0.4) < 0.05, `cached share ${sum(1) / sum(0)}`)
  t.ok(Math.abs(sum(2) / sum(0) - 0.2) < 0.05, `completion ratio ${sum(2) / sum(0)}`)
})

t.test('traffic follows the daily rhythm and dips at weekends', async t => {
  const acct = account({ serverless: [serverlessSeries('gpt-oss-20b', {})] })
  const records = collect(visitServerless, acct, MONDAY, MONDAY + 14 * 24)
  const weekend = (r: Emitted<unknown>) => Math.floor((r.hour - MONDAY) / 24) % 7 >= 5
  const mean = (pick: (r: Emitted<unknown>) => boolean) => {
    const picked = records.filter(pick)
    return picked.reduce((s, r) => s + (r.amounts[0] as number), 0) / picked.length
  }
  // rhythm: weekends at 0.45 of weekdays; 04:00 at 0.3 and 15:00 at 1 (noise of 30% an hour)
  const weekendShare = mean(weekend) / mean(r => !weekend(r))
  const nightShare = mean(r => !weekend(r) && r.hour % 24 === 4) / mean(r => !weekend(r) && r.hour % 24 === 15)
  t.ok(Math.abs(weekendShare - 0.45) < 0.08, `weekend/weekday ${weekendShare}`)
  t.ok(Math.abs(nightShare - 0.3) < 0.1, `04:00/15:00 ${nightShare}`)
})

t.test('a series too small for every hour appears in some hours, each with the sparse minimum', async t => {
  const acct = account({ serverless: [serverlessSeries('gpt-oss-20b', { peak: 5000 })] })
  const records = collect(visitServerless, acct, MONDAY, MONDAY + 14 * 24)
  t.ok(records.length > 0 && records.length < 14 * 24 * 0.3, `hours with usage: ${records.length} of ${14 * 24}`)
  t.same(new Set(records.map(r => r.amounts[0])), new Set([50_000]), 'each such hour holds 50,000 prompt tokens')
})

t.test('audio amounts: seconds in whole microseconds, completion tokens, and the per-second price', async t => {
  const acct = account({ serverless: [serverlessSeries('whisper-v3', { peak: 2e6 })] })
  const records = collect(visitServerless, acct, MONDAY, MONDAY + 24)
  t.equal(records.length, 24)
  t.same(new Set(records.map(r => r.template.usageType)), new Set(['AUDIO_INFERENCE_USAGE']))
  const wrong = records.filter(({ amounts: m }) => {
    const [prompt, cached, completion, micros, input, cachedCost, output, audioCost] = m
    return (
      prompt !== 0 ||
      cached !== 0 ||
      !(micros! > 0 && micros! % 1000 === 0) || // seconds are drawn to the millisecond
      completion !== Math.round((micros! / 1e6) * 2.6) ||
      input !== 0 ||
      cachedCost !== 0 ||
      output !== 0 ||
      audioCost !== Math.round((micros! * 25_000) / 1e6) // 25,000 nano-USD per second
    )
  })
  t.same(wrong, [])
})

/** Hand-made jobs: one starts 3 hours into each day; odd ones are RFT with 8 accelerators. */
const START_HOUR = hourOf('2026-01-01T00:00:00Z')
function handJob(k: number): TrainingJob {
  const rft = k % 2 === 1
  const jobId = `job-${k}`
  const template: TrainingRecord = {
    kind: 'training',
    account: 'emit-co',
    time: 0,
    jobId,
    jobType: rft ? 'RFT' : 'SFT',
    usageType: rft ? 'TRAINER_ACCELERATOR_SECONDS' : 'TRAINING_TOKENS',
    tokens: 0,
    acceleratorType: rft ? 'NVIDIA_H100_80GB' : '',
    acceleratorSeconds: 0,
    baseModel: modelName('qwen3-8b'),
    trainingSessionId: '',
    annotations: NO_ANNOTATIONS,
  }
  const rollout: DedicatedRecord = {
    kind: 'dedicated',
    account: 'emit-co',
    time: 0,
    deployment: `accounts/emit-co/deployments/${jobId}-rollout`,
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 0,
    baseModel: modelName('qwen3-8b'),
    placement: 'US_IOWA_1',
    usageType: 'DEDICATED_DEPLOYMENT_USAGE',
    annotations: NO_ANNOTATIONS,
  }
  return {
    template,
    rollout: rft ? { template: rollout, replicas: 2 } : undefined,
    jobId,
    jobType: rft ? 'RFT' : 'SFT',
    baseModel: template.baseModel,
    acceleratorType: template.acceleratorType,
    accelerators: rft ? 8 : 0,
    tokensPerHour: rft ? 0 : 1_000_000,
    startHour: START_HOUR + 24 * k + 3,
    hours: k === 3 ? 120 : 5, // job 3 runs five days
    trainingSessionId: '',
    annotations: NO_ANNOTATIONS,
    seed: hashString(`job|${k}`),
  }
}
const jobsAccount = account({ jobPeriodHours: 24, jobAt: handJob })

t.test('a job has records for each of its hours, clipped to the window', async t => {
  const records = collect(visitTraining, jobsAccount, START_HOUR + 24, START_HOUR + 48 + 5)
  // job 1: hours 27 to 31; job 2: 51 and 52 (the window ends at 53)
  t.same(
    records.map(r => [r.template.jobId, r.hour - START_HOUR]),
    [
      ['job-1', 27],
      ['job-1', 28],
      ['job-1', 29],
      ['job-1', 30],
      ['job-1', 31],
      ['job-2', 51],
      ['job-2', 52],
    ],
  )
})

t.test('a job that started long before the window still has its hours inside it', async t => {
  // job 3 runs from hour 75 for 120 hours, to 194; jobs 4 to 7 start at 99, 123, 147, 171
  const records = collect(visitTraining, jobsAccount, START_HOUR + 190, START_HOUR + 195)
  t.same(
    records.map(r => [r.template.jobId, r.hour - START_HOUR]),
    [190, 191, 192, 193, 194].map(h => ['job-3', h]),
  )
})

t.test('training amounts: tokens for SFT, accelerator-seconds for RFT', async t => {
  const records = collect(visitTraining, jobsAccount, START_HOUR, START_HOUR + 24 * 10)
  const sft = records.filter(r => r.template.jobType === 'SFT')
  const rft = records.filter(r => r.template.jobType === 'RFT')
  t.ok(sft.length > 0 && rft.length > 0)
  // [tokens, accelerator-seconds]; SFT: 1M tokens an hour with 10% log-normal noise (|z| < 4)
  t.same(
    sft.filter(
      ({ amounts: [tokens, seconds] }) =>
        !Number.isInteger(tokens) || tokens! < 1e6 * Math.exp(-0.4) || tokens! > 1e6 * Math.exp(0.4) || seconds !== 0,
    ),
    [],
  )
  t.ok(new Set(sft.map(r => r.amounts[0])).size > sft.length / 2, 'the tokens vary by hour')
  t.same(new Set(rft.map(r => JSON.stringify(r.amounts))), new Set(['[0,28800]']), '8 accelerators x 3600 s')
})

t.test('an RFT job bills its rollout deployment as dedicated usage for exactly its hours', async t => {
  const from = START_HOUR
  const to = START_HOUR + 24 * 10
  const rollouts = collect(visitDedicated, jobsAccount, from, to)
  const rftHours = collect(visitTraining, jobsAccount, from, to)
    .filter(r => r.template.jobType === 'RFT')
    .map(r => `${r.template.jobId}-rollout ${r.hour}`)
  t.same(
    rollouts.map(r => `${r.template.deployment.split('/').pop()} ${r.hour}`),
    rftHours,
  )
  t.same(new Set(rollouts.map(r => r.amounts[0])), new Set([7200]), '2 replicas x 3600 s')
})

// A planned account (the default world's planner), for what only a full plan shows.
const planned = buildSyntheticAccount({
  seed: 7,
  startMs: Date.parse('2026-01-01T00:00:00Z'),
  profile: {
    account: 'plan-co',
    scale: 1,
    keys: 40,
    models: ['kimi-k2p6', 'gpt-oss-20b', 'whisper-v3', 'qwen3-8b'],
    deployments: 6,
    trainingJobsPerMonth: 30,
  },
  explicitKeys: [],
  multiplier: 1,
})
const OCTOBER = [hourOf('2026-10-01T00:00:00Z'), hourOf('2026-11-01T00:00:00Z')] as const

t.test('in a planned account, RFT jobs and only they have rollouts, for exactly their hours', async t => {
  const rft = new Map<string, number[]>()
  for (const r of collect(visitTraining, planned, ...OCTOBER))
    if (r.template.jobType === 'RFT') rft.set(r.template.jobId, [...(rft.get(r.template.jobId) ?? []), r.hour])
  t.ok(rft.size >= 2, `RFT jobs in the month: ${rft.size}`)
  const dedicatedRecords = collect(visitDedicated, planned, ...OCTOBER)
  for (const [jobId, hours] of rft) {
    const rollout = dedicatedRecords
      .filter(r => r.template.deployment === `accounts/plan-co/deployments/${jobId}-rollout`)
      .map(r => r.hour)
    t.same(rollout, hours, `${jobId}: rollout hours = training hours`)
  }
  const otherRollouts = dedicatedRecords.filter(
    r =>
      r.template.deployment.endsWith('-rollout') &&
      !rft.has(
        r.template.deployment
          .split('/')
          .pop()!
          .replace(/-rollout$/, ''),
      ),
  )
  t.same(otherRollouts, [], 'only RFT jobs have rollout deployments')
})

t.test('in a planned account, a key created weeks after the start has usage only from then', async t => {
  const late = planned.keys.find(k => k.createdHour > planned.startHour + 24 * 30 && k.revokedHour === Infinity)!
  t.ok(late, 'a key created weeks after the start')
  const usesLate = (from: number, to: number) =>
    collect(visitServerless, planned, from, to).filter(r => r.template.apiKeyId === late.id)
  t.same(usesLate(late.createdHour - 25 * 24, late.createdHour), [], 'no usage before the key existed')
  t.ok(usesLate(late.createdHour, late.createdHour + 25 * 24).length > 0, 'usage after it was created')
  t.same(
    collect(visitServerless, planned, planned.startHour - 24 * 30, planned.startHour),
    [],
    'nothing before the world starts',
  )
})

t.test('a window gives the same records however it is split', async t => {
  const key = <R>(r: Emitted<R>) => JSON.stringify([r.template, r.hour, r.amounts])
  const from = hourOf('2026-10-05T00:00:00Z')
  const cut = from + 37
  const to = from + 72
  for (const visit of [visitServerless, visitDedicated, visitTraining] as Visit<unknown>[]) {
    const whole = collect(visit, planned, from, to).map(key).sort()
    const parts = [...collect(visit, planned, from, cut), ...collect(visit, planned, cut, to)].map(key).sort()
    t.ok(whole.length > 0)
    t.same(parts, whole)
  }
})
