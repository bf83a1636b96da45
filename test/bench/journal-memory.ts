// Does the request journal keep memory flat? Sends 100,000 requests to billingUsage over a
// real socket (10 at a time) with JOURNAL_SIZE=1000 and prints the heap after a forced GC
// along the way. (Fastify's app.inject itself holds ~10 KB per call, so it cannot measure this.)
// Run: npm run bench:journal  (node --expose-gc)

import { buildApp } from '../../server/app.js'
import { configWith } from '../../server/config.js'
import { buildWorld } from '../../server/data/world.js'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')

const TOTAL = Number(process.argv[2] ?? 100_000)
const world = buildWorld({
  seed: 1,
  spec: { start: '2026-01-01T00:00:00Z', accounts: [] },
  files: [
    {
      path: 'bench.ndjson',
      text: [
        '{"account": "bench", "keys": [{"id": "key_Bench00000000001", "name": "bench", "secret": "fw_bench"}]}',
        '{"kind": "serverless", "account": "bench", "time": "2026-05-01T10:00:00Z", "model": "accounts/fireworks/models/kimi-k2p6", "promptTokens": 1000}',
      ].join('\n'),
    },
  ],
})
const app = buildApp(configWith({ logLevel: 'silent', journalSize: 1000, now: Date.parse('2026-06-01T00:00:00Z') }), {
  world,
})
const heapMb = () => {
  gc()
  return (process.memoryUsage().heapUsed / 1e6).toFixed(1)
}

const base = await app.listen({ port: 0, host: '127.0.0.1' })
const started = Date.now()
console.log(`requests  journal  heapUsed(MB)  rss(MB)`)
const CONCURRENCY = 10
let sent = 0
async function worker(): Promise<void> {
  while (sent < TOTAL) {
    const i = ++sent
    const res = await fetch(
      `${base}/v1/accounts/bench/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&n=${i}`,
      {
        headers: { authorization: 'Bearer fw_bench' },
      },
    )
    if (res.status !== 200) throw new Error(`status ${res.status}`)
    await res.arrayBuffer()
  }
}
const report = setInterval(() => {
  console.log(
    `${String(sent).padStart(8)}  ${String(app.mock.sessions.default.journal.size).padStart(7)}  ${heapMb().padStart(12)}  ${(process.memoryUsage().rss / 1e6).toFixed(1).padStart(7)}`,
  )
}, 5000)
await Promise.all(Array.from({ length: CONCURRENCY }, worker))
clearInterval(report)
console.log(
  `${String(sent).padStart(8)}  ${String(app.mock.sessions.default.journal.size).padStart(7)}  ${heapMb().padStart(12)}  ${(process.memoryUsage().rss / 1e6).toFixed(1).padStart(7)}`,
)
console.log(`${TOTAL} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`)
await app.close()
