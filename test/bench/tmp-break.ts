import qs from 'qs'
import { loadWorld } from '../../server/data/world.js'
import { allStreams } from '../../server/streams/registry.js'
import { rowWriter } from '../../server/streams/stream.js'
import { aggregateUsage } from '../../server/usage/aggregate.js'
import { bucketsFor } from '../../server/usage/buckets.js'
import { HourlySums } from '../../server/usage/hourly-sums.js'
import { parseUsageQuery, planFor } from '../../server/usage/query.js'
const world = loadWorld({ seed: 42, fixtures: null, worldScale: 1 })
const account = world.accounts.get('acme-ai')!
const now = Date.parse('2026-11-25T00:00:00Z')
const sums = new HourlySums(64 << 20)
const u = 'startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z&usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_id&groupBy=api_key_name&groupBy=annotations.team&groupBy=annotations.project&groupBy=annotations.environment'
const q = parseUsageQuery(qs.parse(u) as Record<string, unknown>).query
const N = 100
for (let r = 0; r < 4; r++) {
  let tAgg = 0, tRows = 0, tStr = 0, rows = 0
  for (let i = 0; i < N; i++) {
    const buckets = bucketsFor(q.fromMs, q.toMs, q.timezone)
    const body: Record<string, unknown[]> = {}
    for (const spec of q.streams) {
      const plan = planFor(q, spec)
      const a = performance.now()
      const aggs = aggregateUsage(account, plan, { fromMs: q.fromMs, toMs: q.toMs, nowMs: now }, buckets, { sums })
      const b = performance.now()
      body[spec.rowsField] = aggs.map(rowWriter(spec, plan))
      rows = aggs.length
      const c = performance.now()
      tAgg += b - a; tRows += c - b
    }
    const t2 = performance.now()
    JSON.stringify(body)
    tStr += performance.now() - t2
  }
  console.log(`rows ${rows}: agg ${(tAgg / N).toFixed(2)} rows ${(tRows / N).toFixed(2)} stringify ${(tStr / N).toFixed(2)} ms`)
}
