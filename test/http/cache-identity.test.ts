// The answer cache names a question by its meaning, not by its URL: the same parameters written
// in another order or spelling, or with an ignored one, hit the same entry; a parameter that
// changes the answer misses. Each claimed equivalence is checked without the cache as well:
// the two forms computed afresh give the same bytes (or, for a miss, different ones).
import t, { type Test } from 'tap'
import { AUTH, dedicatedRecord, fixtureApp, modelName, serverlessRecord } from '../helpers.js'

const M_A = modelName('model-a')
const M_B = modelName('model-b')
const RECORDS = [
  serverlessRecord('2026-05-01T01:00:00Z', { model: M_A, apiKeyId: 'key_B', apiKeyName: 'b', promptTokens: 1 }),
  serverlessRecord('2026-05-01T02:00:00Z', { model: M_B, apiKeyId: 'key_A', apiKeyName: 'a', promptTokens: 2 }),
  serverlessRecord('2026-05-02T03:00:00Z', { model: modelName('model-c'), promptTokens: 4 }),
  dedicatedRecord('2026-05-01T04:00:00Z', { acceleratorSeconds: 10 }),
]
const START = 'startTime=2026-05-01T00:00:00Z'
const END = 'endTime=2026-05-03T00:00:00Z'
const F_MODEL = (m: string) => `filter[model_name][values]=${m}`
const F_KEY = (k: string) => `filter[api_key_name][values]=${k}`
const BASE = [
  START,
  END,
  'usageType=SERVERLESS',
  'groupBy=model_name',
  'groupBy=api_key_name',
  F_MODEL(M_A),
  F_MODEL(M_B),
  F_KEY('a'),
  F_KEY('b'),
].join('&')
const fresh = fixtureApp(RECORDS, { cacheMb: 0 })

async function ask(t: Test, app: typeof fresh, query: string) {
  const res = await app.inject({
    url: `/v1/accounts/test-co/billingUsage?${query}`,
    headers: { ...AUTH, 'x-mock-explain': 'true' },
  })
  t.equal(res.statusCode, 200, query)
  const { cache } = JSON.parse(res.headers['x-mock-explain'] as string) as { cache: string }
  return { body: res.body, cache, ignored: res.headers['x-mock-ignored-params'] }
}

/** The second form's cache outcome after the first was asked, on an app of its own. */
async function second(t: Test, first: string, then: string) {
  const app = fixtureApp(RECORDS)
  const a = await ask(t, app, first)
  const b = await ask(t, app, then)
  t.equal(a.cache, 'miss')
  return { a, b }
}

const SAME: [string, string, string][] = [
  [
    'the parameters in another order (groupBy keeping its own)',
    BASE,
    [F_KEY('a'), 'groupBy=model_name', END, F_MODEL(M_A), 'usageType=SERVERLESS', START, F_KEY('b')]
      .concat(['groupBy=api_key_name', F_MODEL(M_B)])
      .join('&'),
  ],
  [
    'the snake_case names',
    BASE,
    BASE.replace('startTime', 'start_time')
      .replace('endTime', 'end_time')
      .replace('usageType', 'usage_type')
      .replaceAll('groupBy', 'group_by'),
  ],
  [
    "a filter's values in another order, one of them twice",
    BASE,
    [START, END, 'usageType=SERVERLESS', 'groupBy=model_name', 'groupBy=api_key_name']
      .concat([F_MODEL(M_B), F_MODEL(M_A), F_MODEL(M_B), F_KEY('b'), F_KEY('a')])
      .join('&'),
  ],
  [
    'the same instants with an offset, the usage type by its number',
    BASE,
    BASE.replace(START, 'startTime=2026-05-01T05:45:00%2B05:45').replace('usageType=SERVERLESS', 'usageType=1'),
  ],
  ['a groupBy value twice, and an ignored parameter', BASE, `${BASE}&groupBy=model_name&pageSize=3`],
  [
    // every stream keeps only its own dimension, in the same order either way [contract 1.4]
    'without a usage type, dimensions of two streams in either order',
    `${START}&${END}&groupBy=api_key_name&groupBy=deployment_name`,
    `${START}&${END}&groupBy=deployment_name&groupBy=api_key_name`,
  ],
]

t.test('equivalent forms of a question hit the same cache entry', async t => {
  for (const [name, first, then] of SAME) {
    const { a, b } = await second(t, first, then)
    t.equal(b.cache, 'hit', name)
    t.equal(b.body, a.body, `${name}: the hit is the first form's answer`)
    t.equal(
      (await ask(t, fresh, then)).body,
      (await ask(t, fresh, first)).body,
      `${name}: the same bytes computed afresh`,
    )
  }
  const { b } = await second(t, BASE, `${BASE}&pageSize=3`)
  t.equal(b.ignored, 'pageSize', "a hit still reports the request's own ignored parameters")
})

const OTHER: [string, string, string][] = [
  [
    'groupBy in another order',
    BASE,
    BASE.replace('groupBy=model_name&groupBy=api_key_name', 'groupBy=api_key_name&groupBy=model_name'),
  ],
  ['another time zone', BASE, `${BASE}&timezone=Asia/Kathmandu`],
  ['a filter value fewer', BASE, BASE.replace(`&${F_MODEL(M_B)}`, '')],
  ['every usage type instead of one', BASE, BASE.replace('&usageType=SERVERLESS', '')],
]

t.test('a parameter that changes the answer misses', async t => {
  for (const [name, first, then] of OTHER) {
    const { b } = await second(t, first, then)
    t.equal(b.cache, 'miss', name)
    t.not(
      (await ask(t, fresh, then)).body,
      (await ask(t, fresh, first)).body,
      `${name}: another answer computed afresh`,
    )
  }
})

t.test("groupBy's order is the rows' order and the group's [contract 1.5]", async t => {
  // On May 1: model-a with key b, model-b with key a.
  const firstGroup = async (query: string) => JSON.parse((await ask(t, fresh, query)).body).serverlessCosts[0].group
  const byModel = await firstGroup(BASE)
  const byKey = await firstGroup(OTHER[0]![2])
  t.same(Object.entries(byModel), [
    ['model_name', M_A],
    ['api_key_name', 'b'],
  ])
  t.same(Object.entries(byKey), [
    ['api_key_name', 'a'],
    ['model_name', M_B],
  ])
})
