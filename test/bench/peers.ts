// npm run bench:peers: this mock beside another mock on the same document and the same machine,
// in one run: Prism 5.14.2 (`prism mock openapi/fireworks-usage.yaml`, fetched on demand with
// npm exec, not a dependency of this project) answers W1 with the document's example; this mock
// answers it from its cache and computed every time (CACHE_MB=0). Prints figures only.
// Usage: npm run bench:peers [-- --seconds 6]

import { spawn } from 'node:child_process'
import { fmt, load, ms, row, startServer, stop, timeOnce, WORKLOADS } from './server.js'

const SECONDS = Number(process.argv.includes('--seconds') ? process.argv[process.argv.indexOf('--seconds') + 1] : 6)
const PRISM = '@stoplight/prism-cli@5.14.2'
const PORT = 4010 + Math.floor(Math.random() * 1000)

console.log(`W1 on this machine: autocannon, 10 connections, ${SECONDS} s after a warm-up`)
console.log(`starting ${PRISM} (npm exec, downloaded on first use)...`)
const prism = spawn(
  'npm',
  [
    'exec',
    '--yes',
    `--package=${PRISM}`,
    '--',
    'prism',
    'mock',
    'openapi/fireworks-usage.yaml',
    '-h',
    '127.0.0.1',
    '-p',
    String(PORT),
  ],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  },
)
let prismOut = ''
prism.stdout.on('data', d => (prismOut += String(d)))
prism.stderr.on('data', d => (prismOut += String(d)))
const prismUrl = `http://127.0.0.1:${PORT}`
const deadline = Date.now() + 300_000
while (
  (
    await fetch(`${prismUrl}${WORKLOADS.W1}`, { headers: { authorization: 'Bearer fw_mockAcmeProdEng01' } }).catch(
      () => null,
    )
  )?.status !== 200
) {
  if (Date.now() > deadline || prism.exitCode !== null) throw new Error(`Prism did not start: ${prismOut.slice(-2000)}`)
  await new Promise(r => setTimeout(r, 250))
}

const cached = await startServer({})
const computed = await startServer({ CACHE_MB: '0' })
const W = [44, 9, 8, 9, 10]
console.log(row(['server', 'req/s', 'p50 ms', 'mean ms', 'bytes'], W))
for (const [label, base] of [
  ['this mock, answer cache on', cached.url],
  [`Prism ${PRISM.split('@').pop()} mock (static example)`, prismUrl],
  ['this mock, CACHE_MB=0 (computed every time)', computed.url],
] as const) {
  const url = `${base}${WORKLOADS.W1}`
  const bytes = (await timeOnce(url)).bytes
  const r = await load(url, SECONDS)
  console.log(row([label, fmt(r.rps), ms(r.p50), fmt(r.mean, 2), bytes], W))
}
await stop(cached)
await stop(computed)
process.kill(-prism.pid!, 'SIGTERM')
