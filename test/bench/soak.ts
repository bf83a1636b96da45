// npm run soak -- --seconds 60: bounded load at 50 connections on 127.0.0.1, mixing the
// workloads (some with a moving window, so answers are computed, not only cached) and the
// intended error cases. Prints requests, non-2xx by status, errors, and RSS over time.

import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

const arg = (name: string, fallback: number) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback
const SECONDS = arg('--seconds', 60)
const CONNECTIONS = arg('--connections', 50)
const WARMUP_SECONDS = Math.min(10, Math.floor(SECONDS / 4))
const AUTH = 'Bearer fw_mockAcmeProdEng01'
const U = '/v1/accounts/acme-ai'
const OCT = 'startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z'

let moving = 0
/** A 7-day window starting at one of 500 hours: a mix of computed and cached answers. */
const movingWindow = () => {
  const start = Date.parse('2026-09-01T00:00:00Z') + (moving++ % 500) * 3_600_000
  return `startTime=${new Date(start).toISOString()}&endTime=${new Date(start + 7 * 86_400_000).toISOString()}`
}

const requests: autocannon.Request[] = [
  {
    path: `${U}/billingUsage?startTime=2026-10-01T07:00:00Z&endTime=2026-11-01T07:00:00Z&timezone=America/Los_Angeles&groupBy=model_name`,
  },
  {
    path: `${U}/billingUsage?${OCT}&usageType=SERVERLESS&groupBy=api_key_id&groupBy=api_key_name&groupBy=model_name&filter[api_key_name][values]=prod-eng&filter[api_key_name][values]=staging-key`,
  },
  {
    path: `${U}/billingUsage?${OCT}&usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_id&groupBy=api_key_name&groupBy=annotations.team&groupBy=annotations.project&groupBy=annotations.environment`,
  },
  {
    setupRequest: req => ({
      ...req,
      path: `${U}/billingUsage?${movingWindow()}&timezone=Asia/Kathmandu&groupBy=annotations.team`,
    }),
  },
  { setupRequest: req => ({ ...req, path: `${U}/billing/summary?${movingWindow()}&granularity=DAILY` }) },
  { path: `${U}/accountUsageFilterOptions?${OCT}` },
  // intended errors
  { path: `${U}/billingUsage?startTime=2026-10-01` }, // 400
  { path: `${U}/billingUsage?${OCT}`, headers: { authorization: 'Bearer fw_wrong' } }, // 401
  { path: `/v1/accounts/globex/billingUsage?${OCT}` }, // 403
  { path: `${U}/nowhere` }, // 404
]

const child = spawn(process.execPath, ['dist/server/main.js'], {
  // A small answer cache: it fills during the warm-up, then eviction runs the whole time.
  env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'warn', NOW: '2026-11-25T00:00:00Z', CACHE_MB: '16' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
let out = ''
const url = await new Promise<string>(resolve =>
  child.stdout.on('data', d => {
    out += d
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
    if (m) resolve(m[1]!)
  }),
)
const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024
const samples: [number, number][] = []
const started = Date.now()
const sampler = setInterval(() => samples.push([(Date.now() - started) / 1000, rssMb()]), 2000)
const rssStart = rssMb()

const statuses = new Map<number, number>()
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(
    { url, connections: CONNECTIONS, duration: SECONDS, headers: { authorization: AUTH }, requests, timeout: 20 },
    (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
  )
  instance.on('response', (_client, status) => statuses.set(status, (statuses.get(status) ?? 0) + 1))
})
clearInterval(sampler)
const rssEnd = rssMb()
child.kill('SIGTERM')

const afterWarmup = samples.filter(([s]) => s >= WARMUP_SECONDS)
const warm = afterWarmup[0]?.[1] ?? rssStart
const peak = Math.max(rssEnd, ...samples.map(([, r]) => r))
const byStatus = [...statuses]
  .sort(([a], [b]) => a - b)
  .map(([s, n]) => `${s}: ${n}`)
  .join(', ')
const unintended = [...statuses].filter(([s]) => s >= 500 || (s >= 300 && s < 400)).reduce((n, [, c]) => n + c, 0)
console.log(`soak: ${SECONDS} s, ${CONNECTIONS} connections, ${requests.length} request kinds`)
console.log(
  `requests: ${result.requests.total} (${Math.round(result.requests.average)}/s), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
)
console.log(`by status: ${byStatus}`)
console.log(
  `non-2xx: ${result.non2xx} (unintended 3xx/5xx: ${unintended}); errors: ${result.errors}, timeouts: ${result.timeouts}`,
)
console.log(
  `RSS: start ${rssStart.toFixed(1)} MB, after ${WARMUP_SECONDS} s warm-up ${warm.toFixed(1)} MB, end ${rssEnd.toFixed(1)} MB (growth after warm-up ${(((rssEnd - warm) / warm) * 100).toFixed(1)}%), peak ${peak.toFixed(1)} MB`,
)
console.log(`RSS samples (s, MB): ${samples.map(([s, r]) => `${s.toFixed(0)}:${r.toFixed(0)}`).join(' ')}`)
