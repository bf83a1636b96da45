// The capture command itself: bad usage stops it before any request (exit code 2), the key is
// never printed even when a target echoes it, progress goes to stderr, --as renames, --redact is
// stable from one capture to the next, and the bin dispatches `capture`.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { captureHelp } from '../../server/capture/cli.js'
import { startMockServer, type MockServer } from '../../server/index.js'
import { ask, capture, capturedKeys, from, INITECH_KEY, NOW, replay } from './harness.js'

let source: MockServer
t.before(async () => {
  source = await startMockServer({ now: NOW })
})
t.teardown(() => source.close())

t.test('bad usage: one line naming the problem, exit code 2, no request sent', async t => {
  const dir = t.testdir({ full: { 'x.ndjson': '' }, 'a-file': 'x', 'bad.redactions.json': '[1]' })
  // A target on this machine that nothing listens on, should a case get as far as a request.
  const base = ['--account', 'acme', '--api-key', 'fw_x', '--now', NOW, '--target', 'http://127.0.0.1:9']
  const fresh = join(dir, 'new')
  const cases: [string[], string][] = [
    [[], '--account is required (the account id, e.g. my-account)'],
    [['--account', 'acme'], '--out is required (the fixtures folder to write)'],
    [[...base, '--out', fresh], 'give either --days N or both --start and --end'],
    [
      [...base, '--out', fresh, '--days', '3', '--start', NOW, '--end', NOW],
      'give either --days N or both --start and --end',
    ],
    [[...base, '--out', fresh, '--start', '2026-11-01T00:00:00Z'], 'give either --days N or both --start and --end'],
    [[...base, '--out', fresh, '--days', '0'], 'invalid --days "0": must be an integer from 1 to 3660'],
    [
      [...base, '--out', fresh, '--start', '2026-11-24T00:00:00Z', '--end', '2026-11-23T00:00:00Z'],
      'the window is empty: --start 2026-11-24T00:00:00Z is not before 2026-11-23T00:00:00Z (now or --end)',
    ],
    [
      [...base, '--out', fresh, '--start', '2026-11-26T00:00:00Z', '--end', '2026-11-27T00:00:00Z'],
      'the window is empty: --start 2026-11-26T00:00:00Z is not before 2026-11-25T00:00:00Z (now or --end)',
    ],
    [
      ['--account', 'acme', '--out', fresh, '--days', '1', '--target', 'http://127.0.0.1:9'],
      'an API key is required: FIREWORKS_API_KEY or --api-key <key>',
    ],
    [[...base, '--account', 'x'], '--account is given twice'],
    [
      ['--account', 'Acme_Co', '--api-key', 'k', '--out', fresh, '--days', '1', '--target', 'http://127.0.0.1:9'],
      'the account id "Acme_Co" is not one fixtures accept (give --as): ids are slugs such as my-account',
    ],
    [
      [...base, '--as', 'Bad Id', '--out', fresh, '--days', '1'],
      'invalid --as "Bad Id": ids are slugs such as my-account',
    ],
    [
      [...base, '--out', fresh, '--days', '1', '--streams', 'serverless,gpu'],
      'invalid --streams "serverless,gpu": streams are serverless, dedicated, training',
    ],
    [[...base, '--out', fresh, '--days', '1', '--redaction-map', 'm.json'], '--redaction-map goes with --redact'],
    [[...base, '--out', fresh, '--days', '1', '--redact=yes'], '--redact takes no value'],
    [
      [...base, '--out', join(dir, 'full'), '--days', '1'],
      `--out ${join(dir, 'full')} is not empty (give --replace to replace it with the capture)`,
    ],
    [
      [...base, '--out', join(dir, 'a-file'), '--days', '1', '--replace'],
      `--out ${join(dir, 'a-file')} is a file, not a folder`,
    ],
    [
      [...base, '--out', join(dir, 'bad'), '--days', '1', '--redact'],
      `${join(dir, 'bad')}.redactions.json: not a redaction map (an object of api_key_name, deployment_name, annotations.team, annotations.project)`,
    ],
    [
      ['--account', 'acme', '--api-key', 'k', '--out', fresh, '--days', '1', '--target', 'ftp://example.com'],
      'invalid --target "ftp://example.com": must be an http(s) base URL such as https://api.fireworks.ai',
    ],
    [['--bogus'], 'unknown option --bogus (see --help)'],
  ]
  for (const [argv, message] of cases) {
    const run = await capture(argv)
    t.equal(run.code, 2, argv.join(' '))
    t.equal(run.stderr, `fireworks-usage-mock capture: ${message}\n`)
    t.same(run.fetched, [], 'nothing sent')
  }
  t.same(JSON.parse(readFileSync(join(dir, 'bad.redactions.json'), 'utf8')), [1], 'a bad map is left alone')
})

t.test('--help prints the flags and exit codes', async t => {
  const run = await capture(['--help'])
  t.equal(run.code, 0)
  t.equal(run.stdout, `${captureHelp()}\n`)
  for (const flag of ['--account', '--out', '--days', '--start', '--end', '--redact', '--streams', '--as', '--replace'])
    t.match(run.stdout, `\n  ${flag} `)
  t.match(run.stdout, 'Exit code: 0 written')
})

t.test('the key comes from FIREWORKS_API_KEY and is never printed, even when a target echoes it', async t => {
  const echo = createServer((req, res) =>
    res.writeHead(401, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        code: 16,
        message: `\u001b[31munknown key in ${req.headers.authorization} (${encodeURIComponent(req.headers.authorization ?? '')})`,
        details: [],
      }),
    ),
  )
  await new Promise<void>(resolve => echo.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => echo.close(() => resolve())))
  const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`
  const key = 'fw_secret/Key+01'
  const out = join(t.testdir(), 'x')
  const run = await capture(['--target', url, '--account', 'acme', '--now', NOW, '--days', '1', '--out', out], {
    FIREWORKS_API_KEY: key,
  })
  t.equal(run.code, 2)
  t.notOk(run.stderr.includes(key) || run.stderr.includes(encodeURIComponent(key)), 'the key is redacted')
  t.match(run.stderr, 'failed, nothing written: the target answered 401 to GET /v1/accounts/acme/billingUsage?')
  t.match(run.stderr, ': \\u001b[31munknown key in Bearer [redacted] (Bearer%20[redacted])\n')
})

t.test('progress on stderr: days done, requests sent, time left (by the clock, spaced requests)', async t => {
  const out = join(t.testdir(), 'initech')
  const run = await capture([...from(source.url, 'initech', INITECH_KEY), '--days', '40', '--out', out])
  t.equal(run.code, 0, run.stderr)
  // 40 days are windows of 31 and 9; four requests each, 250 ms apart: 750 ms for 31 days, so
  // about 218 ms for the other 9.
  t.equal(
    run.stderr,
    [
      `Capturing initech from ${source.url}: 2026-10-16T00:00:00Z to 2026-11-25T00:00:00Z, serverless, dedicated, training; requests 250 ms apart, at most 10000.`,
      'capture: 31 of 40 days, 4 requests, about 1 s left',
      'capture: 40 of 40 days, 8 requests',
      '',
    ].join('\n'),
  )
  t.same(run.sleeps, [250, 250, 250, 250, 250, 250, 250])
  t.match(run.stdout, ', 40 days, 8 requests.\n')
})

t.test("--as gives the account another id; its answers are the source account's", async t => {
  const out = join(t.testdir(), 'copy')
  const run = await capture([
    ...from(source.url, 'initech', INITECH_KEY),
    '--days',
    '3',
    '--as',
    'initech-copy',
    '--out',
    out,
  ])
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /^Captured initech as initech-copy from /)
  const copy = await replay(t, out)
  const q =
    'billingUsage?startTime=2026-11-22T00:00:00Z&endTime=2026-11-25T00:00:00Z&groupBy=model_name&groupBy=api_key_name'
  t.same(
    await ask(copy, capturedKeys(out).get('key_InitechMain00001')!, `/v1/accounts/initech-copy/${q}`),
    await ask(source, INITECH_KEY, `/v1/accounts/initech/${q}`),
  )
})

t.test('--redact twice, the map kept beside the folder: the same records byte for byte', async t => {
  const dir = t.testdir()
  const out = join(dir, 'initech')
  const args = [...from(source.url, 'initech', INITECH_KEY), '--days', '3', '--out', out, '--redact']
  t.equal((await capture(args)).code, 0)
  const first = readFileSync(join(out, 'serverless.ndjson'), 'utf8')
  const map = readFileSync(`${out}.redactions.json`, 'utf8')
  t.match(map, '"main": "key-')
  t.equal((await capture([...args, '--replace'])).code, 0)
  t.equal(readFileSync(join(out, 'serverless.ndjson'), 'utf8'), first)
  t.equal(readFileSync(`${out}.redactions.json`, 'utf8'), map)
  // A map elsewhere, chosen by flag.
  const elsewhere = join(dir, 'private', 'names.json')
  mkdirSync(join(dir, 'private'))
  writeFileSync(elsewhere, JSON.stringify({ api_key_name: { main: 'key-7' } }))
  t.equal((await capture([...args, '--replace', '--redaction-map', elsewhere])).code, 0)
  t.match(readFileSync(join(out, 'serverless.ndjson'), 'utf8'), '"apiKeyName":"key-7"')
  t.match(readFileSync(elsewhere, 'utf8'), /"batch-research": "key-8"/)
})

t.test('the bin dispatches `capture`', async t => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', 'capture', '--help'], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  t.equal(r.status, 0, r.stderr)
  t.equal(r.stdout, `${captureHelp()}\n`)
})
