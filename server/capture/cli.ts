// `fireworks-usage-mock capture --account <id> --out <folder> (--days N | --start <t> --end <t>)`:
// read an account once, from the real Fireworks API or any server of the same API, with the
// probe's client (GET only, spaced, Retry-After honoured), and write fixtures the mock serves
// from then on. Exit code 0 when the fixtures reproduce every row read, 1 when they are written
// but something is not reproduced (each said), 2 for bad usage or a capture that failed (then
// nothing is written). The key comes from FIREWORKS_API_KEY (or --api-key) and is never printed
// or written: every line out is redacted of it, whatever a target echoes back.

import { createClient, type ClientOptions } from '../conformance/client.js'
import { printable } from '../conformance/report.js'
import { ACCOUNT_ID } from '../data/fixture-entries.js'
import { own } from '../own.js'
import { DAY_MS, formatUtc, parseRfc3339 } from '../time.js'
import { captureAccount } from './capture.js'
import { buildFixtures } from './fixtures.js'
import { outProblem, writeFolder } from './folder.js'
import { CaptureFailed } from './grouping.js'
import { readPseudonyms, writePseudonyms, type Pseudonyms } from './redact.js'
import { CAPTURES, captureOf, type StreamCapture } from './rows.js'

export const DEFAULT_TARGET = 'https://api.fireworks.ai'

export interface CaptureIo {
  stdout(text: string): void
  stderr(text: string): void
  env: Readonly<Record<string, string | undefined>>
  /** For tests: the client's fetch, sleep and clock (also the clock of progress and --days). */
  client?: Pick<ClientOptions, 'fetch' | 'sleep' | 'clock'>
  /** For tests: key secrets. */
  secret?: () => string
}

interface Options {
  target: string
  apiKey: string
  account: string
  as: string | null
  days: number | null
  start: number | null
  end: number | null
  now: number | null
  out: string
  redact: boolean
  redactionMap: string | null
  streams: readonly StreamCapture[]
  replace: boolean
  maxRequests: number
  intervalMs: number
}

class UsageError extends Error {}
function fail(message: string): never {
  throw new UsageError(message)
}

const integer = (min: number, max: number) => (flag: string, text: string) =>
  /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max
    ? Number(text)
    : fail(`invalid ${flag} ${JSON.stringify(text)}: must be an integer from ${min} to ${max}`)
const instant = (flag: string, text: string) =>
  parseRfc3339(text)?.ms ?? fail(`invalid ${flag} ${JSON.stringify(text)}: must be an RFC 3339 timestamp`)
const streamList = (flag: string, text: string) =>
  text
    .split(',')
    .map(
      kind =>
        captureOf(kind.trim()) ??
        fail(`invalid ${flag} ${JSON.stringify(text)}: streams are ${CAPTURES.map(c => c.spec.kind).join(', ')}`),
    )

interface Flag {
  key: keyof Options
  /** Text -> value; absent for plain strings; `boolean` flags take no value. */
  parse?: (flag: string, text: string) => unknown
  boolean?: boolean
  value: string
  help: string
}

const FLAGS: Record<string, Flag> = {
  '--account': { key: 'account', value: '<id>', help: 'the account id to capture (required)' },
  '--out': { key: 'out', value: '<folder>', help: 'the fixtures folder to write (required; new or empty)' },
  '--days': {
    key: 'days',
    value: '<N>',
    parse: integer(1, 3660),
    help: 'the last N whole UTC days and today so far',
  },
  '--start': { key: 'start', value: '<time>', parse: instant, help: 'or: from this RFC 3339 instant ...' },
  '--end': { key: 'end', value: '<time>', parse: instant, help: '... to this one (at most now)' },
  '--target': { key: 'target', value: '<url>', help: `base URL of the server to read (default ${DEFAULT_TARGET})` },
  '--api-key': {
    key: 'apiKey',
    value: '<key>',
    help: 'a key of the account (default: $FIREWORKS_API_KEY); never printed',
  },
  '--streams': {
    key: 'streams',
    value: '<list>',
    parse: streamList,
    help: `comma-separated streams to capture (default ${CAPTURES.map(c => c.spec.kind).join(',')})`,
  },
  '--as': { key: 'as', value: '<id>', help: 'the account id in the fixtures (default: the captured one)' },
  '--redact': {
    key: 'redact',
    boolean: true,
    value: '',
    help: 'key names, deployment names, teams and projects become stable pseudonyms',
  },
  '--redaction-map': {
    key: 'redactionMap',
    value: '<file>',
    help: 'where --redact keeps real names and pseudonyms (default <out>.redactions.json)',
  },
  '--replace': { key: 'replace', boolean: true, value: '', help: 'replace an --out folder that is not empty' },
  '--now': { key: 'now', value: '<time>', parse: instant, help: 'the clock (default: now; pin it for a pinned mock)' },
  '--interval-ms': {
    key: 'intervalMs',
    value: '<ms>',
    parse: integer(0, 600_000),
    help: 'pause between requests (default 250)',
  },
  '--max-requests': {
    key: 'maxRequests',
    value: '<N>',
    parse: integer(1, 1_000_000),
    help: 'at most this many requests, retries included (default 10000)',
  },
}

export function captureHelp(): string {
  const usage = (flag: string, f: Flag) => `${flag}${f.value ? ` ${f.value}` : ''}`
  return [
    'Usage: fireworks-usage-mock capture --account <id> --out <folder> (--days N | --start <t> --end <t>) [options]',
    '',
    "Reads an account's usage once (GET only) and writes fixtures the mock serves:",
    '  SYNTHETIC=off FIXTURES=<folder> fireworks-usage-mock',
    '',
    ...Object.entries(FLAGS).map(([flag, f]) => `  ${usage(flag, f).padEnd(26)}${f.help}`),
    `  ${'--help'.padEnd(26)}print this help`,
    '',
    'Exit code: 0 written, reproducing every row read; 1 written, something not reproduced (said);',
    '2 bad usage or the capture failed (nothing written).',
  ].join('\n')
}

function parseArgs(argv: readonly string[], env: CaptureIo['env'], clock: () => number): Options | 'help' {
  const given = new Map<Flag, unknown>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') return 'help'
    const eq = arg.indexOf('=')
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const known = own(FLAGS, flag) ?? fail(`unknown option ${arg} (see --help)`)
    if (given.has(known)) fail(`${flag} is given twice`)
    if (known.boolean) {
      if (eq > 0) fail(`${flag} takes no value`)
      given.set(known, true)
      continue
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined) fail(`${flag} needs a value`)
    given.set(known, known.parse ? known.parse(flag, value) : value)
  }
  const options: Record<string, unknown> = {
    target: DEFAULT_TARGET,
    apiKey: env.FIREWORKS_API_KEY ?? '',
    as: null,
    days: null,
    start: null,
    end: null,
    now: null,
    redact: false,
    redactionMap: null,
    streams: CAPTURES,
    replace: false,
    maxRequests: 10_000,
    intervalMs: 250,
  }
  for (const [flag, value] of given) options[flag.key] = value
  const o = options as unknown as Options
  if (!o.account) fail('--account is required (the account id, e.g. my-account)')
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o.account))
    fail(`invalid --account ${JSON.stringify(o.account)}: must be an account id such as my-account`)
  const id = o.as ?? o.account
  if (!ACCOUNT_ID.test(id))
    fail(
      `${o.as ? `invalid --as ${JSON.stringify(o.as)}` : `the account id ${JSON.stringify(id)} is not one fixtures accept (give --as)`}: ids are slugs such as my-account`,
    )
  if (!o.out) fail('--out is required (the fixtures folder to write)')
  if ((o.days === null) === (o.start === null || o.end === null) || (o.start === null) !== (o.end === null))
    fail('give either --days N or both --start and --end')
  if (!o.apiKey) fail('an API key is required: FIREWORKS_API_KEY or --api-key <key>')
  if (o.redactionMap && !o.redact) fail('--redaction-map goes with --redact')
  let url: URL | null = null
  try {
    url = new URL(o.target)
  } catch {
    url = null
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash)
    fail(`invalid --target ${JSON.stringify(o.target)}: must be an http(s) base URL such as ${DEFAULT_TARGET}`)
  const problem = outProblem(o.out, o.replace)
  if (problem) fail(problem)
  const now = o.now ?? clock()
  o.now = now
  if (o.days !== null) {
    o.start = Math.floor(now / DAY_MS) * DAY_MS - o.days * DAY_MS
    o.end = now
  }
  o.end = Math.min(o.end as number, now)
  if ((o.start as number) >= o.end)
    fail(
      `the window is empty: --start ${formatUtc(o.start as number)} is not before ${formatUtc(o.end)} (now or --end)`,
    )
  return o
}

/** Runs the command; returns the exit code. */
export async function runCaptureCli(argv: readonly string[], io: CaptureIo): Promise<number> {
  const clock = io.client?.clock ?? Date.now
  let options: Options | 'help'
  let pseudonyms: Pseudonyms | null = null
  try {
    options = parseArgs(argv, io.env, clock)
    if (options !== 'help' && options.redact) {
      options.redactionMap ??= `${options.out.replace(/\/+$/, '')}.redactions.json`
      try {
        pseudonyms = readPseudonyms(options.redactionMap)
      } catch (err) {
        fail((err as Error).message)
      }
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.stderr(`fireworks-usage-mock capture: ${err.message}\n`)
    return 2
  }
  if (options === 'help') {
    io.stdout(`${captureHelp()}\n`)
    return 0
  }
  const o = options
  const secret = o.apiKey
  // Control characters a target may echo (terminal escapes) are written as escapes, as the probe does.
  const clean = (text: string) =>
    printable(text.split(secret).join('[redacted]').split(encodeURIComponent(secret)).join('[redacted]'))
  const err = (line: string) => io.stderr(`${clean(line)}\n`)
  const out = (line: string) => io.stdout(`${clean(line)}\n`)
  const window = { startMs: o.start as number, endMs: o.end as number }
  const as = o.as ?? o.account
  err(
    `Capturing ${o.account} from ${o.target}: ${formatUtc(window.startMs)} to ${formatUtc(window.endMs)}, ` +
      `${o.streams.map(s => s.spec.kind).join(', ')}; requests ${o.intervalMs} ms apart, at most ${o.maxRequests}.`,
  )
  const client = createClient({
    target: o.target,
    apiKey: o.apiKey,
    maxRequests: o.maxRequests,
    intervalMs: o.intervalMs,
    ...io.client,
  })
  try {
    const captured = await captureAccount({
      client,
      account: o.account,
      window,
      streams: o.streams,
      clock,
      say: err,
    })
    const fixtures = buildFixtures(captured.parts, {
      account: o.account,
      as,
      pseudonyms,
      ...(io.secret ? { secret: io.secret } : {}),
    })
    for (const loss of fixtures.losses) err(`capture: not reproduced: ${loss}`)
    writeFolder(o.out, fixtures.files)
    if (pseudonyms && o.redactionMap) writePseudonyms(o.redactionMap, pseudonyms)
    const losses = [...captured.losses, ...fixtures.losses]
    const total = [...fixtures.records.values()].reduce((a, b) => a + b, 0)
    const perStream = [...fixtures.records].map(([kind, n]) => `${kind} ${n}`).join(', ')
    out(
      `Captured ${o.account}${as !== o.account ? ` as ${as}` : ''} from ${o.target}, ${formatUtc(window.startMs)} to ${formatUtc(window.endMs)}: ` +
        `1 account, ${fixtures.keys.length} keys, ${total} records (${perStream}), ${captured.days} days, ${client.sent} requests.`,
    )
    out(`Fixtures written to ${o.out}: ${fixtures.files.map(f => f.name).join(', ')}. Serve them alone:`)
    out(`  SYNTHETIC=off FIXTURES=${o.out} npx fireworks-usage-mock`)
    if (pseudonyms) out(`Redaction map (real names: keep it private, out of version control): ${o.redactionMap}`)
    out('API keys of the account (generated secrets, shown once here and kept in account.json):')
    for (const k of fixtures.keys) out(`  ${k.id.padEnd(22)} ${k.name.padEnd(16)} ${k.secret}`)
    if (losses.length > 0) {
      out(`Not reproduced (${losses.length}):`)
      for (const loss of losses) out(`  - ${loss}`)
    }
    return losses.length > 0 ? 1 : 0
  } catch (error) {
    if (!(error instanceof CaptureFailed)) throw new Error(clean((error as Error).message))
    err(`fireworks-usage-mock capture: failed, nothing written: ${error.message}`)
    return 2
  }
}

/** The bin's entry (server/main.ts dispatches `capture` here). */
export async function captureMain(argv: readonly string[]): Promise<void> {
  process.exitCode = await runCaptureCli(argv, {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    env: process.env,
  })
}
