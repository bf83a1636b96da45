// Adding a stream is one description plus its registration: a toy fourth stream, batch
// inference, defined here, then loaded from fixtures, grouped, filtered, listed in filter
// options, exported and rated in the billing summary, with no other code changed.
// (It is not in the OpenAPI document, so these apps do not validate responses against it.)
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { configWith } from '../../server/config.js'
import { buildWorld } from '../../server/data/world.js'
import type { UsageRecord } from '../../server/model/records.js'
import { allDimensions, registerStream } from '../../server/streams/registry.js'
import { ANNOTATION_DIMENSIONS, BOUNDS_FIELDS, GROUP_FIELD } from '../../server/streams/stream.js'
import { type StreamSpec } from '../../server/model/stream.js'

interface BatchRecord extends UsageRecord {
  batchId: string
  model: string
  requests: number
  tokens: number
}

const batch: StreamSpec<BatchRecord> = {
  kind: 'batch',
  usageType: 'BATCH_INFERENCE',
  rowsField: 'batchCosts',
  fields: { batchId: 'string', model: 'string', requests: 'count', tokens: 'count' },
  dimensions: { batch_id: r => r.batchId, model_name: r => r.model, ...ANNOTATION_DIMENSIONS },
  defaultGroupBy: ['batch_id'],
  quantities: [
    { name: 'requests', of: r => r.requests },
    { name: 'tokens', of: r => r.tokens },
  ],
  recordAt: (template, time, m) => ({ ...template, time, requests: m[0] as number, tokens: m[1] as number }),
  rowFields: [
    ...BOUNDS_FIELDS,
    { name: 'requests', kind: 'int64', value: a => a.sums[0] },
    { name: 'tokens', kind: 'int64', value: a => a.sums[1] },
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
        quantity: agg.sums[1] as number,
        scale: 1,
        nano: (agg.sums[1] as number) * 100,
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
