// npm run bench:sessions: what sessions cost. (1) Memory: 1000 sessions holding 100 runtime
// records each, in this process, heap after a full GC and RSS, over the baseline. (2) Speed:
// requests in the default session (autocannon, a server started as users run it), before and
// after those sessions exist. Prints figures; nothing here passes or fails.
// Usage: npm run bench:sessions [-- --sessions 1000 --records 100 --seconds 5]

import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { buildApp } from '../../server/app.js'
import { configWith } from '../../server/config.js'

const arg = (name: string, fallback: number) =>
  Number(process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback)
const SESSIONS = arg('--sessions', 1000)
const RECORDS = arg('--records', 100)
const SECONDS = arg('--seconds', 5)
const NOW = '2026-11-25T00:00:00Z'
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc (npm run bench:sessions does)')

/** A session's set-up: an account with a key and RECORDS serverless records. */
function body(i: number): string {
  const lines = [
    JSON.stringify({ account: 'acme', keys: [{ id: 'key_AcmeBench0000001', name: 'prod', secret: `fw_acme_${i}` }] }),
  ]
  for (let r = 0; r < RECORDS; r++)
    lines.push(
      JSON.stringify({
        kind: 'serverless',
        account: 'acme',
        time: new Date(Date.parse('2026-05-01T00:00:00Z') + r * 3_600_000).toISOString(),
        model: 'accounts/fireworks/models/kimi-k2p6',
        promptTokens: 1000 + r,
        completionTokens: r,
      }),
    )
  return lines.join('\n')
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1)

// (1) memory, in this process
const app = buildApp(configWith({ logLevel: 'silent', now: Date.parse(NOW), maxSessions: SESSIONS }))
await app.ready()
gc()
const before = process.memoryUsage()
for (let i = 0; i < SESSIONS; i++) {
  const res = await app.inject({
    method: 'POST',
    url: '/_mock/accounts',
    headers: { 'x-mock-session': `s-${i}`, 'content-type': 'application/x-ndjson' },
    payload: body(i),
  })
  if (res.statusCode !== 200) throw new Error(res.body)
}
gc()
const after = process.memoryUsage()
const listed = (await app.inject({ url: '/_mock/sessions' })).json().sessions.length - 1
console.log(
  `${listed} sessions x ${RECORDS} runtime records: heap after GC +${mb(after.heapUsed - before.heapUsed)} MB, RSS +${mb(after.rss - before.rss)} MB (target < 100 MB)`,
)
await app.close()

// (2) speed of the default session, against a server process, before and after the sessions
const child = spawn(process.execPath, ['dist/server/main.js'], {
  env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'warn', NOW, MAX_SESSIONS: String(SESSIONS) },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const url = await new Promise<string>((resolve, reject) => {
  let out = ''
  child.stdout.on('data', d => {
    out += String(d)
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
    if (m) resolve(m[1] as string)
  })
  child.on('exit', code => reject(new Error(`server exited ${code}: ${out}`)))
})
const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024
const AUTH = { authorization: 'Bearer fw_mockAcmeProdEng01' }
const W1 = `${url}/v1/accounts/acme-ai/billingUsage?startTime=2026-10-01T07:00:00Z&endTime=2026-11-01T07:00:00Z&timezone=America/Los_Angeles&groupBy=model_name`
const W2 = `${url}/v1/accounts/acme-ai/billingUsage?startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z&usageType=SERVERLESS&groupBy=api_key_id&groupBy=api_key_name&groupBy=model_name&filter[api_key_name][values]=prod-eng`
async function load(target: string) {
  await autocannon({ url: target, connections: 10, duration: 1, headers: AUTH })
  const r = await autocannon({ url: target, connections: 10, duration: SECONDS, headers: AUTH })
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${target}: ${r.non2xx} non-2xx, ${r.errors} errors`)
  return `${Math.round(r.requests.average)} req/s, mean ${r.latency.average.toFixed(2)} ms`
}
const speed = async () => ({ w1: await load(W1), w2: await load(W2) })
const empty = await speed()
const rssEmpty = rssMb()
for (let i = 0; i < SESSIONS; i++) {
  const res = await fetch(`${url}/_mock/accounts`, {
    method: 'POST',
    headers: { 'x-mock-session': `s-${i}`, 'content-type': 'application/x-ndjson' },
    body: body(i),
  })
  if (res.status !== 200) throw new Error(await res.text())
}
const rssFull = rssMb()
const full = await speed()
console.log(`default session, W1 (cached): ${empty.w1} without sessions; ${full.w1} with ${SESSIONS}`)
console.log(`default session, W2 (cached): ${empty.w2} without sessions; ${full.w2} with ${SESSIONS}`)
console.log(`server RSS: ${rssEmpty.toFixed(1)} MB without sessions, ${rssFull.toFixed(1)} MB with ${SESSIONS}`)
child.kill('SIGTERM')
