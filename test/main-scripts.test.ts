// The entry point as scripts and new users drive it: started by npx in the background and
// stopped again, started on a free port by a test suite that must learn the port, its stdout
// read by a machine, its banner and --help read by a person. Every wait is on an event (a file
// appearing, a line printed, a process exiting, a connection refused), never on a delay.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import t from 'tap'
import { installInto } from './user-project.js'

const MAIN = resolve('dist/server/main.js')
const NOW = '2026-06-01T00:00:00Z'
const AUTH = { authorization: 'Bearer fw_mockAcmeProdEng01' }
const DAY = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'

interface Ready {
  url: string
  port: number
  pid: number
}

interface Started {
  child: ChildProcess
  /** Everything the process printed on stdout so far. */
  stdout: () => string
  /** Resolves with the exit code once the process has exited and its output is read. */
  closed: Promise<number | null>
  /** Resolves once the process has exited (its output may still be held open by a child it left). */
  exited: Promise<number | null>
}

function start(command: string, args: string[], env: Record<string, string> = {}, cwd?: string): Started {
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } })
  let out = ''
  child.stdout.on('data', d => (out += d))
  const closed = new Promise<number | null>(resolve => child.on('close', resolve))
  const exited = new Promise<number | null>(resolve => child.on('exit', resolve))
  return { child, stdout: () => out, closed, exited }
}

/** The ready file once it exists: watched in its folder, so that the rename that writes it wakes us. */
function readyFile(path: string, started: Started): Promise<Ready> {
  return new Promise((resolve, reject) => {
    let settled = false
    const settle = (err?: Error) => {
      if (settled) return
      settled = true
      watcher.close()
      if (err) reject(err)
      else resolve(JSON.parse(readFileSync(path, 'utf8')) as Ready)
    }
    const watcher = watch(dirname(path), () => existsSync(path) && settle())
    void started.exited.then(code => settle(new Error(`exited ${code} before writing ${path}: ${started.stdout()}`)))
    if (existsSync(path)) settle()
  })
}

/** Resolves once stdout holds a match of `pattern`. */
function printed(started: Started, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(started.stdout())
      if (m) {
        started.child.stdout!.off('data', check)
        resolve(m)
      }
    }
    started.child.stdout!.on('data', check)
    void started.exited.then(code =>
      reject(new Error(`exited ${code} before printing ${pattern}: ${started.stdout()}`)),
    )
    check()
  })
}

/** What a new TCP connection to the port meets: 'connected', or the error code (ECONNREFUSED). */
function connectTo(port: number): Promise<string> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message))
  })
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const made: string[] = []
t.teardown(() => made.forEach(dir => rmSync(dir, { recursive: true, force: true })))
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fum-scripts-'))
  made.push(dir)
  return dir
}

function userProject(): string {
  const dir = tmp()
  installInto(dir)
  return dir
}

t.test('the README recipe: npx ... & in the background, then POST /_mock/shutdown ends the server itself', async t => {
  const dir = userProject()
  const path = join(dir, 'ready.json')
  const npx = start('npx', ['fireworks-usage-mock', '--port', '0', '--auth', 'any', '--ready-file', path], {}, dir)
  t.teardown(() => npx.child.kill('SIGKILL'))
  const ready = await readyFile(path, npx)
  t.not(ready.pid, npx.child.pid, 'npx runs the server in a process of its own')
  const health = await fetch(`${ready.url}/_mock/health`)
  t.equal(health.status, 200)
  const stop = await fetch(`${ready.url}/_mock/shutdown`, { method: 'POST' })
  t.same([stop.status, await stop.json()], [200, { status: 'shutting down' }])
  t.equal(await connectTo(ready.port), 'ECONNREFUSED', 'the port is free as soon as it answers')
  t.equal(await npx.closed, 0, 'npx exits 0, because the server did')
  t.notOk(alive(ready.pid), 'no server left behind')
  t.notOk(existsSync(path), 'the ready file is removed at exit')
})

t.test('why: `kill $!` of npx leaves the server running and holding the port; the shutdown still stops it', async t => {
  const dir = userProject()
  const path = join(dir, 'ready.json')
  const npx = start(
    'npx',
    ['fireworks-usage-mock', '--port', '0', '--ready-file', path, '--log-level', 'silent'],
    {},
    dir,
  )
  const ready = await readyFile(path, npx)
  t.teardown(() => alive(ready.pid) && process.kill(ready.pid, 'SIGKILL'))
  npx.child.kill('SIGTERM')
  await npx.exited
  // npm passes the signal to the shell it runs the bin under (sh -c), which ends without passing it on
  t.equal((await fetch(`${ready.url}/_mock/health`)).status, 200, 'the orphaned server still answers')
  t.equal((await fetch(`${ready.url}/_mock/shutdown`, { method: 'POST' })).status, 200)
  t.equal(await connectTo(ready.port), 'ECONNREFUSED')
})

t.test('--port 0 --ready-file: a suite learns the port from the file; LOG_LEVEL=silent prints nothing', async t => {
  const path = join(tmp(), 'ready.json')
  const server = start(process.execPath, [MAIN, '--port', '0', '--ready-file', path], { LOG_LEVEL: 'silent', NOW })
  t.teardown(() => server.child.kill('SIGKILL'))
  const ready = await readyFile(path, server)
  t.equal(ready.pid, server.child.pid)
  t.ok(ready.port > 0)
  t.equal(ready.url, `http://127.0.0.1:${ready.port}`)
  t.same(Object.keys(ready), ['url', 'port', 'pid'])
  t.equal((await fetch(`${ready.url}/v1/accounts/acme-ai/billingUsage?${DAY}`, { headers: AUTH })).status, 200)
  server.child.kill('SIGTERM')
  t.equal(await server.closed, 0)
  t.equal(server.stdout(), '', 'nothing on stdout: no banner, no request lines')
  t.notOk(existsSync(path), 'removed at exit, so that the next run does not find it stale')
  t.equal(await connectTo(ready.port), 'ECONNREFUSED')
})

t.test('a ready file that cannot be written stops start-up with one line and exit code 2', async t => {
  const path = join(tmp(), 'no-such-folder', 'ready.json')
  const r = spawnSync(process.execPath, [MAIN, '--port', '0', '--ready-file', path], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 20_000,
  })
  t.equal(r.status, 2)
  t.match(r.stderr, new RegExp(`^fireworks-usage-mock: cannot write --ready-file ${path}: ENOENT[^\\n]*\\n$`))
})

t.test('LOG_FORMAT=json: every line of stdout is JSON, the banner one line with the URL and port', async t => {
  const path = join(tmp(), 'ready.json')
  const server = start(process.execPath, [MAIN, '--port', '0', '--ready-file', path], {
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    NOW,
  })
  t.teardown(() => server.child.kill('SIGKILL'))
  const ready = await readyFile(path, server)
  await fetch(`${ready.url}/v1/accounts/acme-ai/billingUsage?${DAY}`, { headers: AUTH })
  await fetch(`${ready.url}/_mock/shutdown`, { method: 'POST' })
  t.equal(await server.closed, 0)
  const lines = server
    .stdout()
    .trimEnd()
    .split('\n')
    .map(line => {
      try {
        return JSON.parse(line) as Record<string, unknown>
      } catch {
        return { notJson: line }
      }
    })
  t.same(
    lines.filter(l => 'notJson' in l),
    [],
    'no line that is not JSON',
  )
  t.match(lines[0], {
    level: 30,
    msg: `fireworks-usage-mock 0.1.0 listening on ${ready.url} (seed 20260101, now ${NOW}, pinned by NOW)`,
    url: ready.url,
    port: ready.port,
    version: '0.1.0',
    seed: 20260101,
    now: NOW,
  })
  t.same(
    lines.filter(l => String(l.msg).includes('listening')).length,
    1,
    "said once: Fastify's own 'Server listening at' is not repeated",
  )
  // (in any order: lines logged a moment apart were seen on the pipe in either order, cause not found)
  t.same(
    lines
      .slice(1)
      .map(l => String(l.msg).replace(/ [\d.]+ ms$/, ' N ms'))
      .sort(),
    [
      `GET /v1/accounts/acme-ai/billingUsage?${DAY} 200 N ms`,
      'POST /_mock/shutdown 200 N ms',
      'closing: finishing in-flight requests',
    ].sort(),
  )
  t.notMatch(server.stdout(), /fw_mock/, 'no secret in the log, the banner line included')
})

t.test('with ADMIN_TOKEN, the banner says which header the key list wants, and the 401 names it', async t => {
  const server = start(process.execPath, [MAIN, '--port', '0'], {
    LOG_FORMAT: 'pretty',
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: 's3cret',
    NOW,
  })
  t.teardown(() => server.child.kill('SIGKILL'))
  const [, listUrl] = await printed(
    server,
    /acme-ai +\(\+57 more keys: GET (\S+) with the header "x-mock-admin-token: <ADMIN_TOKEN>"\)/,
  )
  const [, stopUrl] = await printed(server, /^Stop: Ctrl-C or SIGTERM, or POST (\S+)$/m)
  const denied = await fetch(listUrl!)
  t.same(
    [denied.status, (await denied.json()).message],
    [401, "this server's /_mock/ controls require its ADMIN_TOKEN in the x-mock-admin-token header"],
  )
  const listed = await fetch(listUrl!, { headers: { 'x-mock-admin-token': 's3cret' } })
  t.equal(listed.status, 200)
  const stop = await fetch(stopUrl!, { method: 'POST', headers: { 'x-mock-admin-token': 's3cret' } })
  t.equal(stop.status, 200, 'the shutdown is a control too, behind the token')
  t.equal(await server.closed, 0)
})

t.test('with ADMIN=off, the banner points to no control that is not there', async t => {
  const server = start(process.execPath, [MAIN, '--port', '0'], { LOG_FORMAT: 'pretty', ADMIN: 'off', NOW })
  t.teardown(() => server.child.kill('SIGKILL'))
  await printed(server, /^Stop: .*$/m)
  t.match(server.stdout(), /acme-ai +\(\+57 more keys, not listed: ADMIN=off removes GET \/_mock\/accounts\)/)
  t.match(server.stdout(), /^Stop: Ctrl-C or SIGTERM$/m)
  server.child.kill('SIGTERM')
  t.equal(await server.closed, 0)
})

t.test('--help names the conformance command; conformance --help keeps its columns apart', async t => {
  const help = spawnSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8', timeout: 20_000 })
  t.equal(help.status, 0)
  t.match(help.stdout, /^ {7}fireworks-usage-mock conformance --account <id> \[options\]$/m)
  t.match(help.stdout, /`fireworks-usage-mock conformance --help` lists its options/)
  const probe = spawnSync(process.execPath, [MAIN, 'conformance', '--help'], { encoding: 'utf8', timeout: 20_000 })
  t.equal(probe.status, 0)
  const options = probe.stdout.split('\n').filter(l => l.startsWith('  --'))
  t.ok(options.length >= 10, `${options.length} options`)
  t.same(
    options.filter(l => !/^ {2}--[a-z-]+( <value>)? {2,}\S/.test(l)),
    [],
    'a flag and its description are at least two spaces apart',
  )
  t.match(probe.stdout, /^ {2}--max-requests <value> {2,}at most this many requests/m)
})
