// npm run bench: the speed targets of billingUsage, measured against a server started the way
// users run it (compiled JS, LOG_LEVEL=warn, 127.0.0.1), driven by autocannon. Prints figures;
// nothing here passes or fails. Usage: npm run bench [-- --seconds 10]

import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

const SECONDS = Number(process.argv.includes('--seconds') ? process.argv[process.argv.indexOf('--seconds') + 1] : 10)
const CONNECTIONS = 10
const NOW = '2026-11-25T00:00:00Z'
const AUTH = { authorization: 'Bearer fw_mockAcmeProdEng01' }
const BASE = '/v1/accounts/acme-ai/billingUsage'
const W1 = `${BASE}?startTime=2026-10-01T07:00:00Z&endTime=2026-11-01T07:00:00Z&timezone=America/Los_Angeles&groupBy=model_name`
const W2 = `${BASE}?startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z&usageType=SERVERLESS&groupBy=api_key_id&groupBy=api_key_name&groupBy=model_name&filter[api_key_name][values]=prod-eng&filter[api_key_name][values]=staging-key`
const W3 = `${BASE}?startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z&usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_id&groupBy=api_key_name&groupBy=annotations.team&groupBy=annotations.project&groupBy=annotations.environment`

interface Server {
  url: string
  child: ChildProcess
  startedMs: number
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const started = performance.now()
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'warn', NOW, BENCH_ROUTES: 'true', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', d => {
      out += d
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.on('exit', code => reject(new Error(`server exited ${code}: ${out}`)))
  })
  // from spawn to the first 200 of /_mock/health
  while ((await fetch(`${url}/_mock/health`).catch(() => null))?.status !== 200)
    await new Promise(r => setTimeout(r, 5))
  return { url, child, startedMs: performance.now() - started }
}

async function stop(server: Server): Promise<void> {
  await new Promise(resolve => {
    server.child.on('exit', resolve)
    server.child.kill('SIGTERM')
  })
}

async function timeOnce(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now()
  const res = await fetch(url, { headers: AUTH })
  const body = await res.arrayBuffer()
  return { ms: performance.now() - t0, bytes: body.byteLength, status: res.status }
}

async function load(url: string, seconds = SECONDS) {
  await autocannon({ url, connections: CONNECTIONS, duration: Math.min(2, seconds), headers: AUTH }) // warm-up
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: AUTH })
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`)
  // autocannon counts latency in whole milliseconds: a p50 of 0 means under 1 ms, so the mean
  // (which keeps its fraction) is printed too.
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average }
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m?.[1]) / 1024
}

const fmt = (n: number, digits = 0) => n.toFixed(digits)
const row = (cells: (string | number)[], widths: number[]) =>
  cells.map((c, i) => String(c).padEnd(widths[i]!)).join(' ')
const W = [34, 9, 8, 8, 9, 10, 12, 7]
const ms = (n: number) => (n === 0 ? '<1' : fmt(n, 1))

console.log(
  `fireworks-usage-mock bench: ${CONNECTIONS} connections, ${SECONDS} s per workload after a warm-up, NOW=${NOW}`,
)

// W4 cold: process start to the first 200, then the first W1 request (computed, nothing cached)
const main = await startServer({})
const firstW1 = await timeOnce(`${main.url}${W1}`)
console.log(
  `W4 cold: start-up to first 200 ${fmt(main.startedMs)} ms (target < 1000); first W1 ${fmt(firstW1.ms, 1)} ms (target < 100)`,
)
const computed: Record<string, number> = {}
for (const [name, url] of [
  ['W2', W2],
  ['W3', W3],
] as const)
  computed[name] = (await timeOnce(`${main.url}${url}`)).ms
console.log(
  `computed (first request of each): W1 ${fmt(firstW1.ms, 1)} ms, W2 ${fmt(computed.W2!, 1)} ms, W3 ${fmt(computed.W3!, 1)} ms`,
)
console.log()
console.log(row(['workload', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'bytes', 'limit req/s', 'ratio'], W))
for (const [name, url] of [
  ['W1 dashboard (LA, model_name)', W1],
  ['W2 API-key breakdown (filtered)', W2],
  ['W3 stress (six dimensions)', W3],
] as const) {
  const bytes = (await timeOnce(`${main.url}${url}`)).bytes
  const work = await load(`${main.url}${url}`)
  const limit = await load(`${main.url}/_bench${url}`)
  console.log(
    row(
      [
        name,
        fmt(work.rps),
        ms(work.p50),
        ms(work.p99),
        fmt(work.mean, 2),
        bytes,
        fmt(limit.rps),
        fmt(work.rps / limit.rps, 2),
      ],
      W,
    ),
  )
}
console.log(`targets: W1 and W2 ratio >= 0.50; W3 p99 < 250 ms`)
console.log(`RSS after the run (default world): ${fmt(rssMb(main.child.pid!), 1)} MB (target < 150)`)
await stop(main)
console.log()

// History: the same 31-day W1 shape, 90 days vs five years after the world's start (2026-01-01)
const history: string[] = []
const historyP50: number[] = []
for (const [label, now, window] of [
  ['90 days', '2026-04-01T00:00:00Z', 'startTime=2026-03-01T08:00:00Z&endTime=2026-04-01T07:00:00Z'],
  ['5 years', '2031-01-01T00:00:00Z', 'startTime=2030-12-01T08:00:00Z&endTime=2031-01-01T08:00:00Z'],
] as const) {
  const server = await startServer({ NOW: now, CACHE_MB: '0' })
  const url = `${server.url}${BASE}?${window}&timezone=America/Los_Angeles&groupBy=model_name`
  await timeOnce(url)
  const times: number[] = []
  for (let i = 0; i < 9; i++) times.push((await timeOnce(url)).ms)
  const p50 = times.sort((a, b) => a - b)[4]!
  historyP50.push(p50)
  history.push(`${label} ${fmt(p50, 1)} ms`)
  await stop(server)
}
console.log(
  `history (W1 computed, cache off, p50 of 9): ${history.join(', ')}; ratio ${fmt(historyP50[1]! / historyP50[0]!, 2)} (target <= 1.2)`,
)

// Scale: the world multiplied; W1 computed (cache off, p50 of 5) and served (cache on, autocannon)
const scale: string[] = []
let base = 0
let baseServed = 0
for (const factor of [1, 10, 100]) {
  const server = await startServer({ WORLD_SCALE: String(factor), CACHE_MB: '0' })
  await timeOnce(`${server.url}${W1}`)
  const times: number[] = []
  for (let i = 0; i < 5; i++) times.push((await timeOnce(`${server.url}${W1}`)).ms)
  const p50 = times.sort((a, b) => a - b)[2]!
  if (factor === 1) base = p50
  const startup = server.startedMs
  await stop(server)
  const cachedServer = await startServer({ WORLD_SCALE: String(factor) })
  const served = await load(`${cachedServer.url}${W1}`, Math.min(5, SECONDS))
  await stop(cachedServer)
  if (factor === 1) baseServed = served.mean
  scale.push(
    `x${factor}: computed ${fmt(p50, 1)} ms (x${fmt(p50 / base, 1)}), served p50 ${ms(served.p50)} ms mean ${fmt(served.mean, 2)} ms (x${fmt(served.mean / baseServed, 1)}), start-up ${fmt(startup)} ms`,
  )
}
console.log(`scale (W1): ${scale.join('; ')} (target: x10 served at most x3)`)
