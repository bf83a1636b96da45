// The schedule of an account's training jobs: one starts every period (plus jitter) from the
// world's start, forever, so job k is a pure function of k and any window finds its jobs
// without a list. RFT jobs also run a rollout deployment, billed as dedicated usage [real].

import type { DedicatedRecord } from '../../streams/dedicated.js'
import type { TrainingRecord } from '../../streams/training.js'
import { MODEL_PREFIX } from '../prices.js'
import type { Annotations } from '../../model/records.js'
import { hashString, pick, pickWeighted, randomId, rng } from '../hash.js'
import {
  annotationsFrom,
  JOB_HOURS,
  JOB_TYPE_WEIGHTS,
  TRAINER_ACCELERATORS,
  TUNABLE_MODELS,
  type JobType,
} from './catalog.js'

export interface TrainingJob {
  template: TrainingRecord
  /** RFT jobs: the deployment that serves the job's rollouts. */
  rollout?: { template: DedicatedRecord; replicas: number }
  jobId: string
  jobType: JobType
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

export interface JobSchedule {
  /** Hours between job starts; Infinity for an account without training. */
  jobPeriodHours: number
  jobAt: (index: number) => TrainingJob
}

export function planJobs(opts: {
  seed: number
  account: string
  startHour: number
  jobsPerMonth: number
  entity: (what: string, i: number) => number
}): JobSchedule {
  const { seed, account, startHour, jobsPerMonth, entity } = opts
  const jobPeriodHours = jobsPerMonth > 0 ? Math.max(1, Math.round((30 * 24) / jobsPerMonth)) : Infinity
  const jobAt = (k: number): TrainingJob => {
    const next = rng(entity('job', k))
    const jobType = pickWeighted(next, JOB_TYPE_WEIGHTS)
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
  return { jobPeriodHours, jobAt }
}
