// GET /v1/accounts/{account_id}/billing/summary over HTTP: only what the route adds to the rules
// (those are tested directly in test/usage/summary.test.ts): the answer checked against the
// published document, the error envelope, x-mock-ignored-params, authentication and methods.
import t from 'tap'
import { AUTH, fixtureApp, modelName, serverlessRecord } from '../helpers.js'

// kimi-k2p6: 1,500 x 950 + 500 x 160 + 100 x 4,000 nano-USD
const app = fixtureApp([
  serverlessRecord('2025-10-05T10:00:00Z', {
    model: modelName('kimi-k2p6'),
    promptTokens: 2000,
    cachedPromptTokens: 500,
    completionTokens: 100,
  }),
])
const URL = '/v1/accounts/test-co/billing/summary'
const Q = 'startTime=2025-10-05T00:00:00Z&endTime=2025-10-06T00:00:00Z'
const usd = (nanos: number) => ({ currencyCode: 'USD', units: '0', nanos })
// [client] the live API's words: the price SKU, the model's display name under model_bucket.
const line = (sku: string, quantity: number, unit: number, total: number) => ({
  category: `LLM ${sku}`,
  groupingKey: 'model_bucket',
  groupingValue: 'Kimi K2.6',
  secondaryGroupingKey: '',
  secondaryGroupingValue: '',
  quantity,
  unitAmount: usd(unit),
  totalCost: usd(total),
  series: 'SERVERLESS',
})

t.test('the answer in proto-JSON, as the published document describes it', async t => {
  // the test app validates every response against openapi/fireworks-usage.yaml
  const res = await app.inject({ url: `${URL}?${Q}&granularity=DAILY`, headers: AUTH })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const items = [
    line('input tokens (cached)', 500, 160, 80_000),
    line('input tokens (uncached)', 1500, 950, 1_425_000),
    line('output tokens', 100, 4000, 400_000),
  ]
  t.strictSame(res.json(), {
    lineItems: items,
    usageBuckets: [{ startTime: '2025-10-05T00:00:00Z', endTime: '2025-10-06T00:00:00Z', lineItems: items }],
  })
})

t.test('a refused query is a 400 in the grpc-gateway envelope', async t => {
  const res = await app.inject({
    url: `${URL}?startTime=2025-10-06T00:00:00Z&endTime=2025-10-05T00:00:00Z`,
    headers: AUTH,
  })
  t.same(
    [res.statusCode, res.json()],
    [400, { code: 3, message: 'the start_time date must not be after the end_time date', details: [] }],
  )
})

t.test('ignored parameters are listed in x-mock-ignored-params', async t => {
  const res = await app.inject({ url: `${URL}?${Q}&groupBy=model_name`, headers: AUTH })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-mock-ignored-params'], 'groupBy')
  const clean = await app.inject({ url: `${URL}?${Q}`, headers: AUTH })
  t.equal(clean.headers['x-mock-ignored-params'], undefined)
})

t.test('authentication comes first; another method is 501', async t => {
  const unauth = await app.inject({ url: URL })
  t.same([unauth.statusCode, unauth.json().code], [401, 16])
  const post = await app.inject({ method: 'POST', url: URL, headers: AUTH })
  t.same([post.statusCode, post.json()], [501, { code: 12, message: 'Method Not Allowed', details: [] }])
})
