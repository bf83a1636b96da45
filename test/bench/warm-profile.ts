// Profiles the warm (cached) path in-process: node --cpu-prof --import tsx test/bench/warm-profile.ts
import autocannon from 'autocannon'
import { buildApp } from '../../server/app.js'
import { configWith } from '../../server/config.js'

const app = buildApp(configWith({ logLevel: 'warn', now: Date.parse('2026-11-25T00:00:00Z') }))
const url = await app.listen({ port: 0, host: '127.0.0.1' })
const path =
  process.argv[2] ??
  '/v1/accounts/acme-ai/billingUsage?startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z&usageType=SERVERLESS&groupBy=api_key_id&groupBy=api_key_name&groupBy=model_name&filter[api_key_name][values]=prod-eng&filter[api_key_name][values]=staging-key'
const r = await autocannon({
  url: url + path,
  connections: 10,
  duration: 5,
  headers: { authorization: 'Bearer fw_mockAcmeProdEng01' },
})
console.log(r.requests.average, r.latency.p50)
await app.close()
