// A server process for the benches, started the way users run it (compiled JS, LOG_LEVEL=warn,
// 127.0.0.1), and the measurements every bench takes of it.

import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'

export const NOW = '2026-11-25T00:00:00Z'
export const AUTH = { authorization: 'Bearer fw_mockAcmeProdEng01' }
const BASE = '/v1/accounts/acme-ai/billingUsage'
const OCTOBER = 'startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z'
export const WORKLOADS = {
  W1: `${BASE}?startTime=2026-10-01T07:00:00Z&endTime=2026-11-01T07:00:00Z&timezone=America/Los_Angeles&groupBy=model_name`,
  W2: `${BASE}?${OCTOBER}&usageType=SERVERLESS&groupBy=api_key_id&groupBy=api_key_name&groupBy=model_name&filter[api_key_name][values]=prod-eng&filter[api_key_name][values]=staging-key`,
  W3: `${BASE}?${OCTOBER}&usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_id&groupBy=api_key_name&groupBy=annotations.team&groupBy=annotations.project&groupBy=annotations.environment`,
} as const
/**
 * W1's shape, 31 days of Los Angeles days by model, ending at now (NOW): with a usage lag, its
 * last day and a bit are still arriving (npm run bench compares USAGE_LAG=2h/26h with none).
 */
export const W1_NOW = `${BASE}?startTime=2026-10-25T07:00:00Z&endTime=2026-11-25T00:00:00Z&timezone=America/Los_Angeles&groupBy=model_name`
/**
 * Twelve questions of W1's window (31 Los Angeles days) that differ from W1 and from each other
 * in grouping or filters, each asked once: what a contract suite mostly asks. Their groupings are
 * vocabularies (teams, projects, environments, models, accelerators, job types), not keys or
 * deployments, whose rows multiply with WORLD_SCALE: so that x1 and x10 compare what the engine
 * does for a new plan, not the size of the answer.
 */
const W1_WINDOW = `${BASE}?startTime=2026-10-01T07:00:00Z&endTime=2026-11-01T07:00:00Z&timezone=America/Los_Angeles`
export const NEW_PLANS = [
  'groupBy=annotations.team',
  'groupBy=annotations.project',
  'groupBy=annotations.environment',
  'groupBy=annotations.team&groupBy=annotations.environment',
  'groupBy=annotations.team&groupBy=model_name',
  'groupBy=accelerator_type',
  'groupBy=job_type&groupBy=base_model',
  'groupBy=model_name&filter[api_key_name][values]=prod-eng',
  'groupBy=model_name&filter[annotations.environment][values]=prod',
  'groupBy=annotations.project&filter[model_name][values]=accounts/fireworks/models/kimi-k2p6',
  'usageType=SERVERLESS&groupBy=annotations.environment&groupBy=model_name',
  'groupBy=base_model&filter[annotations.team][values]=research',
].map(q => `${W1_WINDOW}&${q}`)
/** usageCosts:query as cost tools ask it: 31 days of the largest account, DAY x MODEL, one page. */
export const COSTS = {
  url: '/v1/accounts/acme-ai/usageCosts:query',
  body: JSON.stringify({
    startTime: '2026-10-01T00:00:00Z',
    endTime: '2026-11-01T00:00:00Z',
    scope: 'ACCOUNT',
    groupBy: ['DAY', 'MODEL'],
    pageSize: 1000,
  }),
}

export interface Server {
  url: string
  child: ChildProcess
  /** From spawn to the first 200 of /_mock/health. */
  startedMs: number
}

export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const started = performance.now()
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'warn', NOW, BENCH_ROUTES: 'true', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', d => {
      out += String(d)
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.on('exit', code => reject(new Error(`server exited ${code}: ${out}`)))
  })
  while ((await fetch(`${url}/_mock/health`).catch(() => null))?.status !== 200)
    await new Promise(r => setTimeout(r, 5))
  return { url, child, startedMs: performance.now() - started }
}

export async function stop(server: Server): Promise<void> {
  await new Promise(resolve => {
    server.child.on('exit', resolve)
    server.child.kill('SIGTERM')
  })
}

/** The client of timeOnce: one kept-alive connection per server. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

/**
 * One request, timed by the client from sending to the last byte: latency and body size. The
 * client is node:http on a kept-alive connection, counting the bytes and keeping none: fetch()
 * spent 3-6 ms of its own assembling W3's 2.5 MB body, which is no time of the server's.
 */
export async function timeOnce(
  url: string,
  headers: Record<string, string> = AUTH,
  body?: string,
): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    http
      .request(url, { agent, headers, method: body === undefined ? 'GET' : 'POST' }, res => {
        let bytes = 0
        res.on('data', (chunk: Buffer) => (bytes += chunk.length))
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`))
          else resolve({ ms: performance.now() - t0, bytes })
        })
      })
      .on('error', reject)
      .end(body)
  })
}
/** The median of `runs` requests (a POST with `body`), one at a time, after `warmup` of them. */
export async function medianMs(url: string, runs = 31, warmup = 30, body?: string): Promise<number> {
  // Unmeasured first: on a server just started, the first requests run before V8 has optimized
  // the code (p50 of W1 5.7 ms cold against 1.2 ms warm), which is no steady state.
  for (let i = 0; i < warmup; i++) await timeOnce(url, AUTH, body)
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push((await timeOnce(url, AUTH, body)).ms)
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!
}

export interface Load {
  rps: number
  p50: number
  p99: number
  mean: number
}

/** autocannon after a short warm-up; its p50 counts whole milliseconds, so the mean is kept too. */
export async function load(
  url: string,
  seconds: number,
  connections = 10,
  headers: Record<string, string> = AUTH,
  body?: string,
): Promise<Load> {
  const request = body === undefined ? {} : { method: 'POST' as const, body }
  await autocannon({ url, connections, duration: Math.min(2, seconds), headers, ...request })
  const r = await autocannon({ url, connections, duration: seconds, headers, ...request })
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`)
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average }
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m?.[1]) / 1024
}

export const fmt = (n: number, digits = 0) => n.toFixed(digits)
export const ms = (n: number) => (n === 0 ? '<1' : fmt(n, 1))
export const row = (cells: (string | number)[], widths: number[]) =>
  cells
    .map((c, i) => String(c).padEnd(widths[i]!))
    .join(' ')
    .trimEnd()
