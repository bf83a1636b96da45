// The conformance command, as a user runs it, against targets that misbehave: one that drops the
// timezone parameter, one that cuts 200 bodies short, one that cuts connections, one whose answer
// to a probe never comes; and targets that cannot be probed at all (refused connections, a
// redirect or an HTML page for the first request, nothing answered after it). Each gives a table
// with findings that name their rule and exit code 1, or one sentence and exit code 2; never a
// stack trace. Also PST, which the probe asks for, against a stub that refuses it and one that
// does not.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { runConformanceCli, type CliIo } from '../../server/conformance/cli.js'
import { startMockServer, type MockServer } from '../../server/index.js'
import { PST_PROBE, startDriftProxy, type Drift } from './drift-proxy.js'
import { startMutatingProxy, type Kind } from './mutating-proxy.js'

const NOW = '2026-11-25T00:00:00Z'
const KEY = 'fw_mockAcmeProdEng01'
const DISCOVERY = 'GET /v1/accounts/acme-ai/billingUsage?startTime=2026-10-25T00:00:00Z&endTime=2026-11-24T00:00:00Z'

interface Run {
  code: number
  stdout: string
  stderr: string
  files: Map<string, string>
}

async function cli(target: string, extra: string[] = [], client?: CliIo['client']): Promise<Run> {
  const run: Run = { code: -1, stdout: '', stderr: '', files: new Map() }
  run.code = await runConformanceCli(
    ['--target', target, '--account', 'acme-ai', '--now', NOW, '--interval-ms', '0', ...extra],
    {
      stdout: text => (run.stdout += text),
      stderr: text => (run.stderr += text),
      env: { FIREWORKS_API_KEY: KEY },
      writeFile: (path, text) => run.files.set(path, text),
      client,
    },
  )
  return run
}

/** Nothing in the output looks like a stack trace. */
function noStackTrace(t: Test, run: Run): void {
  for (const text of [run.stdout, run.stderr, ...run.files.values()]) {
    t.notMatch(text, /^\s+at \S/m, 'no stack trace')
    t.notMatch(text, /Cannot read properties/, 'no crash message')
  }
}

/** The rows of the table: probe id -> result. */
const table = (stdout: string) =>
  Object.fromEntries(
    stdout
      .split('\n')
      .filter(line => /^[a-z]+\.[a-z0-9-]+ +\[/.test(line))
      .map(line => [line.split(/\s+/)[0], line.split(/\s+/)[2]]),
  )
/** The finding of a probe, as the table's notes print it. */
const note = (stdout: string, id: string) => stdout.split('\n').find(line => line.startsWith(`${id} (`))

let mock: MockServer
t.before(async () => {
  mock = await startMockServer({ now: NOW })
})
t.teardown(() => mock.close())

async function through(t: Test, drift: Drift): Promise<string> {
  const proxy = await startDriftProxy(mock.url, drift)
  t.teardown(() => proxy.close())
  return proxy.url
}

t.test('a target that drops the timezone parameter: a table, the zone rules differ, exit code 1', async t => {
  const target = await through(t, { request: url => url.searchParams.delete('timezone') })
  const run = await cli(target, ['--report', 'report.md', '--junit', 'report.xml'])
  noStackTrace(t, run)
  t.equal(run.code, 1)
  const results = table(run.stdout)
  t.equal(Object.keys(results).length, 43, 'the whole table')
  t.same(
    Object.keys(results).filter(id => results[id] === 'differs'),
    ['errors.unknown-timezone', PST_PROBE, 'buckets.los-angeles-dst', 'buckets.kathmandu', 'buckets.kiritimati'],
  )
  t.match(
    note(run.stdout, 'errors.unknown-timezone'),
    /^errors\.unknown-timezone \(differs\): HTTP status: expected 400; got 200 \{"serverlessCosts":\[/,
  )
  t.match(
    note(run.stdout, 'buckets.kathmandu'),
    /^buckets\.kathmandu \(differs\): every row is one local day of Asia\/Kathmandu: expected 2026-11-20 2026-11-20T06:00:00Z\.\.2026-11-20T18:15:00Z \(12\.25 h\);.* got not a local day: 2026-11-20T06:00:00Z\.\.2026-11-21T00:00:00Z;/,
  )
  t.match(run.files.get('report.md'), /### `errors.unknown-timezone`: differs/, 'the Markdown report is written')
  t.match(run.files.get('report.xml'), /<failure message="HTTP status: expected 400; got 200 /, 'and the JUnit report')
})

t.test('a target that cuts some 200 bodies short: the probes that read them differ, naming it', async t => {
  const target = await through(t, {
    response: (url, status, body) => {
      const text = JSON.stringify(body)
      // Half the body, with a Content-Length to match: the answers in Kathmandu, and the 31-day window.
      const cut =
        url.searchParams.get('timezone') === 'Asia/Kathmandu' ||
        url.searchParams.get('startTime') === '2026-10-24T00:00:00Z'
      return { status, body: cut ? text.slice(0, text.length >> 1) : text }
    },
  })
  const run = await cli(target, ['--report', 'report.md'])
  noStackTrace(t, run)
  t.equal(run.code, 1)
  const results = table(run.stdout)
  t.equal(Object.keys(results).length, 43, 'the whole table')
  t.same(
    Object.keys(results).filter(id => results[id] === 'differs'),
    ['buckets.kathmandu', 'windows.exactly-31-days', 'additivity.time-zones', 'shape.schema'],
  )
  t.match(
    note(run.stdout, 'windows.exactly-31-days'),
    /^windows\.exactly-31-days \(differs\): the answer matches openapi\/fireworks-usage\.yaml: expected the body the document describes for billingUsage; got not JSON: "\{"serverlessCosts":\[\{"startTime":"[^"]*","endTime".{0,40}\.\.\." in GET \/v1\/accounts\/acme-ai\/billingUsage\?startTime=2026-10-24T00:00:00Z&endTime=2026-11-24T00:00:00Z$/,
  )
  t.match(
    note(run.stdout, 'shape.schema'),
    /^shape\.schema \(differs\): fields and types: expected as the document describes; got GET .*: not JSON: /,
  )
  t.match(run.files.get('report.md'), /### `buckets.kathmandu`: differs/)
})

/** A proxy that mutates the requests `which` selects (by their 0-based number) with `kind`. */
async function mutating(t: Test, kind: Kind, which: (n: number) => boolean, onStall = () => {}) {
  const proxy = await startMutatingProxy(mock.url, {
    cache: new Map(),
    random: () => 0.5,
    choose: n => (which(n) ? kind : null),
    onStall,
  })
  t.teardown(() => proxy.close())
  return proxy
}

t.test('connections cut halfway through a body: findings that say so, exit code 1', async t => {
  // Request 12 is buckets.utc's (after the discovery and 11 error and auth probes).
  const proxy = await mutating(t, 'cut', n => n === 12)
  const run = await cli(proxy.url)
  noStackTrace(t, run)
  t.equal(run.code, 1)
  t.same(
    proxy.mutations.map(m => m.request.split('?')[1]),
    ['startTime=2026-11-20T06:00:00Z&endTime=2026-11-23T06:00:00Z&timezone=UTC'],
  )
  t.match(
    note(run.stdout, 'buckets.utc'),
    /^buckets\.utc \(differs\): the request is answered: expected a complete answer; got the answer \(status 200\) was cut short: the connection ended before the body was complete \(\S+\)$/,
  )
  // The additivity probes ask the same request: not again, and they differ for the same reason.
  t.match(note(run.stdout, 'additivity.split-window'), /the request is answered: .* was cut short/)
  t.equal(proxy.requests.filter(r => r.endsWith('endTime=2026-11-23T06:00:00Z&timezone=UTC')).length, 1)
})

t.test("an answer that never comes: that probe's finding is the timeout (injected, not waited)", async t => {
  const controllers: AbortController[] = []
  // Request 1 is errors.missing-start's.
  const proxy = await mutating(
    t,
    'stall',
    n => n === 1,
    () => controllers.at(-1)?.abort(),
  )
  const run = await cli(proxy.url, ['--json'], {
    timeoutSignal: () => {
      const controller = new AbortController()
      controllers.push(controller)
      return controller.signal
    },
  })
  noStackTrace(t, run)
  t.equal(run.code, 1)
  const probes = (JSON.parse(run.stdout) as { probes: { id: string; result: string; summary: string }[] }).probes
  const missingStart = probes.find(p => p.id === 'errors.missing-start')
  t.match(missingStart, {
    result: 'differs',
    summary:
      /^the request is answered: expected a complete answer; got (no answer within 60 s|the answer \(status 400\) did not finish within 60 s)$/,
  })
})

/** A tiny target: `handler` answers each request, in the order they come. */
async function stub(t: Test, handler: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  let n = 0
  const server = createServer((req, res) => handler(req, res, n++))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => server.close(() => resolve()).closeAllConnections()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const EMPTY_USAGE = JSON.stringify({ serverlessCosts: [], dedicatedCosts: [], trainingCosts: [] })
const json = (res: ServerResponse, status: number, body: string) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(body)

/** Exit code 2 with one sentence after the "Probing" line, and nothing on stdout. */
function cannotProbe(t: Test, run: Run, sentence: string): void {
  noStackTrace(t, run)
  t.equal(run.code, 2)
  t.equal(run.stdout, '')
  const lines = run.stderr.split('\n')
  t.match(lines[0], /^Probing /)
  t.equal(lines[1], `fireworks-usage-mock conformance: cannot probe: ${sentence}`)
  t.equal(lines.length, 3, 'one sentence, and the line break that ends it')
}

t.test('targets that cannot be probed at all: exit code 2, one sentence', async t => {
  const closed = createServer()
  await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as AddressInfo).port
  await new Promise(resolve => closed.close(resolve))
  cannotProbe(t, await cli(`http://127.0.0.1:${port}`), `no answer from the target: ECONNREFUSED to ${DISCOVERY}`)

  const redirecting = await stub(t, (_, res) => res.writeHead(302, { location: 'https://login.example.com/' }).end())
  cannotProbe(
    t,
    await cli(redirecting),
    `the target answered 302, a redirect to "https://login.example.com/" (not followed) to ${DISCOVERY}`,
  )

  const gateway = await stub(t, (_, res) =>
    res.writeHead(502, { 'content-type': 'text/html' }).end('<html>\r\n<h1>502 Bad Gateway</h1>\r\n</html>'),
  )
  cannotProbe(
    t,
    await cli(gateway),
    `the target answered 502 text/html "<html>\\u000d\\u000a<h1>502 Bad Gateway</h1>\\u000d\\u000a</html>" to ${DISCOVERY}`,
  )

  const drifted = await stub(t, (_, res) =>
    json(res, 200, '{"serverlessCosts":{},"dedicatedCosts":[],"trainingCosts":[]}'),
  )
  cannotProbe(
    t,
    await cli(drifted),
    `the answer to ${DISCOVERY} does not match openapi/fireworks-usage.yaml: /serverlessCosts must be array, got {}`,
  )

  // Answers the discovery, then closes every connection it gets.
  const silent = await stub(t, (_, res, n) => (n === 0 ? json(res, 200, EMPTY_USAGE) : res.socket?.destroy()))
  const run = await cli(silent)
  cannotProbe(t, run, 'the target stopped answering after 1 request: no answer from the target: UND_ERR_SOCKET')
})

t.test('a failure of the run itself, outside any probe, is one sentence and exit code 2 too', async t => {
  const run = await cli('http://127.0.0.1:1', [], {
    // A fetch whose answer breaks on reading: a bug's stand-in (fetch never answers so).
    fetch: async () =>
      ({
        status: 200,
        headers: {
          get: () => {
            throw new TypeError('headers.get exploded')
          },
        },
      }) as unknown as Response,
  })
  noStackTrace(t, run)
  t.equal(run.code, 2)
  t.equal(
    run.stderr.split('\n')[1],
    'fireworks-usage-mock conformance: the run failed: TypeError: headers.get exploded',
  )
})

t.test(`${PST_PROBE}: PST refused is a pass, PST answered is a difference naming what came back`, async t => {
  const target = (refuse: boolean) =>
    stub(t, (req, res) =>
      new URL(req.url ?? '/', 'http://x').searchParams.get('timezone') === 'PST' && refuse
        ? json(res, 400, JSON.stringify({ code: 3, message: 'invalid time zone "PST"', details: [] }))
        : json(res, 200, EMPTY_USAGE),
    )
  const resultOf = async (url: string) =>
    (
      JSON.parse((await cli(url, ['--json'])).stdout) as { probes: { id: string; result: string; summary: string }[] }
    ).probes.find(p => p.id === PST_PROBE)
  t.match(await resultOf(await target(true)), { result: 'pass', summary: '5 checks hold' })
  t.match(await resultOf(await target(false)), {
    result: 'differs',
    summary: `HTTP status: expected 400; got 200 ${EMPTY_USAGE}`,
  })
  // And the mock: it refuses PST once its zone rule says so (issue 23); until then the probe says it differs.
  const run = await cli(mock.url, ['--json'])
  const probe = (JSON.parse(run.stdout) as { probes: { id: string; result: string }[] }).probes.find(
    p => p.id === PST_PROBE,
  )
  t.equal(probe?.result, 'pass')
})
