// Property tests (fast-check, fixed seed, bounded runs; FUZZ_RUNS=<n> for a longer run):
// any query string and headers get a 2xx or a 4xx envelope within a bound of CPU time, and for
// any valid query the conservation laws hold.
import fc from 'fast-check'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { loadWorld } from '../../server/data/world.js'
import { testConfig } from '../helpers.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
const SEED = Number(process.env.FUZZ_SEED ?? 20260101)
const app = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z') }), {
  world: loadWorld({ seed: 11, fixtures: null, worldScale: 1 }),
})
const AUTH = 'Bearer fw_mockGlobexProd01'
const PATHS = [
  '/v1/accounts/globex/billingUsage',
  '/v1/accounts/globex/billing/summary',
  '/v1/accounts/globex/accountUsageFilterOptions',
]

const NAMES = [
  'startTime',
  'endTime',
  'start_time',
  'end_time',
  'usageType',
  'usage_type',
  'timezone',
  'groupBy',
  'group_by',
  'granularity',
  'filter[model_name][values]',
  'filter[annotations.team][values]',
  'filter[x][values][]',
  'filter',
  'groupBy[]',
  'a[b][c][d]',
  '__proto__',
  'constructor[prototype][x]',
]
const VALUES = [
  '2026-10-01T00:00:00Z',
  '2026-10-02T00:00:00Z',
  '2026-11-01T00:00:00+05:45',
  '2026-10-01',
  'SERVERLESS',
  '3',
  'DAILY',
  'America/Los_Angeles',
  'Asia/Kathmandu',
  'model_name',
  'annotations.team',
  'job_id',
  '',
  '%',
  '%E0%A4%A',
  '%00',
  '\u00e9',
  'accounts/fireworks/models/kimi-k2p6',
]
const piece = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.constantFrom(...VALUES),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
)
const pair = fc.tuple(piece, fc.option(piece, { nil: undefined })).map(([k, v]) => (v === undefined ? k : `${k}=${v}`))
const randomPairs = fc.array(pair, { maxLength: 12 }).map(pairs => pairs.join('&'))
// Half the cases start from a valid window, so that the fuzz also reaches the rules behind
// validation (grouping, filters, zones) and not only the error paths.
const VALID_WINDOWS = [
  'startTime=2026-10-01T00:00:00Z&endTime=2026-10-02T00:00:00Z',
  'start_time=2026-10-05T07:00:00Z&end_time=2026-10-12T07:00:00Z',
]
const queryString = fc.oneof(
  randomPairs,
  fc.tuple(fc.constantFrom(...VALID_WINDOWS), randomPairs).map(([base, rest]) => (rest ? `${base}&${rest}` : base)),
)
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map(c => String.fromCharCode(c)),
  maxLength: 40,
})

t.test('any query string and headers: a 2xx or a 4xx envelope, quickly', async t => {
  const statuses = new Set<number>()
  const details = await fc.check(
    fc.asyncProperty(
      fc.constantFrom(...PATHS),
      queryString,
      // optional headers are absent or present, never undefined (inject refuses undefined values)
      fc.record(
        {
          authorization: fc.oneof(fc.constant(AUTH), headerValue),
          'x-mock-now': headerValue,
          'x-mock-delay-ms': fc.constantFrom('0', '-1', 'x', '99999'),
        },
        { requiredKeys: ['authorization'] },
      ),
      async (path, query, headers) => {
        // CPU time, not elapsed time: on a busy machine a request waits longer for a core, but
        // costs the same (the most seen: 300 ms, the first case, while compiling).
        const started = process.cpuUsage()
        const res = await app.inject({ url: `${path}?${query}`, headers: headers as Record<string, string> })
        const used = process.cpuUsage(started)
        const ms = Math.round((used.user + used.system) / 1000)
        if (ms > 2000) throw new Error(`${ms} ms of CPU time for ${path}?${query}`)
        statuses.add(res.statusCode)
        const body = res.json()
        if (res.statusCode >= 200 && res.statusCode < 300)
          return typeof body === 'object' && body !== null && !('code' in body)
        if (res.statusCode < 400 || res.statusCode >= 500)
          throw new Error(`status ${res.statusCode} for ${path}?${query}: ${res.body}`)
        return Object.keys(body).join() === 'code,message,details' && typeof body.message === 'string'
      },
    ),
    { seed: SEED, numRuns: RUNS },
  )
  t.equal(details.failed, false, fc.defaultReportMessage(details) ?? 'no counterexample')
  // the cases reach past authentication: some are answered, some refused for their parameters
  t.ok(statuses.has(200) && statuses.has(400) && statuses.has(401), `statuses seen: ${[...statuses].sort().join(', ')}`)
})

type Totals = number[]
async function totals(query: string): Promise<Totals> {
  const res = await app.inject({ url: `/v1/accounts/globex/billingUsage?${query}`, headers: { authorization: AUTH } })
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body}`)
  const body = res.json()
  const sum = (rows: Record<string, unknown>[], f: string, scale = 1) =>
    rows.reduce((s, r) => s + Math.round(Number(r[f]) * scale), 0)
  return [
    sum(body.serverlessCosts, 'promptTokens'),
    sum(body.serverlessCosts, 'cachedPromptTokens'),
    sum(body.serverlessCosts, 'completionTokens'),
    sum(body.serverlessCosts, 'audioInputSeconds', 1e6),
    sum(body.serverlessCosts, 'costNanoUsd'),
    sum(body.dedicatedCosts, 'acceleratorSeconds'),
    sum(body.trainingCosts, 'tokens'),
    sum(body.trainingCosts, 'acceleratorSeconds'),
  ]
}

const BASE = Date.parse('2026-09-01T00:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()
const window = fc
  .tuple(
    fc.integer({ min: 0, max: 60 * 24 * 60 }),
    fc.integer({ min: 2, max: 31 * 24 * 60 }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([startMin, lengthMin, permille]) => {
    const from = BASE + startMin * 60_000
    // the cut lies strictly inside the window, on a whole minute
    const cut = from + (1 + Math.floor(((lengthMin - 1) * permille) / 1000)) * 60_000
    return { from, to: from + lengthMin * 60_000, cut }
  })
const zone = fc.constantFrom(
  'UTC',
  'America/Los_Angeles',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'Europe/London',
  'Australia/Lord_Howe',
)
const dims = fc.subarray([
  'model_name',
  'api_key_name',
  'annotations.team',
  'annotations.project',
  'deployment_name',
  'accelerator_type',
  'job_type',
  'base_model',
])
const usageType = fc.constantFrom('', 'SERVERLESS', 'DEDICATED_DEPLOYMENT', 'TRAINING')
const CONSERVATION_RUNS = Math.max(10, Math.round(RUNS / 10))

function validFor(type: string, groupBy: string[]): string[] {
  const of: Record<string, string[]> = {
    SERVERLESS: ['model_name', 'api_key_name', 'annotations.team', 'annotations.project'],
    DEDICATED_DEPLOYMENT: ['deployment_name', 'accelerator_type', 'annotations.team', 'annotations.project'],
    TRAINING: ['job_type', 'base_model', 'accelerator_type', 'annotations.team', 'annotations.project'],
  }
  return type === '' ? groupBy : groupBy.filter(d => of[type]!.includes(d))
}

const same = (a: Totals, b: Totals) => a.length === b.length && a.every((v, i) => v === b[i])

t.test('for any valid query, grouped rows sum to the totals, whatever the grouping or zone', async t => {
  // the property returns its verdict, so that fast-check can shrink a failure to its smallest case
  const details = await fc.check(
    fc.asyncProperty(window, zone, zone, dims, usageType, async (w, tzA, tzB, groupBy, type) => {
      const base = `startTime=${iso(w.from)}&endTime=${iso(w.to)}${type ? `&usageType=${type}` : ''}`
      const grouped = await totals(
        `${base}&timezone=${tzA}${validFor(type, groupBy)
          .map(d => `&groupBy=${d}`)
          .join('')}`,
      )
      const plain = await totals(`${base}&timezone=${tzB}&groupBy=annotations.environment`)
      return same(grouped, plain)
    }),
    { seed: SEED, numRuns: CONSERVATION_RUNS },
  )
  t.equal(details.failed, false, fc.defaultReportMessage(details) ?? 'no counterexample')
})

t.test('for any valid query, a window split at any instant sums to the whole', async t => {
  const details = await fc.check(
    fc.asyncProperty(window, zone, dims, async (w, tz, groupBy) => {
      const q = (from: number, to: number) =>
        `startTime=${iso(from)}&endTime=${iso(to)}&timezone=${tz}${groupBy.map(d => `&groupBy=${d}`).join('')}`
      const [whole, a, b] = await Promise.all([
        totals(q(w.from, w.to)),
        totals(q(w.from, w.cut)),
        totals(q(w.cut, w.to)),
      ])
      return same(
        a.map((v, i) => v + b[i]!),
        whole,
      )
    }),
    { seed: SEED, numRuns: CONSERVATION_RUNS },
  )
  t.equal(details.failed, false, fc.defaultReportMessage(details) ?? 'no counterexample')
})
