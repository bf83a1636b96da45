// npm run bench: speed of billingUsage against servers started as users run them, driven by
// autocannon (10 connections). Each workload is measured cached (the default) and computed
// (CACHE_MB=0: every answer computed again, from the engine's hourly sums), beside the limit of
// serving the same bytes from memory. Prints figures; nothing here passes or fails.
// Usage: npm run bench [-- --seconds 6]

import {
  AUTH,
  COSTS,
  fmt,
  load,
  medianMs,
  NEW_PLANS,
  ms,
  row,
  rssMb,
  startServer,
  stop,
  timeOnce,
  W1_NOW,
  WORKLOADS,
  type Load,
} from './server.js'

const SECONDS = Number(process.argv.includes('--seconds') ? process.argv[process.argv.indexOf('--seconds') + 1] : 6)
const names = Object.keys(WORKLOADS) as (keyof typeof WORKLOADS)[]

console.log(`fireworks-usage-mock bench: 10 connections, ${SECONDS} s per measure after a warm-up`)

const cached = await startServer({})
const computed = await startServer({ CACHE_MB: '0' })
console.log(`start-up to the first 200: ${fmt(cached.startedMs)} ms (target < 300)`)
const first = []
for (const name of names) first.push(`${name} ${fmt((await timeOnce(`${computed.url}${WORKLOADS[name]}`)).ms, 1)} ms`)
console.log(`first answers after start-up, nothing cached or summed yet: ${first.join(', ')}`)
console.log()

const W = [32, 9, 7, 9, 9, 7, 9, 9, 12, 9]
console.log(row(['', 'cached', '', '', 'computed', '', '', 'one at a time', 'static', ''], W))
console.log(
  row(['workload', 'req/s', 'p50 ms', 'mean ms', 'req/s', 'p50 ms', 'mean ms', 'p50 ms', 'req/s', 'bytes'], W),
)
/** One workload's row: cached and computed under load, computed one at a time, the static limit. */
const printMeasures = (label: string, c: Load, k: Load, single: number, limit: string, bytes: number) =>
  console.log(
    row(
      [
        label,
        fmt(c.rps),
        ms(c.p50),
        fmt(c.mean, 2),
        fmt(k.rps),
        ms(k.p50),
        fmt(k.mean, 2),
        fmt(single, 1),
        limit,
        bytes,
      ],
      W,
    ),
  )
const labels = {
  W1: 'W1 dashboard (LA, model_name)',
  W2: 'W2 API-key breakdown (filtered)',
  W3: 'W3 stress (six dimensions)',
}
for (const name of names) {
  const path = WORKLOADS[name]
  const bytes = (await timeOnce(`${cached.url}${path}`)).bytes
  const c = await load(`${cached.url}${path}`, SECONDS)
  const k = await load(`${computed.url}${path}`, SECONDS)
  const single = await medianMs(`${computed.url}${path}`)
  const limit = await load(`${cached.url}/_bench${path}`, SECONDS)
  printMeasures(labels[name], c, k, single, fmt(limit.rps), bytes)
}
// usageCosts:query beside W1: the same engine, a POST body, DAY x MODEL over 31 days.
{
  const bytes = (await timeOnce(`${cached.url}${COSTS.url}`, AUTH, COSTS.body)).bytes
  const c = await load(`${cached.url}${COSTS.url}`, SECONDS, 10, AUTH, COSTS.body)
  const k = await load(`${computed.url}${COSTS.url}`, SECONDS, 10, AUTH, COSTS.body)
  const single = await medianMs(`${computed.url}${COSTS.url}`, 31, 30, COSTS.body)
  const w1 = await medianMs(`${computed.url}${WORKLOADS.W1}`)
  printMeasures('usageCosts:query (DAY x MODEL)', c, k, single, '-', bytes)
  console.log(
    `usageCosts:query computed one at a time against W1 computed: ${fmt(single, 1)} / ${fmt(w1, 1)} ms = ${fmt(single / w1, 2)} (target <= 1.5)`,
  )
}
// W1 ending now, with USAGE_LAG=2h/26h beside the same servers without lag: its last 24 hours
// are still arriving, summed per batch of arrivals (one a minute) instead of from the blocks.
{
  const lagCached = await startServer({ USAGE_LAG: '2h/26h' })
  const lagComputed = await startServer({ USAGE_LAG: '2h/26h', CACHE_MB: '0' })
  const bytes = (await timeOnce(`${lagCached.url}${W1_NOW}`)).bytes
  const measures: [string, Load, Load, number][] = []
  for (const [label, cachedUrl, computedUrl] of [
    ['W1 ending now, no lag', cached.url, computed.url],
    ['W1 ending now, lag 2h/26h', lagCached.url, lagComputed.url],
  ] as const) {
    const c = await load(`${cachedUrl}${W1_NOW}`, SECONDS)
    const k = await load(`${computedUrl}${W1_NOW}`, SECONDS)
    measures.push([label, c, k, await medianMs(`${computedUrl}${W1_NOW}`)])
  }
  for (const [label, c, k, single] of measures) printMeasures(label, c, k, single, '-', bytes)
  const [[, , plainK, plainSingle], [, , lagK, lagSingle]] = measures as [(typeof measures)[0], (typeof measures)[0]]
  console.log(
    `W1 ending now with lag against without, computed: one at a time ${fmt(lagSingle, 1)} / ${fmt(plainSingle, 1)} ms = ${fmt(lagSingle / plainSingle, 2)}, req/s ${fmt(plainK.rps)} / ${fmt(lagK.rps)} = ${fmt(plainK.rps / lagK.rps, 2)} (target <= 1.5)`,
  )
  await stop(lagCached)
  await stop(lagComputed)
}
console.log(
  'targets: W1 computed req/s >= Prism on the same machine (npm run bench:peers); W3 computed one at a time p50 < 10 ms',
)
console.log(
  `RSS after the run: cached ${fmt(rssMb(cached.child.pid!), 1)} MB, computed ${fmt(rssMb(computed.child.pid!), 1)} MB`,
)
await stop(cached)
await stop(computed)
console.log()

// History: the same 31-day W1 shape, 90 days vs five years after the world's start (2026-01-01).
const history: number[] = []
for (const [now, window] of [
  ['2026-04-01T00:00:00Z', 'startTime=2026-03-01T08:00:00Z&endTime=2026-04-01T07:00:00Z'],
  ['2031-01-01T00:00:00Z', 'startTime=2030-12-01T08:00:00Z&endTime=2031-01-01T08:00:00Z'],
] as const) {
  const server = await startServer({ NOW: now, CACHE_MB: '0' })
  const url = `${server.url}/v1/accounts/acme-ai/billingUsage?${window}&timezone=America/Los_Angeles&groupBy=model_name`
  await timeOnce(url)
  history.push(await medianMs(url))
  await stop(server)
}
console.log(
  `history (W1 computed, one at a time, p50): 90 days ${fmt(history[0]!, 1)} ms, 5 years ${fmt(history[1]!, 1)} ms; ratio ${fmt(history[1]! / history[0]!, 2)} (target <= 1.2)`,
)

// Scale: the world multiplied; W1 computed, one at a time (p50) and under load.
const scale: string[] = []
const newPlans: string[] = []
let base = 0
for (const factor of [1, 10, 100]) {
  const server = await startServer({ WORLD_SCALE: String(factor), CACHE_MB: '0' })
  const url = `${server.url}${WORKLOADS.W1}`
  const firstMs = (await timeOnce(url)).ms
  const p50 = await medianMs(url)
  const under = await load(url, Math.min(5, SECONDS))
  if (factor === 1) base = p50
  // W1's window with plans never asked before (each once), on this server warmed by W1.
  if (factor <= 10) {
    const times: number[] = []
    for (const plan of NEW_PLANS) times.push((await timeOnce(`${server.url}${plan}`)).ms)
    const p50New = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!
    newPlans.push(
      `x${factor} p50 ${fmt(p50New, 1)} ms (max ${fmt(times.at(-1)!, 1)}), RSS ${fmt(rssMb(server.child.pid!))} MB`,
    )
  }
  scale.push(
    `x${factor}: first ${fmt(firstMs)} ms, then p50 ${fmt(p50, 1)} ms (x${fmt(p50 / base, 2)}), ${fmt(under.rps)} req/s, start-up ${fmt(server.startedMs)} ms, RSS ${fmt(rssMb(server.child.pid!))} MB`,
  )
  await stop(server)
}
console.log(`scale (W1 computed): ${scale.join('; ')} (targets: x10 within 1.5x of x1, x100 within 3x)`)
console.log(
  `a plan never asked before (W1's window, ${NEW_PLANS.length} new plans, SUMS_MB default): ${newPlans.join('; ')} (targets: x1 <= 10 ms, x10 within 2x of x1)`,
)
