// Adding a stream is one description plus its registration: a toy fourth stream, batch
// inference, defined here, then loaded from fixtures, generated for the synthetic world, grouped,
// filtered, listed in filter options, exported and rated in the billing summary, with no other
// code changed.
// (It is not in the OpenAPI document, so these apps do not validate responses against it.)
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { configWith } from '../../server/config.js'
import { buildWorld } from '../../server/data/world.js'
import type { UsageRecord } from '../../server/model/records.js'
import { allDimensions, registerStream } from '../../server/streams/registry.js'
import { ANNOTATION_DIMENSIONS, BOUNDS_FIELDS, GROUP_FIELD } from '../../server/streams/stream.js'
import { placesOf, type SeriesVisitor, type StreamSpec, type SyntheticPlanning } from '../../server/model/stream.js'
import { HOUR_MS } from '../../server/time.js'

interface BatchRecord extends UsageRecord {
  batchId: string
  model: string
  requests: number
  tokens: number
}

/** Its quantities, declared once and read by name. */
const QUANTITIES = [
  { name: 'requests', of: (r: BatchRecord) => r.requests },
  { name: 'tokens', of: (r: BatchRecord) => r.tokens },
] as const
const AT = placesOf(QUANTITIES)
const amount = (m: ArrayLike<number>, place: number) => m[place] as number

/** Its synthetic usage: one nightly batch per API key, 4 requests of 250 tokens at 00, 06, 12 and 18 UTC. */
interface BatchSeries {
  template: BatchRecord
  createdHour: number
  revokedHour: number
}
const synthetic = {
  plan: (account: SyntheticPlanning): BatchSeries[] =>
    account.keys.map(key => ({
      template: {
        kind: 'batch',
        account: account.account,
        time: 0,
        batchId: `nightly-${key.id}`,
        model: 'm-synthetic',
        requests: 0,
        tokens: 0,
        annotations: key.annotations,
      },
      createdHour: key.createdHour,
      revokedHour: key.revokedHour,
    })),
  visit(series: BatchSeries[], fromHour: number, toHour: number, v: SeriesVisitor<BatchRecord>) {
    const m = [0, 0]
    m[AT.requests] = 4
    m[AT.tokens] = 1000
    for (const s of series) {
      const first = Math.max(fromHour, s.createdHour)
      const last = Math.min(toHour, s.revokedHour)
      if (first >= last || !v.begin(s.template)) continue
      for (let h = first; h < last; h++) if (h % 6 === 0) v.add(h * HOUR_MS, m)
    }
  },
}

const batch: StreamSpec<BatchRecord> = {
  kind: 'batch',
  usageType: 'BATCH_INFERENCE',
  rowsField: 'batchCosts',
  fields: { batchId: 'string', model: 'string', requests: 'count', tokens: 'count' },
  dimensions: { batch_id: r => r.batchId, model_name: r => r.model, ...ANNOTATION_DIMENSIONS },
  defaultGroupBy: ['batch_id'],
  quantities: QUANTITIES,
  recordAt: (template, time, m) => ({
    ...template,
    time,
    requests: amount(m, AT.requests),
    tokens: amount(m, AT.tokens),
  }),
  synthetic,
  rowFields: [
    ...BOUNDS_FIELDS,
    { name: 'requests', kind: 'int64', value: a => amount(a.sums, AT.requests) },
    { name: 'tokens', kind: 'int64', value: a => amount(a.sums, AT.tokens) },
    GROUP_FIELD,
  ],
  summary: {
    groupBy: ['model_name'],
    // 100 nano-USD per token, whatever the model
    lineItems: agg => [
      {
        category: 'Batch Inference',
        grouping: ['model', agg.group[0] as string],
        secondary: ['', ''],
        unitNano: 100,
        quantity: amount(agg.sums, AT.tokens),
        scale: 1,
        nano: amount(agg.sums, AT.tokens) * 100,
      },
    ],
  },
}
// asked before and after: the list of every dimension must not be remembered from before
const dimensionsBefore = allDimensions()
registerStream(batch)

t.test('its new dimension joins the list of every dimension', async t => {
  t.notOk(dimensionsBefore.includes('batch_id'))
  t.same(allDimensions(), [...dimensionsBefore, 'batch_id'])
})

const ACCOUNT = { account: 'toy-co', keys: [{ id: 'key_Toy0000000000001', name: 'main', secret: 'fw_toy' }] }
const batchRecord = (time: string, fields: object) => ({ kind: 'batch', account: 'toy-co', time, ...fields })
const RECORDS = [
  batchRecord('2026-05-01T01:00:00Z', {
    batchId: 'b-1',
    model: 'm-a',
    requests: 10,
    tokens: 1000,
    annotations: { team: 'search' },
  }),
  batchRecord('2026-05-01T02:00:00Z', { batchId: 'b-1', model: 'm-b', requests: 1, tokens: 50 }),
  batchRecord('2026-05-01T03:00:00Z', { batchId: 'b-2', model: 'm-a', requests: 5, tokens: 500 }),
  batchRecord('2026-05-02T01:00:00Z', { batchId: 'b-2', model: 'm-a', requests: 2, tokens: 7 }),
]
const world = buildWorld({
  seed: 1,
  spec: { start: '2026-01-01T00:00:00Z', accounts: [] },
  files: [{ path: 'toy.ndjson', text: [ACCOUNT, ...RECORDS].map(r => JSON.stringify(r)).join('\n') }],
})
const app = buildApp(configWith({ logLevel: 'silent', now: Date.parse('2027-01-01T00:00:00Z') }), { world })
const get = async (url: string) => {
  const res = await app.inject({ url, headers: { authorization: 'Bearer fw_toy' } })
  return { status: res.statusCode, body: res.json() }
}
const TWO_DAYS = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-03T00:00:00Z'

t.test('its rows come in their own array, grouped by its default dimension', async t => {
  const { status, body } = await get(`/v1/accounts/toy-co/billingUsage?${TWO_DAYS}`)
  t.equal(status, 200)
  t.same(Object.keys(body), ['serverlessCosts', 'dedicatedCosts', 'trainingCosts', 'batchCosts'])
  t.same(body.batchCosts, [
    {
      startTime: '2026-05-01T00:00:00Z',
      endTime: '2026-05-02T00:00:00Z',
      requests: '11',
      tokens: '1050',
      group: { batch_id: 'b-1' },
    },
    {
      startTime: '2026-05-01T00:00:00Z',
      endTime: '2026-05-02T00:00:00Z',
      requests: '5',
      tokens: '500',
      group: { batch_id: 'b-2' },
    },
    {
      startTime: '2026-05-02T00:00:00Z',
      endTime: '2026-05-03T00:00:00Z',
      requests: '2',
      tokens: '7',
      group: { batch_id: 'b-2' },
    },
  ])
})

t.test('its usage type is the next enum number, and its dimensions group and filter', async t => {
  const { body } = await get(
    `/v1/accounts/toy-co/billingUsage?${TWO_DAYS}&usageType=4&groupBy=model_name&filter[annotations.team][values]=`,
  )
  // team '' excludes the 10 requests of search; m-a: 5 + 2 on two days, m-b: 1
  t.same(
    body.batchCosts.map((r: { startTime: string; requests: string; group: object }) => [
      r.startTime.slice(0, 10),
      r.group,
      r.requests,
    ]),
    [
      ['2026-05-01', { model_name: 'm-a' }, '5'],
      ['2026-05-01', { model_name: 'm-b' }, '1'],
      ['2026-05-02', { model_name: 'm-a' }, '2'],
    ],
  )
  t.same(body.serverlessCosts, [], 'the other streams are not selected')
  const wrong = await get(`/v1/accounts/toy-co/billingUsage?${TWO_DAYS}&usageType=SERVERLESS&groupBy=batch_id`)
  t.same(
    [wrong.status, wrong.body.message],
    [400, 'group_by dimension "batch_id" does not apply to usage_type SERVERLESS'],
  )
})

t.test('filter options list its dimensions', async t => {
  const { body } = await get(`/v1/accounts/toy-co/accountUsageFilterOptions?${TWO_DAYS}&usageType=BATCH_INFERENCE`)
  t.same(body.batch, {
    batch_id: ['b-1', 'b-2'],
    model_name: ['m-a', 'm-b'],
    'annotations.team': ['', 'search'],
    'annotations.project': [''],
    'annotations.environment': [''],
  })
})

t.test('the billing summary rates it by its own description', async t => {
  const { body } = await get(`/v1/accounts/toy-co/billing/summary?${TWO_DAYS}`)
  // m-a: 1000 + 500 + 7 tokens x 100 = 150,700 nano-USD; m-b: 50 x 100 = 5,000
  t.same(
    body.lineItems.map(
      (i: { series: string; groupingValue: string; quantity: number; totalCost: { nanos: number } }) => [
        i.series,
        i.groupingValue,
        i.quantity,
        i.totalCost.nanos,
      ],
    ),
    [
      ['BATCH_INFERENCE', 'm-a', 1507, 150_700],
      ['BATCH_INFERENCE', 'm-b', 50, 5_000],
    ],
  )
})

t.test('fixtures check its fields, and the export writes them back', async t => {
  const bad = await app.inject({
    method: 'POST',
    url: '/_mock/accounts',
    payload: JSON.stringify(batchRecord('2026-05-01T05:00:00Z', { tokens: -1, colour: 'red' })),
  })
  t.same(
    bad.json().message,
    'nothing was added: body:1: tokens: must be a non-negative integer, got -1; body:1: colour: unknown field',
  )
  const res = await app.inject({
    url: '/_mock/records?account=toy-co&stream=batch&startTime=2026-05-02T00:00:00Z&endTime=2026-05-03T00:00:00Z',
  })
  t.equal(
    res.body,
    '{"kind":"batch","account":"toy-co","time":"2026-05-02T01:00:00Z","batchId":"b-2","model":"m-a","requests":2,"tokens":7,"annotations":{}}\n',
  )
})

t.test('the synthetic world generates it from its own description, with and without the hourly sums', async t => {
  const synthetic = buildWorld({
    seed: 4,
    spec: {
      start: '2026-01-01T00:00:00Z',
      accounts: [
        { account: 'gen-co', scale: 0.01, keys: 3, models: ['qwen3-8b'], deployments: 0, trainingJobsPerMonth: 0 },
      ],
    },
    files: [],
  })
  const account = synthetic.accounts.get('gen-co')!
  const keys = account.synthetic!.keys
  // Two days: a key alive all of them has 4 batches a day, 16 requests and 4,000 tokens.
  const from = Date.parse('2026-09-01T00:00:00Z')
  const alive = keys.filter(k => k.createdHour * HOUR_MS <= from && k.revokedHour * HOUR_MS >= from + 2 * 86_400_000)
  t.ok(alive.length >= 2, `keys alive over the two days (${alive.length} of ${keys.length})`)
  const expected = ['2026-09-01', '2026-09-02'].flatMap(day =>
    alive
      .map(k => `nightly-${k.id}`)
      .sort()
      .map(id => [day, id, '16', '4000']),
  )
  const url = `/v1/accounts/gen-co/billingUsage?startTime=2026-09-01T00:00:00Z&endTime=2026-09-03T00:00:00Z&usageType=BATCH_INFERENCE`
  const secret = keys[0]!.secret
  for (const sumsMb of [32, 0]) {
    const server = buildApp(configWith({ logLevel: 'silent', now: Date.parse('2027-01-01T00:00:00Z'), sumsMb }), {
      world: synthetic,
    })
    const res = await server.inject({ url, headers: { authorization: `Bearer ${secret}` } })
    type Row = { startTime: string; group: { batch_id: string }; requests: string; tokens: string }
    const rows = res.json<{ batchCosts: Row[] }>().batchCosts
    t.same(
      rows.map(r => [r.startTime.slice(0, 10), r.group.batch_id, r.requests, r.tokens]),
      expected,
      `SUMS_MB=${sumsMb}`,
    )
  }
})
