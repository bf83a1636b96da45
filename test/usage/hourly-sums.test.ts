// The hourly sums on their own: a block's prefix sums against the raw records they sum (listed
// one by one with recordsIn and added up here), the clock inside a block, the byte budget, what
// a plan's blocks are keyed by, and the hours still arriving under a usage lag.
import t from 'tap'
import { lagOf, parseUsageLag, type Lag } from '../../server/data/lag.js'
import { recordsIn } from '../../server/data/source.js'
import { buildWorld } from '../../server/data/world.js'
import { serverless, type ServerlessRecord } from '../../server/streams/serverless.js'
import { HOUR_MS } from '../../server/time.js'
import { BLOCK_HOURS, HourlySums, type BlockGroup, type PlanBlock } from '../../server/usage/hourly-sums.js'
import { planOf } from '../../server/usage/plan.js'

/** The sum of quantity `q` (the record count: q = stride - 1) of a group over the block's hours < i, by PlanBlock's layout. */
const prefixSum = (block: PlanBlock, g: BlockGroup, q: number, i: number) =>
  block.cumulative[(i * block.groups.length + g.index) * block.stride + q]!

const world = buildWorld({
  seed: 3,
  spec: {
    start: '2026-01-01T00:00:00Z',
    accounts: [
      {
        account: 'tiny',
        scale: 0.01,
        keys: 3,
        models: ['llama-v3p1-8b-instruct', 'qwen3-8b'],
        deployments: 0,
        trainingJobsPerMonth: 0,
      },
    ],
  },
  files: [],
})
const account = world.accounts.get('tiny')!
const synthetic = account.synthetic!
const plan = planOf(serverless, ['model_name'])
const START = Math.floor(Date.parse('2026-03-01T00:00:00Z') / HOUR_MS / BLOCK_HOURS) * BLOCK_HOURS
const LATER = START + 10 * BLOCK_HOURS

/** The block's raw records, one by one: those with START <= hour < until. */
const raw = (until = START + BLOCK_HOURS) =>
  recordsIn(account, serverless, { fromMs: START * HOUR_MS, toMs: until * HOUR_MS, nowMs: LATER * HOUR_MS })

/** Prompt tokens and record count of a model's raw records over block hours [i, j). */
function byHand(records: ServerlessRecord[], model: string, i: number, j: number): [number, number] {
  const chosen = records.filter(r => {
    const h = r.time / HOUR_MS - START
    return r.model === model && h >= i && h < j
  })
  return [chosen.reduce((s, r) => s + r.promptTokens, 0), chosen.length]
}

/** The same from the block: two lookups in each prefix sum. */
function fromBlock(block: PlanBlock, model: string, i: number, j: number): [number, number] {
  const g = block.groups.find(g => g.group[0] === model)!
  const count = serverless.quantities.length
  const sum = (q: number, hour: number) => prefixSum(block, g, q, hour)
  return [sum(0, j) - sum(0, i), sum(count, j) - sum(count, i)]
}

const MODELS = ['accounts/fireworks/models/llama-v3p1-8b-instruct', 'accounts/fireworks/models/qwen3-8b']

t.test("a range of hours is two lookups that equal the raw records' sum", async t => {
  const records = raw()
  t.ok(records.length > 100, `the block has records to sum (${records.length})`)
  const block = new HourlySums(1 << 20).block(synthetic, plan, START + 17, LATER)
  t.equal(block.startHour, START, 'the block holding an hour starts at a multiple of BLOCK_HOURS')
  t.same(block.groups.map(g => g.group[0]).sort(), MODELS)
  for (const model of MODELS)
    for (const [i, j] of [
      [0, BLOCK_HOURS],
      [5, 29],
      [100, 101],
      [64, 64],
    ] as const)
      t.same(fromBlock(block, model, i, j), byHand(records, model, i, j), `${model} hours [${i}, ${j})`)
})

t.test("lastHour is each hour's latest hour with a record of the group", async t => {
  const records = raw()
  const block = new HourlySums(1 << 20).block(synthetic, plan, START, LATER)
  for (const model of MODELS) {
    const hours = new Set(records.filter(r => r.model === model).map(r => r.time / HOUR_MS - START))
    const expected: number[] = []
    let last = -1
    for (let i = 0; i < BLOCK_HOURS; i++) expected.push((last = hours.has(i) ? i : last))
    const g = block.groups.find(g => g.group[0] === model)!
    const count = block.groups.length
    t.same(
      Array.from({ length: BLOCK_HOURS }, (_, i) => block.lastHour[i * count + g.index]),
      expected,
      model,
    )
    // and the record standing for the group at each hour is the one of that latest hour
    const latestModels = Array.from({ length: BLOCK_HOURS }, (_, i) => block.latest[i * count + g.index]?.model)
    t.same(
      latestModels,
      expected.map(h => (h >= 0 ? model : undefined)),
      `${model}: latest`,
    )
  }
})

t.test('a block the clock is inside holds the ended hours, and is summed again once another ends', async t => {
  const sums = new HourlySums(1 << 20)
  const now = START + 10
  const early = sums.block(synthetic, plan, START, now)
  for (const model of MODELS) t.same(fromBlock(early, model, 0, BLOCK_HOURS), byHand(raw(now), model, 0, 10), model)
  t.equal(sums.block(synthetic, plan, START, now), early, 'the same clock hour: the kept block')
  const later = sums.block(synthetic, plan, START, now + 1)
  t.not(later, early, 'another hour ended: summed again')
  for (const model of MODELS) t.same(fromBlock(later, model, 0, BLOCK_HOURS), byHand(raw(now + 1), model, 0, 11), model)
})

t.test('blocks are kept within the byte budget, least recently used out first', async t => {
  const size = new HourlySums(1 << 20).block(synthetic, plan, START, LATER).bytes
  const sums = new HourlySums(2 * size) // room for two blocks of this plan
  const [a, b] = [sums.block(synthetic, plan, START, LATER), sums.block(synthetic, plan, START + BLOCK_HOURS, LATER)]
  t.same(sums.size, { blocks: 2, bytes: 2 * size })
  t.equal(sums.block(synthetic, plan, START, LATER), a, 'a is kept, and now the most recently used')
  sums.block(synthetic, plan, START + 2 * BLOCK_HOURS, LATER) // pushes b out
  t.same(sums.size.blocks, 2)
  t.equal(sums.block(synthetic, plan, START, LATER), a)
  t.not(sums.block(synthetic, plan, START + BLOCK_HOURS, LATER), b, 'b was summed again')

  const none = new HourlySums(0)
  t.not(none.block(synthetic, plan, START, LATER), none.block(synthetic, plan, START, LATER))
  t.same(none.size, { blocks: 0, bytes: 0 }, 'a budget of 0 keeps nothing')
})

t.test(
  "a plan's blocks are keyed by its identity: stream, grouping and filters, whatever the order of filters and values",
  async t => {
    const filtered = (...values: string[]) => planOf(serverless, ['model_name'], [['api_key_name', values]])
    t.equal(filtered('a', 'b').key, filtered('b', 'a').key)
    t.equal(filtered('a', 'b'), filtered('b', 'a'), 'one plan object for one identity')
    t.not(filtered('a').key, filtered('a', 'b').key)
    t.not(plan.key, planOf(serverless, ['api_key_id']).key)
    t.not(plan.key, planOf(serverless, ['model_name'], [['model_name', ['a']]]).key)
    t.equal(
      planOf(
        serverless,
        [],
        [
          ['model_name', ['m']],
          ['api_key_id', ['k']],
        ],
      ).key,
      planOf(
        serverless,
        [],
        [
          ['api_key_id', ['k']],
          ['model_name', ['m']],
        ],
      ).key,
      'filters in another order',
    )
    t.not(
      planOf(serverless, ['model_name', 'api_key_id']).key,
      planOf(serverless, ['api_key_id', 'model_name']).key,
      'the grouping order orders the rows',
    )
    // a filtered block sums only the records it selects
    const key = raw()[0]!.apiKeyName
    const block = new HourlySums(1 << 20).block(synthetic, filtered(key), START, LATER)
    const selected = raw().filter(r => r.apiKeyName === key)
    t.same(
      block.groups.map(g => [g.group[0], prefixSum(block, g, serverless.quantities.length, BLOCK_HOURS)]).sort(),
      MODELS.map(m => [m, selected.filter(r => r.model === m).length]).filter(([, n]) => n !== 0),
    )
  },
)

const LAG = lagOf(parseUsageLag('1h/6h'), 3) as Lag
const HOUR = START + 20 // an hour of the first block

t.test('an hour kept one record at a time: its records, grouped by the plan', async t => {
  const kept = new HourlySums(1 << 20).hour(synthetic, plan, HOUR)
  const records = recordsIn(account, serverless, {
    fromMs: HOUR * HOUR_MS,
    toMs: (HOUR + 1) * HOUR_MS,
    nowMs: LATER * HOUR_MS,
  })
  t.equal(kept.count, records.length)
  const width = serverless.quantities.length
  t.same(
    Array.from({ length: kept.count }, (_, i) => [kept.groups[kept.group[i]!]!.group[0], kept.amounts[i * width]]),
    records.map(r => [r.model, r.promptTokens]),
  )
})

t.test('an hour still arriving: the visible part of each record, summed per group, kept for its minute', async t => {
  const sums = new HourlySums(1 << 20)
  // the hour ends at HOUR + 1: from then + 1 h to then + 6 h it is arriving
  const now = (HOUR + 4) * HOUR_MS + 30_000
  const arriving = sums.arriving(synthetic, plan, HOUR, LAG, now)
  const visible = recordsIn(account, serverless, {
    fromMs: HOUR * HOUR_MS,
    toMs: (HOUR + 1) * HOUR_MS,
    nowMs: now,
    lag: LAG,
  })
  t.ok(visible.length > 0, 'something has arrived')
  for (const [gi, g] of arriving.groups.entries()) {
    const mine = visible.filter(r => r.model === g.group[0])
    t.same(
      [arriving.sums[gi * arriving.stride], arriving.sums[gi * arriving.stride + serverless.quantities.length]],
      [mine.reduce((s, r) => s + r.promptTokens, 0), mine.length],
      `${g.group[0]}: prompt tokens and records`,
    )
  }
  t.equal(sums.arriving(synthetic, plan, HOUR, LAG, now + 29_999), arriving, 'the same batch: kept')
  t.not(sums.arriving(synthetic, plan, HOUR, LAG, now + 30_000), arriving, 'the next batch: summed again')
  t.not(sums.arriving(synthetic, plan, HOUR, lagOf(parseUsageLag('1h/7h'), 3)!, now), arriving, 'another lag')
  t.not(sums.arriving(synthetic, plan, HOUR, lagOf(parseUsageLag('1h/6h'), 4)!, now), arriving, 'another seed')
})
