// The conformance command against this mock: every probe passes; with FILTERS=ignore one plain
// finding; an account without usage makes the data probes n/a with a reason; bad usage is exit
// code 2; and the key never appears in anything written.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { runConformanceCli } from '../../server/conformance/cli.js'
import { startMockServer, type MockServer } from '../../server/index.js'

const NOW = '2026-11-25T00:00:00Z'
const KEY = 'fw_mockAcmeProdEng01'

/** Every probe, in report order; the README lists the same ids. */
const PROBES = [
  'errors.missing-start',
  'errors.start-not-before-end',
  'errors.window-over-31-days',
  'errors.unknown-timezone',
  'errors.zone-abbreviation',
  'errors.unknown-group-by',
  'errors.unknown-usage-type',
  'errors.repeated-singular',
  'auth.no-credentials',
  'auth.wrong-key',
  'auth.other-account',
  'buckets.utc',
  'buckets.los-angeles-dst',
  'buckets.kathmandu',
  'buckets.kiritimati',
  'windows.exactly-31-days',
  'additivity.split-window',
  'additivity.group-by',
  'additivity.time-zones',
  'filters.applied',
  'filters.one-value',
  'filters.or-values',
  'filters.and-dimensions',
  'filters.absent-value',
  'companions.summary-total',
  'companions.filter-options',
  'accounts.list-and-get',
  'costs.rows-sum-to-subtotal',
  'costs.hours-sum-to-days',
  'costs.split-window',
  'costs.pages-concatenate',
  'costs.subtotal-every-page',
  'costs.models-of-billing-usage',
  'costs.subtotal-of-billing-usage',
  'costs.hour-with-day',
  'costs.three-dimensions',
  'costs.window-over-31-days',
  'shape.schema',
  'shape.int64-strings',
  'shape.three-arrays',
  'grouping.requested-keys',
  'grouping.default',
  'ordering.rows-sorted',
]

interface Run {
  code: number
  stdout: string
  stderr: string
  files: Map<string, string>
}

async function cli(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const run: Run = { code: -1, stdout: '', stderr: '', files: new Map() }
  run.code = await runConformanceCli(argv, {
    stdout: text => (run.stdout += text),
    stderr: text => (run.stderr += text),
    env,
    writeFile: (path, text) => run.files.set(path, text),
  })
  return run
}

const against = (mock: MockServer, account = 'acme-ai', key = KEY) => [
  '--target',
  mock.url,
  '--account',
  account,
  '--api-key',
  key,
  '--now',
  NOW,
  '--interval-ms',
  '0',
]
type JsonProbe = { id: string; result: string; summary: string; tag: string }
const results = (run: Run) => (JSON.parse(run.stdout) as { probes: JsonProbe[] }).probes

let mock: MockServer
t.before(async () => {
  mock = await startMockServer({ now: NOW, validateResponses: true })
})
t.teardown(() => mock.close())

/** The expected result of each probe against the mock, given the results of `others`. */
const expected = (others: Record<string, string> = {}) => PROBES.map(id => [id, others[id] ?? 'pass'])
/** The table's totals line when every probe passes. */
const totals = () => `${PROBES.length} passed, 0 differ, 0 n/a`

t.test('against the mock every probe passes, exit code 0; the key appears nowhere', async t => {
  const run = await cli([...against(mock), '--report', 'report.md', '--junit', 'report.xml'])
  t.equal(run.code, 0)
  const rows = run.stdout.split('\n').filter(line => /^[a-z]+\.[a-z0-9-]+ +\[/.test(line))
  t.same(
    rows.map(r => [r.split(/\s+/)[0], r.split(/\s+/)[2]]),
    expected(),
    'every probe in the table, in order, and each one passes',
  )
  t.ok(run.stdout.includes(`\n${totals()}\n`))
  t.match(run.files.get('report.md'), /\| `buckets.kathmandu` \| .* \| \[real\] \| pass \|/)
  t.ok(
    run.files
      .get('report.xml')
      ?.includes(
        `<testsuites name="fireworks-usage-mock conformance" tests="${PROBES.length}" failures="0" skipped="0">`,
      ),
  )
  for (const text of [run.stdout, run.stderr, ...run.files.values()])
    t.notOk(text.includes(KEY), 'no key in output or reports')
  const json = await cli([...against(mock), '--json'])
  t.same(
    results(json).map(p => [p.id, p.result]),
    expected(),
    '--json: the same results',
  )
  t.notOk(json.stdout.includes(KEY))
})

t.test(
  'with FILTERS=ignore, one plain finding from filters.applied, the other filter probes n/a, exit code 1',
  async t => {
    const ignoring = await startMockServer({ now: NOW, filters: 'ignore' })
    t.teardown(() => ignoring.close())
    const table = await cli(against(ignoring))
    t.equal(table.code, 1)
    // The README's sample is this run (on port 8080): it must stay true.
    const readme = readFileSync('README.md', 'utf8')
    const sample = /--interval-ms 0\n(Probing [^]*?)\n```/.exec(readme)?.[1]
    t.equal(
      `${table.stderr}${table.stdout}`.trimEnd().split(ignoring.url).join('http://127.0.0.1:8080'),
      sample,
      'the README sample',
    )
    const run = await cli([...against(ignoring), '--json'])
    t.equal(run.code, 1)
    const probes = results(run)
    t.same(
      probes.filter(p => p.result === 'differs').map(p => p.id),
      ['filters.applied'],
    )
    t.match(
      probes.find(p => p.id === 'filters.applied')?.summary,
      /^The target ignores filter: filter\[model_name\]\[values\]=\S+ returned all \d+ rows of the unfiltered request/,
    )
    t.same(
      probes.filter(p => p.result === 'n/a').map(p => [p.id, p.summary]),
      [
        ['filters.one-value', 'the target ignores filter (see filters.applied)'],
        ['filters.or-values', 'the target ignores filter (see filters.applied)'],
        ['filters.and-dimensions', 'the target ignores filter (see filters.applied)'],
        ['filters.absent-value', 'the target ignores filter (see filters.applied)'],
      ],
    )
    t.equal(probes.filter(p => p.result === 'pass').length, PROBES.length - 5)
  },
)

t.test('an account without usage: the probes that need data say n/a and why; nothing differs', async t => {
  const empty = await startMockServer({ now: NOW })
  t.teardown(() => empty.close())
  empty.addRecords([
    { account: 'quiet-co', keys: [{ id: 'key_QuietCo000000001', name: 'main', secret: 'fw_quietCo01' }] },
  ])
  const run = await cli([...against(empty, 'quiet-co', 'fw_quietCo01'), '--json'])
  t.equal(run.code, 0)
  const probes = results(run)
  const noUsage = 'no usage found between 2026-10-25T00:00:00Z and 2026-11-24T00:00:00Z (try a larger --days)'
  const na = Object.fromEntries(probes.filter(p => p.result === 'n/a').map(p => [p.id, p.summary]))
  for (const id of [
    'buckets.utc',
    'buckets.kathmandu',
    'additivity.split-window',
    'filters.applied',
    'filters.one-value',
    'companions.summary-total',
    'costs.rows-sum-to-subtotal',
    'costs.pages-concatenate',
    'costs.subtotal-of-billing-usage',
  ])
    t.equal(na[id], noUsage, `${id} is n/a for want of usage`)
  t.equal(
    na['buckets.los-angeles-dst'],
    'no usage around the daylight-saving change of 2026-11-01 in America/Los_Angeles',
  )
  t.equal(na['grouping.default'], 'no rows to read in the answers of this run')
  t.same(
    probes.filter(p => p.result === 'pass').map(p => p.id),
    PROBES.filter(
      id =>
        /^(errors|auth)\./.test(id) ||
        [
          'windows.exactly-31-days',
          'accounts.list-and-get',
          'costs.hour-with-day',
          'costs.three-dimensions',
          'costs.window-over-31-days',
          'shape.schema',
          'shape.three-arrays',
        ].includes(id),
    ),
    'the probes that need no usage still pass',
  )
})

t.test('a key the target rejects stops the run before any probe: exit code 2, the key redacted', async t => {
  // A target that echoes the Authorization header in its error message, after escape sequences
  // that would retitle the terminal (OSC 0) and turn the text red (CSI), and a carriage return.
  const echo = createServer((req, res) =>
    res.writeHead(401, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        code: 16,
        message: `\u001b]0;pwned\u0007\u001b[31m\r\u009bunknown key in ${req.headers.authorization}`,
        details: [],
      }),
    ),
  )
  await new Promise<void>(resolve => echo.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => echo.close(() => resolve())))
  const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`
  const run = await cli(['--target', url, '--account', 'acme-ai', '--interval-ms', '0', '--now', NOW], {
    FIREWORKS_API_KEY: 'fw_echoedSecret99',
  })
  t.equal(run.code, 2)
  t.equal(run.stdout, '')
  t.equal(
    run.stderr.split('\n')[1],
    'fireworks-usage-mock conformance: cannot probe: the target answered 401 "\\u001b]0;pwned\\u0007\\u001b[31m\\u000d\\u009bunknown key in Bearer [redacted]" ' +
      'to GET /v1/accounts/acme-ai/billingUsage?startTime=2026-10-25T00:00:00Z&endTime=2026-11-24T00:00:00Z',
  )
  t.notOk(run.stderr.includes('fw_echoedSecret99'))
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  t.notMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, 'no control character reaches the terminal')
})

t.test('bad usage is exit code 2 with a message naming the problem', async t => {
  const cases: [string[], Record<string, string>, string][] = [
    [['--account', 'a', '--api-key', 'k', '--frobnicate'], {}, 'unknown option --frobnicate (see --help)'],
    [['--api-key', 'k'], {}, '--account is required (the account id, e.g. my-account)'],
    [['--account', 'a'], {}, 'an API key is required: --api-key <key> or FIREWORKS_API_KEY'],
    [['--account', 'a/b', '--api-key', 'k'], {}, 'invalid --account "a/b": must be an account id such as my-account'],
    [
      ['--account', 'a', '--days', '3'],
      { FIREWORKS_API_KEY: 'k' },
      'invalid --days "3": must be an integer from 4 to 366',
    ],
    [
      ['--account', 'a', '--max-requests', 'many'],
      { FIREWORKS_API_KEY: 'k' },
      'invalid --max-requests "many": must be an integer from 1 to 100000',
    ],
    [
      ['--account', 'a', '--target', 'ftp://x'],
      { FIREWORKS_API_KEY: 'k' },
      'invalid --target "ftp://x": must be an http(s) base URL such as https://api.fireworks.ai',
    ],
    [
      ['--account', 'a', '--now', 'yesterday'],
      { FIREWORKS_API_KEY: 'k' },
      'invalid --now "yesterday": must be an RFC 3339 timestamp',
    ],
    [['--account', 'a', '--account', 'b'], { FIREWORKS_API_KEY: 'k' }, '--account is given twice'],
    [['--account'], {}, '--account needs a value'],
    [['--constructor', 'x'], {}, 'unknown option --constructor (see --help)'],
  ]
  for (const [argv, env, message] of cases) {
    const run = await cli(argv, env)
    t.same(
      [run.code, run.stderr, run.stdout],
      [2, `fireworks-usage-mock conformance: ${message}\n`, ''],
      argv.join(' '),
    )
  }
  const help = await cli(['--help'])
  t.equal(help.code, 0)
  t.match(help.stdout, /^Usage: fireworks-usage-mock conformance --account <id> \[options\]/)
})

/** Runs the bin as a process (asynchronously: the mock it probes lives in this process). */
function bin(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['dist/server/main.js', ...args], { env: { PATH: process.env.PATH, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stderr += d))
  return new Promise(resolve => child.on('close', status => resolve({ status, stdout, stderr })))
}

t.test('the bin dispatches `conformance` (dist/server/main.js), the key from FIREWORKS_API_KEY', async t => {
  const child = await bin(
    ['conformance', '--target', mock.url, '--account', 'acme-ai', '--now', NOW, '--interval-ms', '0'],
    { FIREWORKS_API_KEY: KEY },
  )
  t.equal(child.status, 0, child.stderr)
  t.ok(child.stdout.endsWith(`\n${totals()}\n`))
  t.notOk(child.stdout.includes(KEY) || child.stderr.includes(KEY))
  const bad = await bin(['conformance', '--port', '1'], {})
  t.same([bad.status, bad.stderr], [2, 'fireworks-usage-mock conformance: unknown option --port (see --help)\n'])
})
