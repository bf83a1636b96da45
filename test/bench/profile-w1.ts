// Times one workload in-process, for profiling: node --import tsx test/bench/profile-w1.ts [n]
import { buildApp } from '../../server/app.js'
import { configWith } from '../../server/config.js'

const app = buildApp(
  configWith({
    logLevel: 'silent',
    now: Date.parse('2026-11-25T00:00:00Z'),
    cacheMb: Number(process.env.CACHE_MB ?? 64),
  }),
)
const auth = { authorization: 'Bearer fw_mockAcmeProdEng01' }
const urls: Record<string, string> = {
  W1: '/v1/accounts/acme-ai/billingUsage?startTime=2026-10-01T07:00:00Z&endTime=2026-11-01T07:00:00Z&timezone=America/Los_Angeles&groupBy=model_name',
  W2: '/v1/accounts/acme-ai/billingUsage?startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z&usageType=SERVERLESS&groupBy=api_key_id&groupBy=api_key_name&groupBy=model_name&filter[api_key_name][values]=prod-eng&filter[api_key_name][values]=staging-key',
  W3: '/v1/accounts/acme-ai/billingUsage?startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z&usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_id&groupBy=api_key_name&groupBy=annotations.team&groupBy=annotations.project&groupBy=annotations.environment',
}
const n = Number(process.argv[2] ?? 20)
for (const [name, url] of Object.entries(urls)) {
  const first = performance.now()
  const res = await app.inject({ url, headers: auth })
  const firstMs = performance.now() - first
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await app.inject({ url, headers: auth })
  console.log(
    `${name}: first ${firstMs.toFixed(1)} ms, then ${((performance.now() - t0) / n).toFixed(2)} ms/request, ${res.body.length} bytes, status ${res.statusCode}`,
  )
}
