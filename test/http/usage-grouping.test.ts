// Grouping and filtering of billingUsage over a handful of hand-written records of one day.
// Every expected number below is added up by hand from the table of records.
import t from 'tap'
import { dedicatedRecord, fixtureApp, modelName, serverlessRecord, trainingRecord, usage } from '../helpers.js'

const DAY = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
const records = [
  // serverless: prompt tokens 100 / 200 / 300 / 400, completion one tenth
  serverlessRecord('2026-05-01T01:00:00Z', {
    model: modelName('gpt-oss-20b'),
    apiKeyId: 'key_A',
    apiKeyName: 'a',
    promptTokens: 100,
    completionTokens: 10,
    annotations: { team: 'search', project: 'p1', environment: 'prod' },
  }),
  serverlessRecord('2026-05-01T02:00:00Z', {
    model: modelName('gpt-oss-20b'),
    apiKeyId: 'key_B',
    apiKeyName: 'b',
    promptTokens: 200,
    completionTokens: 20,
    annotations: { team: 'ads', environment: 'prod' },
  }),
  serverlessRecord('2026-05-01T03:00:00Z', {
    model: modelName('kimi-k2p6'),
    apiKeyId: 'key_A',
    apiKeyName: 'a',
    promptTokens: 300,
    completionTokens: 30,
    annotations: { team: 'search', project: 'p2' },
  }),
  serverlessRecord('2026-05-01T04:00:00Z', {
    model: modelName('kimi-k2p6'),
    apiKeyId: 'key_C',
    apiKeyName: 'c',
    promptTokens: 400,
    completionTokens: 40,
  }),
  // dedicated: dep-a 3600 + 1800 on H100, dep-b 7200 on A100
  dedicatedRecord('2026-05-01T10:00:00Z', {
    deployment: 'accounts/test-co/deployments/dep-a',
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 3600,
    baseModel: modelName('kimi-k2p6'),
    placement: 'US_IOWA_1',
    annotations: { team: 'search' },
  }),
  dedicatedRecord('2026-05-01T11:00:00Z', {
    deployment: 'accounts/test-co/deployments/dep-a',
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 1800,
    baseModel: modelName('kimi-k2p6'),
    placement: 'GLOBAL',
    annotations: { team: 'search' },
  }),
  dedicatedRecord('2026-05-01T10:00:00Z', {
    deployment: 'accounts/test-co/deployments/dep-b',
    acceleratorType: 'NVIDIA_A100_80GB',
    acceleratorSeconds: 7200,
    baseModel: modelName('glm-4p7'),
  }),
  // training: job-1 SFT tokens 1000 + 500, job-2 RFT 3600 accelerator seconds
  trainingRecord('2026-05-01T05:00:00Z', {
    jobId: 'job-1',
    jobType: 'SFT',
    usageType: 'TRAINING_TOKENS',
    tokens: 1000,
    baseModel: modelName('llama-v3p1-8b-instruct'),
    annotations: { team: 'search' },
  }),
  trainingRecord('2026-05-01T06:00:00Z', {
    jobId: 'job-2',
    jobType: 'RFT',
    usageType: 'TRAINER_ACCELERATOR_SECONDS',
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 3600,
    baseModel: modelName('qwen3-8b'),
    trainingSessionId: 'sess-2',
    annotations: { team: 'ads', environment: 'dev' },
  }),
  trainingRecord('2026-05-01T07:00:00Z', {
    jobId: 'job-1',
    jobType: 'SFT',
    usageType: 'TRAINING_TOKENS',
    tokens: 500,
    baseModel: modelName('llama-v3p1-8b-instruct'),
    annotations: { team: 'search' },
  }),
]
const app = fixtureApp(records)

type Row = Record<string, unknown> & { group: Record<string, string> }
/** Each row as [group values in order..., the stream's main quantity]. */
const brief = (rows: Row[], quantity: string) => rows.map(r => [...Object.values(r.group), r[quantity]])

async function get(query: string) {
  const res = await usage(app, `${DAY}&${query}`)
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as { serverlessCosts: Row[]; dedicatedCosts: Row[]; trainingCosts: Row[] }
}

t.test('every dimension of every stream groups as added up by hand', async t => {
  const expected: [string, string, string, [string, string][]][] = [
    [
      'SERVERLESS',
      'model_name',
      'promptTokens',
      [
        [modelName('gpt-oss-20b'), '300'],
        [modelName('kimi-k2p6'), '700'],
      ],
    ],
    [
      'SERVERLESS',
      'api_key_id',
      'promptTokens',
      [
        ['key_A', '400'],
        ['key_B', '200'],
        ['key_C', '400'],
      ],
    ],
    [
      'SERVERLESS',
      'api_key_name',
      'promptTokens',
      [
        ['a', '400'],
        ['b', '200'],
        ['c', '400'],
      ],
    ],
    [
      'SERVERLESS',
      'annotations.team',
      'promptTokens',
      [
        ['', '400'],
        ['ads', '200'],
        ['search', '400'],
      ],
    ],
    [
      'SERVERLESS',
      'annotations.project',
      'promptTokens',
      [
        ['', '600'],
        ['p1', '100'],
        ['p2', '300'],
      ],
    ],
    [
      'SERVERLESS',
      'annotations.environment',
      'promptTokens',
      [
        ['', '700'],
        ['prod', '300'],
      ],
    ],
    [
      'DEDICATED_DEPLOYMENT',
      'deployment_name',
      'acceleratorSeconds',
      [
        ['accounts/test-co/deployments/dep-a', '5400'],
        ['accounts/test-co/deployments/dep-b', '7200'],
      ],
    ],
    [
      'DEDICATED_DEPLOYMENT',
      'accelerator_type',
      'acceleratorSeconds',
      [
        ['NVIDIA_A100_80GB', '7200'],
        ['NVIDIA_H100_80GB', '5400'],
      ],
    ],
    [
      'DEDICATED_DEPLOYMENT',
      'annotations.team',
      'acceleratorSeconds',
      [
        ['', '7200'],
        ['search', '5400'],
      ],
    ],
    ['DEDICATED_DEPLOYMENT', 'annotations.project', 'acceleratorSeconds', [['', '12600']]],
    ['DEDICATED_DEPLOYMENT', 'annotations.environment', 'acceleratorSeconds', [['', '12600']]],
    [
      'TRAINING',
      'job_id',
      'tokens',
      [
        ['job-1', '1500'],
        ['job-2', '0'],
      ],
    ],
    [
      'TRAINING',
      'job_type',
      'acceleratorSeconds',
      [
        ['RFT', '3600'],
        ['SFT', '0'],
      ],
    ],
    [
      'TRAINING',
      'usage_type',
      'tokens',
      [
        ['TRAINER_ACCELERATOR_SECONDS', '0'],
        ['TRAINING_TOKENS', '1500'],
      ],
    ],
    [
      'TRAINING',
      'accelerator_type',
      'tokens',
      [
        ['', '1500'],
        ['NVIDIA_H100_80GB', '0'],
      ],
    ],
    [
      'TRAINING',
      'base_model',
      'acceleratorSeconds',
      [
        [modelName('llama-v3p1-8b-instruct'), '0'],
        [modelName('qwen3-8b'), '3600'],
      ],
    ],
    [
      'TRAINING',
      'annotations.team',
      'tokens',
      [
        ['ads', '0'],
        ['search', '1500'],
      ],
    ],
    ['TRAINING', 'annotations.project', 'tokens', [['', '1500']]],
    [
      'TRAINING',
      'annotations.environment',
      'acceleratorSeconds',
      [
        ['', '0'],
        ['dev', '3600'],
      ],
    ],
  ]
  for (const [usageType, dimension, quantity, rows] of expected) {
    const body = await get(`usageType=${usageType}&groupBy=${dimension}`)
    const list =
      usageType === 'SERVERLESS'
        ? body.serverlessCosts
        : usageType === 'TRAINING'
          ? body.trainingCosts
          : body.dedicatedCosts
    t.same(brief(list, quantity), rows, `${usageType} by ${dimension}`)
    t.ok(
      list.every(r => Object.keys(r.group).join() === dimension),
      `${dimension}: group keys spelled as requested`,
    )
  }
})

t.test('two dimensions at once, sorted by the first then the second', async t => {
  const body = await get('usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_name')
  t.same(brief(body.serverlessCosts, 'promptTokens'), [
    [modelName('gpt-oss-20b'), 'a', '100'],
    [modelName('gpt-oss-20b'), 'b', '200'],
    [modelName('kimi-k2p6'), 'a', '300'],
    [modelName('kimi-k2p6'), 'c', '400'],
  ])
  const reversed = await get('usageType=SERVERLESS&groupBy=api_key_name&groupBy=model_name')
  t.same(brief(reversed.serverlessCosts, 'promptTokens'), [
    ['a', modelName('gpt-oss-20b'), '100'],
    ['a', modelName('kimi-k2p6'), '300'],
    ['b', modelName('gpt-oss-20b'), '200'],
    ['c', modelName('kimi-k2p6'), '400'],
  ])
  t.same(Object.keys(reversed.serverlessCosts[0]!.group), ['api_key_name', 'model_name'])
})

t.test('annotation keys together; a missing annotation groups under ""', async t => {
  const body = await get('usageType=SERVERLESS&groupBy=annotations.project&groupBy=annotations.environment')
  t.same(brief(body.serverlessCosts, 'promptTokens'), [
    ['', '', '400'],
    ['', 'prod', '200'],
    ['p1', 'prod', '100'],
    ['p2', '', '300'],
  ])
})

t.test('defaults per stream when groupBy is empty', async t => {
  const body = await get('')
  t.same(brief(body.serverlessCosts, 'promptTokens'), [
    [modelName('gpt-oss-20b'), '300'],
    [modelName('kimi-k2p6'), '700'],
  ])
  t.same(Object.keys(body.serverlessCosts[0]!.group), ['model_name'])
  t.same(brief(body.dedicatedCosts, 'acceleratorSeconds'), [
    ['accounts/test-co/deployments/dep-a', 'NVIDIA_H100_80GB', '5400'],
    ['accounts/test-co/deployments/dep-b', 'NVIDIA_A100_80GB', '7200'],
  ])
  t.same(brief(body.trainingCosts, 'tokens'), [
    ['job-1', 'SFT', 'TRAINING_TOKENS', '', modelName('llama-v3p1-8b-instruct'), '1500'],
    ['job-2', 'RFT', 'TRAINER_ACCELERATOR_SECONDS', 'NVIDIA_H100_80GB', modelName('qwen3-8b'), '0'],
  ])
})

t.test('dimensions of other streams are ignored when usageType is unspecified', async t => {
  const body = await get('groupBy=api_key_id')
  t.same(brief(body.serverlessCosts, 'promptTokens'), [
    ['key_A', '400'],
    ['key_B', '200'],
    ['key_C', '400'],
  ])
  // no dimension left for dedicated and training: one row per day with an empty group
  t.same(
    body.dedicatedCosts.map(r => [r.group, r.acceleratorSeconds]),
    [[{}, '12600']],
  )
  t.same(
    body.trainingCosts.map(r => [r.group, r.tokens, r.acceleratorSeconds]),
    [[{}, '1500', '3600']],
  )
  const mixed = await get('groupBy=model_name&groupBy=accelerator_type')
  t.same(brief(mixed.serverlessCosts, 'promptTokens'), [
    [modelName('gpt-oss-20b'), '300'],
    [modelName('kimi-k2p6'), '700'],
  ])
  t.same(brief(mixed.dedicatedCosts, 'acceleratorSeconds'), [
    ['NVIDIA_A100_80GB', '7200'],
    ['NVIDIA_H100_80GB', '5400'],
  ])
  t.same(brief(mixed.trainingCosts, 'tokens'), [
    ['', '1500'],
    ['NVIDIA_H100_80GB', '0'],
  ])
})

t.test('an explicit usageType rejects a dimension of another stream', async t => {
  const res = await usage(app, `${DAY}&usageType=TRAINING&groupBy=api_key_name`)
  t.equal(res.status, 400)
  t.same(res.body, {
    code: 3,
    message: 'group_by dimension "api_key_name" does not apply to usage_type TRAINING',
    details: [],
  })
})

t.test('filters: values of one dimension are ORed', async t => {
  const body = await get(
    'usageType=SERVERLESS&groupBy=api_key_name&filter[api_key_name][values]=a&filter[api_key_name][values]=c',
  )
  t.same(brief(body.serverlessCosts, 'promptTokens'), [
    ['a', '400'],
    ['c', '400'],
  ])
})

t.test('filters: different dimensions are ANDed', async t => {
  const body = await get(
    `usageType=SERVERLESS&groupBy=api_key_name&filter[api_key_name][values]=a&filter[model_name][values]=${modelName('kimi-k2p6')}`,
  )
  t.same(brief(body.serverlessCosts, 'promptTokens'), [['a', '300']])
})

t.test('filters: an empty value selects records without the annotation', async t => {
  const body = await get('groupBy=annotations.team&filter[annotations.team][values]=')
  t.same(brief(body.serverlessCosts, 'promptTokens'), [['', '400']])
  t.same(brief(body.dedicatedCosts, 'acceleratorSeconds'), [['', '7200']])
  t.same(body.trainingCosts, [])
})

t.test('filters: a value that does not exist gives 200 and no rows for that stream only', async t => {
  const res = await usage(app, `${DAY}&filter[model_name][values]=nope`)
  t.equal(res.status, 200)
  t.same(res.body.serverlessCosts, [])
  t.equal(res.body.dedicatedCosts.length, 2, 'model_name does not apply to dedicated, so it is ignored there')
  const only = await usage(app, `${DAY}&usageType=SERVERLESS&filter[model_name][values]=nope`)
  t.same(only.body, { serverlessCosts: [], dedicatedCosts: [], trainingCosts: [] })
})

t.test('filters on a dimension that is not grouped still select', async t => {
  const body = await get(
    'usageType=DEDICATED_DEPLOYMENT&groupBy=accelerator_type&filter[annotations.team][values]=search',
  )
  t.same(brief(body.dedicatedCosts, 'acceleratorSeconds'), [['NVIDIA_H100_80GB', '5400']])
})

t.test('with FILTERS=ignore the filter is not applied, as on the live gateway', async t => {
  const ignoring = fixtureApp(records, { filters: 'ignore' })
  const res = await usage(ignoring, `${DAY}&usageType=SERVERLESS&groupBy=api_key_name&filter[api_key_name][values]=a`)
  t.same(brief(res.body.serverlessCosts, 'promptTokens'), [
    ['a', '400'],
    ['b', '200'],
    ['c', '400'],
  ])
})

t.test('totals are conserved: every grouping sums to the ungrouped total', async t => {
  const dims = ['model_name', 'api_key_id', 'annotations.team', 'deployment_name', 'job_type']
  const sum = (rows: Row[], f: string) => rows.reduce((s, r) => s + Number(r[f]), 0)
  for (const d of dims) {
    const body = await get(`groupBy=${d}`)
    t.equal(sum(body.serverlessCosts, 'promptTokens'), 1000, `serverless by ${d}`)
    t.equal(sum(body.serverlessCosts, 'completionTokens'), 100, `serverless by ${d}`)
    t.equal(sum(body.dedicatedCosts, 'acceleratorSeconds'), 12600, `dedicated by ${d}`)
    t.equal(sum(body.trainingCosts, 'tokens'), 1500, `training by ${d}`)
    t.equal(sum(body.trainingCosts, 'acceleratorSeconds'), 3600, `training by ${d}`)
  }
})
