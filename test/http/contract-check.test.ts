// VALIDATE_RESPONSES: a body that does not match the document becomes a 500 naming the route,
// the status and the violation.
import Fastify from 'fastify'
import t from 'tap'
import { installContractCheck } from '../../server/http/contract-check.js'
import { registerRoutes } from '../../server/http/routes.js'

type Json = Record<string, any>

t.test('a field added to a response but not to the document fails', async t => {
  const body = { serverlessCosts: [], dedicatedCosts: [], trainingCosts: [] }
  const build = (extra: Json) => {
    const app = Fastify({ exposeHeadRoutes: false })
    installContractCheck(app)
    app.register(async scope =>
      registerRoutes(scope, [
        { method: 'GET', url: '/v1/accounts/:account_id/billingUsage', handler: async () => extra },
      ]),
    )
    return app
  }
  const ok = await build(body).inject({ url: '/v1/accounts/a/billingUsage' })
  t.equal(ok.statusCode, 200, 'the documented shape passes')
  const row = {
    startTime: '2026-05-01T00:00:00Z',
    endTime: '2026-05-02T00:00:00Z',
    usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
    promptTokens: '1',
    completionTokens: '0',
    cachedPromptTokens: '0',
    uncachedPromptTokens: '1',
    audioInputSeconds: 0,
    costNanoUsd: 0,
    group: {},
  }
  const bad = await build({ ...body, serverlessCosts: [{ ...row, surprise: 1 }] }).inject({
    url: '/v1/accounts/a/billingUsage',
  })
  t.equal(bad.statusCode, 500)
  t.equal(
    bad.json().message,
    'response does not match openapi/fireworks-usage.yaml: GET /v1/accounts/:account_id/billingUsage 200: /serverlessCosts/0 must NOT have additional properties (surprise)',
  )
  const wrongType = await build({ ...body, serverlessCosts: [{ ...row, promptTokens: 1 }] }).inject({
    url: '/v1/accounts/a/billingUsage',
  })
  t.match(wrongType.json().message, /\/serverlessCosts\/0\/promptTokens must be string/)
})
