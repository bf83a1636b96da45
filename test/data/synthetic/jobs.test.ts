// The schedule of training jobs: one per period from the world's start, job k a pure function
// of k; RFT jobs also run a rollout deployment.
import t from 'tap'
import { hashString } from '../../../server/data/hash.js'
import { planJobs, type TrainingJob } from '../../../server/data/synthetic/jobs.js'
import { modelName } from '../../fixture-records.js'

const START_HOUR = Date.parse('2026-01-01T00:00:00Z') / 3_600_000
const schedule = (jobsPerMonth = 30, seed = 3) =>
  planJobs({
    seed,
    account: 'jobs-co',
    startHour: START_HOUR,
    jobsPerMonth,
    entity: (what, i) => hashString(`${seed}|jobs-co|${what}|${i}`),
  })
const jobs = (count: number, jobsPerMonth = 30): TrainingJob[] => {
  const s = schedule(jobsPerMonth)
  return Array.from({ length: count }, (_, k) => s.jobAt(k))
}

t.test('job k is a pure function of k', async t => {
  const s = schedule()
  const seventh = JSON.stringify(s.jobAt(7))
  t.equal(JSON.stringify(s.jobAt(7)), seventh, 'asked twice')
  s.jobAt(3)
  s.jobAt(500)
  t.equal(JSON.stringify(s.jobAt(7)), seventh, 'after other jobs')
  t.equal(JSON.stringify(schedule().jobAt(7)), seventh, 'from another schedule of the same seed')
  t.not(JSON.stringify(schedule(30, 4).jobAt(7)), seventh, 'another seed')
  t.not(s.jobAt(8).jobId, s.jobAt(7).jobId)
})

t.test('a job starts every 720 / jobsPerMonth hours, at least every hour; never without training', async t => {
  t.equal(schedule(30).jobPeriodHours, 24)
  t.equal(schedule(4).jobPeriodHours, 180)
  t.equal(schedule(7).jobPeriodHours, 103) // 102.86 rounded
  t.equal(schedule(1000).jobPeriodHours, 1)
  t.equal(schedule(0).jobPeriodHours, Infinity)
})

t.test('job k starts inside its own period: start + k x period, plus jitter below a period', async t => {
  for (const perMonth of [30, 4]) {
    const period = schedule(perMonth).jobPeriodHours
    const outside = jobs(100, perMonth)
      .map((job, k) => [k, job.startHour - START_HOUR - k * period])
      .filter(([, offset]) => !Number.isInteger(offset) || (offset as number) < 0 || (offset as number) >= period)
    t.same(outside, [], `${perMonth} a month`)
  }
})

t.test('each job type runs for its range of hours; some run for hours, some for days', async t => {
  const range: Record<string, [number, number]> = { SFT: [2, 30], DPO: [2, 20], RFT: [6, 72], RLOR_TRAINER: [12, 120] }
  const all = jobs(300)
  t.same(new Set(all.map(j => j.jobType)), new Set(['SFT', 'DPO', 'RFT', 'RLOR_TRAINER']))
  t.same(
    all.filter(j => !Number.isInteger(j.hours) || j.hours < range[j.jobType]![0] || j.hours > range[j.jobType]![1]),
    [],
  )
  t.ok(Math.max(...all.map(j => j.hours)) >= 24, 'some run for days')
  t.ok(Math.min(...all.map(j => j.hours)) <= 30, 'some run for hours')
})

t.test('SFT and DPO process tokens; RFT and trainer jobs use 4 or 8 accelerators', async t => {
  // tokens an hour per model, each job between 0.7 and 1.3 times its model's rate
  const rate: Record<string, number> = {
    [modelName('llama-v3p1-8b-instruct')]: 30_000_000,
    [modelName('qwen3-8b')]: 30_000_000,
    [modelName('llama-v3p3-70b-instruct')]: 6_000_000,
    [modelName('qwen2p5-72b-instruct')]: 6_000_000,
    [modelName('kimi-k2p6')]: 2_000_000,
  }
  const all = jobs(300)
  const tokenJobs = all.filter(j => j.jobType === 'SFT' || j.jobType === 'DPO')
  const gpuJobs = all.filter(j => j.jobType === 'RFT' || j.jobType === 'RLOR_TRAINER')
  t.same(
    tokenJobs.filter(
      j =>
        rate[j.baseModel] === undefined ||
        j.tokensPerHour < 0.7 * rate[j.baseModel]! ||
        j.tokensPerHour > 1.3 * rate[j.baseModel]! ||
        j.accelerators !== 0 ||
        j.acceleratorType !== '' ||
        j.trainingSessionId !== '' ||
        j.template.usageType !== 'TRAINING_TOKENS',
    ),
    [],
  )
  t.same(
    gpuJobs.filter(
      j =>
        rate[j.baseModel] === undefined ||
        j.tokensPerHour !== 0 ||
        ![4, 8].includes(j.accelerators) ||
        !['NVIDIA_H100_80GB', 'NVIDIA_H200_141GB', 'NVIDIA_B200_180GB'].includes(j.acceleratorType) ||
        !/^sess-[a-z0-9]{12}$/.test(j.trainingSessionId) ||
        j.template.usageType !== 'TRAINER_ACCELERATOR_SECONDS',
    ),
    [],
  )
})

t.test("a job's id names its type, and its template carries the job", async t => {
  const prefix: Record<string, string> = { SFT: 'sft', DPO: 'dpo', RFT: 'rft', RLOR_TRAINER: 'rlor-trainer' }
  const wrong = jobs(100).filter(
    j =>
      !new RegExp(`^${prefix[j.jobType]}-[a-z0-9]{10}$`).test(j.jobId) ||
      j.template.kind !== 'training' ||
      j.template.account !== 'jobs-co' ||
      j.template.jobId !== j.jobId ||
      j.template.jobType !== j.jobType ||
      j.template.baseModel !== j.baseModel ||
      j.template.acceleratorType !== j.acceleratorType ||
      j.template.trainingSessionId !== j.trainingSessionId ||
      j.template.annotations !== j.annotations,
  )
  t.same(wrong, [])
})

t.test('an RFT job runs a rollout deployment named after it; other jobs do not', async t => {
  const all = jobs(100)
  const rft = all.filter(j => j.jobType === 'RFT')
  t.ok(rft.length >= 5, `RFT jobs: ${rft.length}`)
  t.same(
    all.filter(j => j.jobType !== 'RFT' && j.rollout !== undefined).map(j => j.jobId),
    [],
  )
  for (const job of rft)
    t.same(
      job.rollout,
      {
        replicas: job.accelerators / 4, // 4 accelerators: 1 replica, 8: 2
        template: {
          kind: 'dedicated',
          account: 'jobs-co',
          time: 0,
          deployment: `accounts/jobs-co/deployments/${job.jobId}-rollout`,
          acceleratorType: job.acceleratorType,
          acceleratorSeconds: 0,
          baseModel: job.baseModel,
          placement: 'US_IOWA_1',
          usageType: 'DEDICATED_DEPLOYMENT_USAGE',
          annotations: job.annotations,
        },
      },
      job.jobId,
    )
})

t.test('job types follow the weights 45 : 20 : 20 : 15', async t => {
  const count = 4000
  const all = jobs(count)
  const share = (type: string) => all.filter(j => j.jobType === type).length / count
  // a share's standard error with 4,000 jobs is at most 0.8 percentage points
  for (const [type, weight] of [
    ['SFT', 0.45],
    ['DPO', 0.2],
    ['RFT', 0.2],
    ['RLOR_TRAINER', 0.15],
  ] as const)
    t.ok(Math.abs(share(type) - weight) < 0.03, `${type}: ${share(type)}`)
})
