// `fireworks-usage-mock conformance --account <id> [--target <url>] ...`: probe a server, the
// real Fireworks API included, against the rules this mock implements. Exit code 0 when nothing
// differs, 1 when something does, 2 for bad usage or a target that cannot be probed at all.
// The key comes from --api-key or FIREWORKS_API_KEY (better: it stays out of shell history) and
// is redacted from everything written, whatever a target echoes back; control characters are
// written as escapes.

import { writeFileSync } from 'node:fs'
import { columns } from '../columns.js'
import { own } from '../own.js'
import { parseRfc3339 } from '../time.js'
import { CannotProbe } from './plan.js'
import { formatJson, formatJunit, formatMarkdown, formatTable, printable } from './report.js'
import { runConformance, type RunOptions } from './run.js'

export const DEFAULT_TARGET = 'https://api.fireworks.ai'

export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  env: Readonly<Record<string, string | undefined>>
  writeFile(path: string, text: string): void
  /** For tests: the client's fetch, sleep and timeout. */
  client?: Pick<RunOptions, 'fetch' | 'sleep' | 'timeoutSignal'>
}

interface Options {
  target: string
  apiKey: string
  account: string
  days: number
  maxRequests: number
  intervalMs: number
  nowMs: number
  report: string | null
  junit: string | null
  json: boolean
}

class UsageError extends Error {}

const integer = (min: number, max: number) => (flag: string, text: string) => {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UsageError(`invalid ${flag} ${JSON.stringify(text)}: must be an integer from ${min} to ${max}`)
  return Number(text)
}

interface Flag {
  key: keyof Options
  /** Text -> value, or a UsageError naming the flag; absent for plain strings. */
  parse?: (flag: string, text: string) => unknown
  help: string
}

const FLAGS: Record<string, Flag> = {
  '--target': { key: 'target', help: `base URL of the server to probe (default ${DEFAULT_TARGET})` },
  '--api-key': { key: 'apiKey', help: 'API key of the account (default: $FIREWORKS_API_KEY); never printed' },
  '--account': { key: 'account', help: 'account id, e.g. my-account (required)' },
  '--days': {
    key: 'days',
    parse: integer(4, 366),
    help: 'how far back to look for usage, in days (default 30; at least 4, the span of the probe windows)',
  },
  '--max-requests': {
    key: 'maxRequests',
    parse: integer(1, 100_000),
    help: 'at most this many requests, retries included (default 200)',
  },
  '--interval-ms': { key: 'intervalMs', parse: integer(0, 600_000), help: 'pause between requests (default 250)' },
  '--now': {
    key: 'nowMs',
    parse: (flag, t) =>
      parseRfc3339(t)?.ms ?? fail(`invalid ${flag} ${JSON.stringify(t)}: must be an RFC 3339 timestamp`),
    help: 'the clock to look back from (default: now)',
  },
  '--report': { key: 'report', help: 'write a Markdown report to this file' },
  '--junit': { key: 'junit', help: 'write a JUnit XML report to this file' },
}

function fail(message: string): never {
  throw new UsageError(message)
}

export function conformanceHelp(): string {
  return [
    'Usage: fireworks-usage-mock conformance --account <id> [options]',
    '',
    'Probes a server (the real Fireworks API by default) against the rules this mock implements,',
    'with GET requests only, and reports rule by rule: pass, differs or n/a.',
    '',
    ...columns([
      ...Object.entries(FLAGS).map(([flag, f]) => [`${flag} <value>`, f.help]),
      ['--json', 'print the results as JSON instead of a table'],
      ['--help', 'print this help'],
    ]),
    '',
    'Exit code: 0 nothing differs, 1 something differs, 2 bad usage or the target cannot be probed.',
  ].join('\n')
}

function parseArgs(argv: readonly string[], env: CliIo['env']): Options | 'help' {
  const given = new Map<Flag, unknown>()
  let json = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') return 'help'
    if (arg === '--json') {
      json = true
      continue
    }
    const eq = arg.indexOf('=')
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const known = own(FLAGS, flag) ?? fail(`unknown option ${arg} (see --help)`)
    if (given.has(known)) fail(`${flag} is given twice`)
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined) fail(`${flag} needs a value`)
    given.set(known, known.parse ? known.parse(flag, value) : value)
  }
  const options: Record<string, unknown> = {
    target: DEFAULT_TARGET,
    apiKey: env.FIREWORKS_API_KEY ?? '',
    days: 30,
    maxRequests: 200,
    intervalMs: 250,
    nowMs: Date.now(),
    report: null,
    junit: null,
    json,
  }
  for (const [flag, value] of given) options[flag.key] = value
  const o = options as unknown as Options
  if (!o.account) fail('--account is required (the account id, e.g. my-account)')
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o.account))
    fail(`invalid --account ${JSON.stringify(o.account)}: must be an account id such as my-account`)
  if (!o.apiKey) fail('an API key is required: --api-key <key> or FIREWORKS_API_KEY')
  let url: URL | null = null
  try {
    url = new URL(o.target)
  } catch {
    url = null
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash)
    fail(`invalid --target ${JSON.stringify(o.target)}: must be an http(s) base URL such as ${DEFAULT_TARGET}`)
  return o
}

/** Runs the command; returns the exit code. Everything written goes through the redaction. */
export async function runConformanceCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: Options | 'help'
  try {
    options = parseArgs(argv, io.env)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.stderr(`fireworks-usage-mock conformance: ${err.message}\n`)
    return 2
  }
  if (options === 'help') {
    io.stdout(`${conformanceHelp()}\n`)
    return 0
  }
  const secret = options.apiKey
  const redact = (text: string) =>
    printable(text.split(secret).join('[redacted]').split(encodeURIComponent(secret)).join('[redacted]'))
  const out = (text: string) => io.stdout(redact(text))
  io.stderr(
    redact(
      `Probing ${options.target} as account ${options.account}: at most ${options.maxRequests} requests, ${options.intervalMs} ms apart.\n`,
    ),
  )
  try {
    const report = await runConformance({ ...options, ...io.client })
    if (options.report) io.writeFile(options.report, redact(formatMarkdown(report)))
    if (options.junit) io.writeFile(options.junit, redact(formatJunit(report)))
    out(options.json ? formatJson(report) : formatTable(report))
    return report.totals.differ > 0 ? 1 : 0
  } catch (err) {
    // One sentence, never a stack trace: the target cannot be probed, or (a bug, the last line
    // of defence) the run itself failed outside any probe.
    const message = err instanceof CannotProbe ? `cannot probe: ${err.message}` : `the run failed: ${String(err)}`
    io.stderr(redact(`fireworks-usage-mock conformance: ${message}\n`))
    return 2
  }
}

/** The bin's entry (server/main.ts dispatches `conformance` here). */
export async function conformanceMain(argv: readonly string[]): Promise<void> {
  process.exitCode = await runConformanceCli(argv, {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    env: process.env,
    writeFile: (path, text) => writeFileSync(path, text),
  })
}
