// The real entry point, as a process: start-up, the banner, exit codes, shutdown on SIGTERM.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request, type IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'

const MAIN = 'dist/server/main.js'
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  })

t.test('--help prints the settings and exits 0', async t => {
  const r = run(['--help'])
  t.equal(r.status, 0)
  t.match(r.stdout, /Usage: fireworks-usage-mock/)
  t.match(r.stdout, /FIXTURES/)
})

t.test('a bad setting stops start-up with one line naming it and exit code 2', async t => {
  const r = run(['--port', 'abc'])
  t.equal(r.status, 2)
  t.equal(r.stderr, 'fireworks-usage-mock: invalid --port "abc": must be an integer from 0 to 65535\n')
  const e = run([], { SEED: 'x' })
  t.equal(e.status, 2)
  t.equal(e.stderr, 'fireworks-usage-mock: invalid SEED "x": must be an integer from 0 to 4294967295\n')
  // well-formed, but no address to listen on: found only when listening
  const h = run(['--host', '999.1.1.1', '--port', '0'], { LOG_LEVEL: 'silent' })
  t.equal(h.status, 2)
  t.match(
    h.stderr,
    /^fireworks-usage-mock: cannot listen on --host 999\.1\.1\.1 --port 0: getaddrinfo (ENOTFOUND|EAI_AGAIN) 999\.1\.1\.1\n$/,
  )
})

t.test('a bad fixture file stops start-up with file:line: field: problem and exit code 2', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'fum-'))
  writeFileSync(
    join(dir, 'bad.ndjson'),
    '{"account": "tiny", "keys": []}\n{"kind": "serverless", "account": "tiny", "time": "2026-05-01T00:00:00Z", "promptTokens": -1}\n',
  )
  const r = run([], { FIXTURES: dir })
  t.equal(r.status, 2)
  t.equal(
    r.stderr,
    `fireworks-usage-mock: ${join(dir, 'bad.ndjson')}:2: promptTokens: must be a non-negative integer, got -1\n`,
  )
  const missing = run(['--fixtures', join(dir, 'nope')])
  t.equal(missing.status, 2)
  t.equal(
    missing.stderr,
    `fireworks-usage-mock: invalid --fixtures "${join(dir, 'nope')}": no such folder: ${join(dir, 'nope')}\n`,
  )
  // a relative folder is resolved against the working directory, which the message shows
  const relative = run([], { FIXTURES: 'fixtures/exmaples' })
  t.equal(relative.status, 2)
  t.equal(
    relative.stderr,
    `fireworks-usage-mock: invalid FIXTURES "fixtures/exmaples": no such folder: ${join(process.cwd(), 'fixtures/exmaples')}\n`,
  )
})

t.test('the server starts, prints keys, serves health, and exits 0 on SIGTERM', async t => {
  const started = Date.now()
  // the banner of keys is for a person: printed with readable logs (JSON logs get one JSON line)
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty', NOW: '2026-06-01T00:00:00Z' },
  })
  let out = ''
  child.stdout.on('data', d => (out += d))
  const url = await new Promise<string>((resolve, reject) => {
    child.on('exit', code => reject(new Error(`exited ${code} before the banner: ${out}`)))
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve(m[1]!)
    })
  })
  const health = await fetch(`${url}/_mock/health`)
  t.comment(`start-up to first 200: ${Date.now() - started} ms`)
  t.equal(health.status, 200)
  // the child runs on this very runtime (process.execPath), so it reports this runtime's versions
  t.same(await health.json(), {
    status: 'ok',
    version: '0.1.0',
    seed: 20260101,
    now: '2026-06-01T00:00:00Z',
    runtime: { node: process.versions.node, tz: process.versions.tz },
  })
  t.match(process.versions.tz, /^20\d\d[a-z]$/, 'a tz database version like 2026c')
  t.match(out, /acme-ai\s+key_AcmeProdEng00001\s+prod-eng\s+fw_mockAcmeProdEng01/)
  t.match(out, /listening on http:\/\/127\.0\.0\.1:\d+ \(seed 20260101, now 2026-06-01T00:00:00Z, pinned by NOW\)/)
  const usage = await fetch(
    `${url}/v1/accounts/acme-ai/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z`,
    {
      headers: { authorization: 'Bearer fw_mockAcmeProdEng01' },
    },
  )
  t.equal(usage.status, 200)
  t.ok((await usage.json()).serverlessCosts.length > 5)
  const code = await new Promise(resolve => {
    child.on('exit', resolve)
    child.kill('SIGTERM')
  })
  t.equal(code, 0)
})

t.test('SIGTERM: the in-flight request completes, new connections are refused, exit 0', async t => {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', NOW: '2026-06-01T00:00:00Z' },
  })
  let out = ''
  child.stdout.on('data', d => (out += d))
  const url = await new Promise<string>(resolve => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve(m[1]!)
    })
  })
  const exited = new Promise<number | null>(resolve => child.on('exit', resolve))
  // The in-flight request is held by this test: its headers are sent, its body only once the
  // refusal is seen. The server's "100 Continue" says it has the request (Node sends it when it
  // hands the request to the app).
  const inFlight = request(`${url}/_mock/clock`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', expect: '100-continue' },
    agent: false,
  })
  const answered = new Promise<IncomingMessage>(resolve => inFlight.on('response', resolve))
  inFlight.flushHeaders()
  await once(inFlight, 'continue')
  const closing = new Promise<void>(resolve =>
    child.stdout.on('data', () => out.includes('closing: finishing in-flight requests') && resolve()),
  )
  child.kill('SIGTERM')
  await closing
  // The listener closes right after that line. A connection made just before is still answered
  // (503 once closing) or reset (closed before its request was read: still in the accept queue,
  // or idle); so each try waits for the one before, until one is refused.
  let refused: string
  do
    refused = await fetch(`${url}/_mock/health`).then(
      r => `answered ${r.status}`,
      (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
    )
  while (refused.startsWith('answered') || refused === 'ECONNRESET')
  t.equal(refused, 'ECONNREFUSED', 'a new connection after SIGTERM is refused')
  inFlight.end(JSON.stringify({ now: '2026-06-02T00:00:00Z' }))
  const res = await answered
  let body = ''
  for await (const chunk of res) body += chunk
  t.equal(res.statusCode, 200, 'the in-flight request completed')
  t.same(JSON.parse(body), { now: '2026-06-02T00:00:00Z', source: 'runtime' })
  // Past its 10 s shutdown timeout the server exits 1.
  t.equal(await exited, 0, 'exit code 0, within the shutdown timeout')
})

t.test('on the wall clock the banner prints the instant; logs to a pipe are JSON lines, one per request', async t => {
  const before = Date.now()
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info' } })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.on('data', d => (out += d))
  const url = await new Promise<string>(resolve => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve(m[1]!)
    })
  })
  const after = Date.now()
  const printed = /now (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ), the wall clock\)/.exec(out)?.[1]
  // The banner's instant is taken between the spawn and its reading, in whole seconds.
  const at = Date.parse(printed ?? '')
  t.ok(at >= Math.floor(before / 1000) * 1000 && at <= after, `the banner's now (${printed}) is the current instant`)
  await fetch(`${url}/_mock/health`)
  await fetch(`${url}/v1/accounts/acme-ai/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z`, {
    headers: { authorization: 'Bearer fw_mockAcmeProdEng01' },
  })
  // Every line the server writes is in once its output ends (it exits on SIGTERM).
  child.kill('SIGTERM')
  await once(child.stdout, 'end')
  const logLines = out
    .split('\n')
    .filter(l => l.startsWith('{'))
    .map(l => JSON.parse(l) as { msg: string; url?: string })
  t.ok(
    logLines.some(l => l.msg.startsWith(`fireworks-usage-mock 0.1.0 listening on ${url}`)),
    'the start-up line is a JSON line too',
  )
  t.same(
    logLines.filter(l => l.url?.startsWith('/')).map(l => l.msg.replace(/ [\d.]+ ms$/, ' N ms')),
    ['GET /v1/accounts/acme-ai/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z 200 N ms'],
    'one JSON line for the API request; the health check is not logged at info',
  )
})
