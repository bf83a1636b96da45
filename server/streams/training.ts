// Training jobs [contract 1.4, 1.6]: SFT and DPO training tokens, RFT and trainer GPU time.
// [real] the inference deployment serving an RFT job's rollouts is dedicated usage, not training.

import type { UsageRecord } from '../model/records.js'
import { isFreeRft, trainerNanoPerHour, trainingTokenNano } from '../data/prices.js'
import { ANNOTATION_DIMENSIONS, BOUNDS_FIELDS, GROUP_FIELD, whenGrouped } from './stream.js'
import { placesOf, type LineItemPiece, type Quantity, type StreamSpec } from '../model/stream.js'

export interface TrainingRecord extends UsageRecord {
  kind: 'training'
  jobId: string
  jobType: string
  usageType: string
  tokens: number
  acceleratorType: string
  acceleratorSeconds: number
  baseModel: string
  trainingSessionId: string
}

/** [ours] */
export const TRAINING_USAGE_TYPES = ['TRAINING_TOKENS', 'TRAINER_ACCELERATOR_SECONDS'] as const
export const JOB_TYPES = ['SFT', 'DPO', 'RFT', 'RLOR_TRAINER'] as const

/** The generator's fast path: one hour's amounts, in quantity order, into `m`. */
/** What a training job's record adds up, read by name (AT). */
const QUANTITIES = [
  { name: 'tokens', of: r => r.tokens },
  { name: 'acceleratorSeconds', of: r => r.acceleratorSeconds },
] as const satisfies readonly Quantity<TrainingRecord>[]
const AT = placesOf(QUANTITIES)
const amount = (m: ArrayLike<number>, place: number) => m[place] as number

export function fillTraining(m: number[], tokens: number, acceleratorSeconds: number): void {
  m[AT.tokens] = tokens
  m[AT.acceleratorSeconds] = acceleratorSeconds
}

export const training: StreamSpec<TrainingRecord> = {
  kind: 'training',
  usageType: 'TRAINING',
  rowsField: 'trainingCosts',
  fields: {
    jobId: 'string',
    jobType: { oneOf: JOB_TYPES },
    usageType: { oneOf: TRAINING_USAGE_TYPES, default: 'TRAINING_TOKENS' },
    tokens: 'count',
    acceleratorType: 'string',
    acceleratorSeconds: 'count',
    baseModel: 'string',
    trainingSessionId: 'string',
  },
  dimensions: {
    job_id: r => r.jobId,
    job_type: r => r.jobType,
    usage_type: r => r.usageType,
    accelerator_type: r => r.acceleratorType,
    base_model: r => r.baseModel,
    ...ANNOTATION_DIMENSIONS,
  },
  defaultGroupBy: ['job_id', 'job_type', 'usage_type', 'accelerator_type', 'base_model'],
  quantities: QUANTITIES,
  recordAt: (template, time, m) => ({
    ...template,
    time,
    tokens: amount(m, AT.tokens),
    acceleratorSeconds: amount(m, AT.acceleratorSeconds),
  }),
  // Attributes come from the group's latest record [ours], each when its dimension is grouped.
  rowFields: [
    ...BOUNDS_FIELDS,
    { name: 'tokens', kind: 'int64', value: a => amount(a.sums, AT.tokens) },
    { name: 'acceleratorSeconds', kind: 'int64', value: a => amount(a.sums, AT.acceleratorSeconds) },
    GROUP_FIELD,
    { name: 'jobId', kind: 'string', when: whenGrouped('job_id'), value: a => a.latest.jobId },
    { name: 'jobType', kind: 'string', when: whenGrouped('job_type'), value: a => a.latest.jobType },
    { name: 'usageType', kind: 'string', when: whenGrouped('usage_type'), value: a => a.latest.usageType },
    {
      name: 'acceleratorType',
      kind: 'string',
      when: whenGrouped('accelerator_type'),
      value: a => a.latest.acceleratorType,
    },
    { name: 'baseModel', kind: 'string', when: whenGrouped('base_model'), value: a => a.latest.baseModel },
    { name: 'trainingSessionId', kind: 'string', when: whenGrouped('job_id'), value: a => a.latest.trainingSessionId },
    // only the annotations that are set
    {
      name: 'annotations',
      kind: 'json',
      when: whenGrouped('job_id'),
      value: a => Object.fromEntries(Object.entries(a.latest.annotations).filter(([, v]) => v !== '')),
    },
  ],
  // [ours] training tokens per job type and base model (by model size); trainer GPU time per
  // job type and accelerator, rated once per day, with RFT under 16B on a free line of its own.
  summary: {
    groupBy: ['job_type', 'base_model', 'accelerator_type'],
    lineItems(agg) {
      const [jobType, baseModel, accelerator] = agg.group as [string, string, string]
      const tokens = amount(agg.sums, AT.tokens)
      const seconds = amount(agg.sums, AT.acceleratorSeconds)
      const pieces: LineItemPiece[] = []
      if (tokens > 0) {
        const unitNano = trainingTokenNano(baseModel)
        pieces.push({
          category: 'Training Tokens',
          grouping: ['job_type', jobType],
          secondary: ['base_model', baseModel],
          unitNano,
          quantity: tokens,
          scale: 1,
          nano: tokens * unitNano,
        })
      }
      if (seconds > 0) {
        const unitNano = trainerNanoPerHour(jobType, baseModel, accelerator)
        // Named by the rule, not by the price: an unpriced accelerator also rates at 0.
        const category = isFreeRft(jobType, baseModel) ? 'Trainer GPU Time (RFT under 16B, free)' : 'Trainer GPU Time'
        pieces.push({
          category,
          grouping: ['job_type', jobType],
          secondary: ['accelerator_type', accelerator],
          unitNano,
          quantity: seconds,
          scale: 3600,
          perHour: true,
        })
      }
      return pieces
    },
  },
}
