// Training jobs: the row of an aggregate (attributes of the latest record, annotations only when
// set) and the summary's training tokens and trainer GPU time, RFT under 16B on a free line.
import t from 'tap'
import { rowOf, aggregateOf, DAY, planOf } from './aggregates.js'
import { measure } from '../../server/streams/stream.js'
import { fillTraining, training, type TrainingRecord } from '../../server/streams/training.js'
import { modelName } from '../fixture-records.js'

const SMALL = modelName('llama-v3p1-8b-instruct') // 8B
const LARGE = modelName('llama-v3p3-70b-instruct') // 70B

function record(fields: Partial<TrainingRecord>): TrainingRecord {
  return {
    kind: 'training',
    account: 'test-co',
    time: Date.parse('2026-05-28T10:00:00Z'),
    annotations: { team: '', project: '', environment: '' },
    jobId: 'rft-1',
    jobType: 'RFT',
    usageType: 'TRAINER_ACCELERATOR_SECONDS',
    tokens: 0,
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 0,
    baseModel: SMALL,
    trainingSessionId: 'sess-1',
    ...fields,
  }
}
const DEFAULT_GROUP_BY = ['job_id', 'job_type', 'usage_type', 'accelerator_type', 'base_model']

t.test('a row by the default grouping: every attribute, the session and the set annotations', async t => {
  const latest = record({ annotations: { team: 'research', project: '', environment: 'prod' } })
  const agg = aggregateOf({
    group: ['rft-1', 'RFT', 'TRAINER_ACCELERATOR_SECONDS', 'NVIDIA_H100_80GB', SMALL],
    sums: [0, 28_800],
    latest,
  })
  t.same(training.defaultGroupBy, DEFAULT_GROUP_BY)
  t.same(rowOf(training, agg, planOf(training, DEFAULT_GROUP_BY)), {
    startTime: DAY.startTime,
    endTime: DAY.endTime,
    tokens: '0',
    acceleratorSeconds: '28800',
    group: {
      job_id: 'rft-1',
      job_type: 'RFT',
      usage_type: 'TRAINER_ACCELERATOR_SECONDS',
      accelerator_type: 'NVIDIA_H100_80GB',
      base_model: SMALL,
    },
    jobId: 'rft-1',
    jobType: 'RFT',
    usageType: 'TRAINER_ACCELERATOR_SECONDS',
    acceleratorType: 'NVIDIA_H100_80GB',
    baseModel: SMALL,
    trainingSessionId: 'sess-1',
    annotations: { team: 'research', environment: 'prod' },
  })
})

t.test('annotations: only the set ones, and only in rows of one job', async t => {
  const row = (groupBy: string[], group: string[], annotations: TrainingRecord['annotations']) =>
    rowOf(training, aggregateOf({ group, sums: [5, 0], latest: record({ annotations }) }), planOf(training, groupBy))
  const none = { team: '', project: '', environment: '' }
  t.same(row(['job_id'], ['rft-1'], none).annotations, {}, 'a job without annotations: an empty object')
  t.same(row(['job_id'], ['rft-1'], { team: '', project: 'p', environment: '' }).annotations, { project: 'p' })
  const byType = row(['job_type'], ['RFT'], { team: 'research', project: 'p', environment: 'prod' })
  t.same(Object.keys(byType), ['startTime', 'endTime', 'tokens', 'acceleratorSeconds', 'group', 'jobType'])
})

t.test('each attribute appears only when its dimension is grouped, from the latest record', async t => {
  const latest = record({ jobType: 'RLOR_TRAINER', baseModel: LARGE, acceleratorType: 'NVIDIA_B200_180GB' })
  const row = (groupBy: string[], group: string[]) =>
    rowOf(training, aggregateOf({ group, sums: [0, 1], latest }), planOf(training, groupBy))
  t.same(row(['base_model'], [LARGE]), {
    startTime: DAY.startTime,
    endTime: DAY.endTime,
    tokens: '0',
    acceleratorSeconds: '1',
    group: { base_model: LARGE },
    baseModel: LARGE,
  })
  t.has(row(['accelerator_type', 'usage_type'], ['NVIDIA_B200_180GB', 'TRAINER_ACCELERATOR_SECONDS']), {
    acceleratorType: 'NVIDIA_B200_180GB',
    usageType: 'TRAINER_ACCELERATOR_SECONDS',
  })
  t.same(Object.keys(row(['annotations.team'], [''])), [
    'startTime',
    'endTime',
    'tokens',
    'acceleratorSeconds',
    'group',
  ])
})

t.test('dimensions, quantities and recordAt', async t => {
  const r = record({ tokens: 7, acceleratorSeconds: 9, annotations: { team: 'ads', project: '', environment: '' } })
  t.same(
    Object.entries(training.dimensions).map(([name, get]) => [name, get(r)]),
    [
      ['job_id', 'rft-1'],
      ['job_type', 'RFT'],
      ['usage_type', 'TRAINER_ACCELERATOR_SECONDS'],
      ['accelerator_type', 'NVIDIA_H100_80GB'],
      ['base_model', SMALL],
      ['annotations.team', 'ads'],
      ['annotations.project', ''],
      ['annotations.environment', ''],
    ],
  )
  t.same(measure(training, r), [7, 9])
  const m: number[] = []
  fillTraining(m, 1000, 3600)
  t.same(m, [1000, 3600])
  const at = Date.parse('2026-05-28T11:00:00Z')
  t.same(training.recordAt(r, at, [3, 4]), { ...r, time: at, tokens: 3, acceleratorSeconds: 4 })
})

/** The summary's pieces of one day's aggregate of (job type, base model, accelerator). */
const pieces = (jobType: string, baseModel: string, accelerator: string, tokens: number, seconds: number) =>
  training.summary.lineItems(
    aggregateOf({ group: [jobType, baseModel, accelerator], sums: [tokens, seconds], latest: record({}) }),
  )

const brief = (list: { category: string; unitNano: number }[]) => list.map(p => [p.category, p.unitNano])

t.test('summary: training tokens per job type and base model, priced by model size', async t => {
  t.same(training.summary.groupBy, ['job_type', 'base_model', 'accelerator_type'])
  // 8B: $0.50 per 1M tokens = 500 nano-USD per token; 1M tokens = 500,000,000 nano-USD
  t.same(pieces('SFT', SMALL, '', 1_000_000, 0), [
    {
      category: 'Training Tokens',
      grouping: ['job_type', 'SFT'],
      secondary: ['base_model', SMALL],
      unitNano: 500,
      quantity: 1_000_000,
      scale: 1,
      nano: 500_000_000,
    },
  ])
  // 70B: $3 per 1M tokens
  t.same(
    pieces('DPO', LARGE, '', 10, 0).map(p => [p.category, p.grouping, p.unitNano, p.nano]),
    [['Training Tokens', ['job_type', 'DPO'], 3000, 30_000]],
  )
  t.same(pieces('SFT', SMALL, '', 0, 0), [], 'nothing used, no line')
})

t.test('summary: trainer GPU time per job type and accelerator, rated when the day closes', async t => {
  t.same(pieces('RFT', LARGE, 'NVIDIA_H100_80GB', 0, 7200), [
    {
      category: 'Trainer GPU Time',
      grouping: ['job_type', 'RFT'],
      secondary: ['accelerator_type', 'NVIDIA_H100_80GB'],
      unitNano: 7_000_000_000,
      quantity: 7200,
      scale: 3600,
      perHour: true,
    },
  ])
  t.same(brief(pieces('RLOR_TRAINER', SMALL, 'NVIDIA_B200_180GB', 0, 3600)), [['Trainer GPU Time', 10_000_000_000]])
  // a job with both: tokens first
  t.same(
    pieces('SFT', SMALL, 'NVIDIA_H100_80GB', 100, 3600).map(p => p.category),
    ['Training Tokens', 'Trainer GPU Time'],
  )
})

t.test('summary: RFT under 16B is free, on a line of its own', async t => {
  t.same(pieces('RFT', SMALL, 'NVIDIA_H100_80GB', 0, 7200), [
    {
      category: 'Trainer GPU Time (RFT under 16B, free)',
      grouping: ['job_type', 'RFT'],
      secondary: ['accelerator_type', 'NVIDIA_H100_80GB'],
      unitNano: 0,
      quantity: 7200,
      scale: 3600,
      perHour: true,
    },
  ])
})

t.test('summary: an RFT job of 16B or more on an unpriced accelerator is not called free under 16B', async t => {
  // Rated at 0 because the accelerator has no price, not because the job is small.
  t.same(brief(pieces('RFT', LARGE, 'NVIDIA_X1000', 0, 3600)), [['Trainer GPU Time', 0]])
  t.same(brief(pieces('RFT', LARGE, '', 0, 3600)), [['Trainer GPU Time', 0]])
  t.same(brief(pieces('RFT', modelName('glm-4p7'), '', 0, 3600)), [['Trainer GPU Time', 0]], 'size unknown')
})
