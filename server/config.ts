// Configuration: the only reader of process.env and argv. Every setting comes from a CLI flag
// (--port 9000 or --port=9000), else an environment variable (PORT=9000), else its default.
// The result is validated, frozen and passed down; a bad value is a ConfigError naming it.

import { parseRfc3339 } from './time.js'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface Config {
  port: number
  host: string
  seed: number
  /** Pinned clock in epoch ms; null follows the wall clock. */
  now: number | null
  /** A folder of the user's fixture files, added to the default world. */
  fixtures: string | null
  logLevel: LogLevel
  /** 'auto' is readable lines on a terminal and JSON lines elsewhere. */
  logFormat: 'auto' | 'pretty' | 'json'
  /** Unknown query parameters become 400 instead of being ignored. */
  strictParams: boolean
  /** 'ignore' reproduces the live gateway, which does not apply `filter` yet. */
  filters: 'apply' | 'ignore'
  /** Multiplies the synthetic series of every default account (benchmarks of scale). */
  worldScale: number
  /** How many requests the journal keeps. */
  journalSize: number
  /** Per API key, e.g. { max: 60, windowMs: 60000 }; null is off. */
  rateLimit: { max: number; windowMs: number; text: string } | null
  /** 'any' accepts every bearer token and invents unknown accounts from the seed. */
  auth: 'strict' | 'any'
  /** When set, /_mock/* (but health) requires it in x-mock-admin-token. */
  adminToken: string | null
  /** 'off' removes the /_mock/* routes (but health). */
  admin: 'on' | 'off'
  /** How long a named session may stay idle (wall clock) before it expires. */
  sessionTtl: { ms: number; text: string }
  /** How many named sessions may exist at once. */
  maxSessions: number
  /** Budget of the engine's hourly sums of synthetic usage in MB; 0 generates every record per question. */
  sumsMb: number
  /** Budget of the answer cache in MB; 0 turns it off. */
  cacheMb: number
  /** Adds the bench-only replay routes under /_bench/ (npm run bench). */
  benchRoutes: boolean
  /** Checks every response against openapi/fireworks-usage.yaml (500 on a mismatch). */
  validateResponses: boolean
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

interface Setting {
  env: string
  flag: string
  key: keyof Config
  default: string
  help: string
  boolean?: boolean
  parse: (text: string) => unknown
}

const fail = (what: string): never => {
  throw new Error(what)
}
const integer = (min: number, max: number) => (text: string) => {
  const n = Number(text)
  return /^\d+$/.test(text) && n >= min && n <= max ? n : fail(`must be an integer from ${min} to ${max}`)
}
const oneOf =
  <T extends string>(...values: T[]) =>
  (text: string) =>
    (values as string[]).includes(text) ? text : fail(`must be one of ${values.join(', ')}`)
const bool = (text: string) =>
  ['true', '1', 'yes'].includes(text)
    ? true
    : ['false', '0', 'no'].includes(text)
      ? false
      : fail('must be true or false')

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const duration = (text: string) => {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text)
  const ms = Number(m?.[1]) * (DURATION_UNITS[m?.[2] as string] ?? NaN)
  return m && ms >= 1000 && Number.isSafeInteger(ms)
    ? { ms, text }
    : fail('must be a duration of at least 1 s like 90s, 30m, 2h or 1d')
}

const WINDOWS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
}
const rate = (text: string) => {
  if (text === '' || text === 'off') return null
  const m = /^(\d+)\/(\d*)(s|sec|second|min|minute|h|hour)$/.exec(text)
  const max = Number(m?.[1])
  if (!m || !(max >= 1)) return fail('must be like 60/min, 10/s or 1000/h (or off)')
  return { max, windowMs: Number(m[2] || 1) * (WINDOWS[m[3] as string] as number), text }
}

export const DEFAULT_SEED = 20260101

export const SETTINGS: readonly Setting[] = [
  {
    env: 'PORT',
    flag: '--port',
    key: 'port',
    default: '8080',
    help: 'TCP port to listen on (0 picks a free one)',
    parse: integer(0, 65535),
  },
  {
    env: 'HOST',
    flag: '--host',
    key: 'host',
    default: '127.0.0.1',
    help: 'address to listen on (the Docker image uses 0.0.0.0)',
    parse: t => (t ? t : fail('must not be empty')),
  },
  {
    env: 'SEED',
    flag: '--seed',
    key: 'seed',
    default: String(DEFAULT_SEED),
    help: 'seed of the synthetic world; the same seed gives the same answers',
    parse: integer(0, 4294967295),
  },
  {
    env: 'NOW',
    flag: '--now',
    key: 'now',
    default: '',
    help: 'pin the clock to an RFC 3339 instant (default: the wall clock); nothing exists at or after now',
    parse: t =>
      t === '' ? null : (parseRfc3339(t)?.ms ?? fail('must be an RFC 3339 timestamp such as 2026-06-01T00:00:00Z')),
  },
  {
    env: 'FIXTURES',
    flag: '--fixtures',
    key: 'fixtures',
    default: '',
    help: 'folder of *.json / *.ndjson fixture files added to the default world',
    parse: t => t || null,
  },
  {
    env: 'LOG_LEVEL',
    flag: '--log-level',
    key: 'logLevel',
    default: 'info',
    help: 'fatal, error, warn, info, debug, trace or silent',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  {
    env: 'LOG_FORMAT',
    flag: '--log-format',
    key: 'logFormat',
    default: 'auto',
    help: "'pretty' (readable lines), 'json' (one JSON object per line), or 'auto': pretty when stdout is a terminal",
    parse: oneOf('auto', 'pretty', 'json'),
  },
  {
    env: 'STRICT_PARAMS',
    flag: '--strict-params',
    key: 'strictParams',
    default: 'false',
    boolean: true,
    help: 'reject unknown query parameters with 400 instead of ignoring them',
    parse: bool,
  },
  {
    env: 'FILTERS',
    flag: '--filters',
    key: 'filters',
    default: 'apply',
    help: "'apply' the filter parameter (the documented contract) or 'ignore' it (today's live gateway)",
    parse: oneOf('apply', 'ignore'),
  },
  {
    env: 'JOURNAL_SIZE',
    flag: '--journal-size',
    key: 'journalSize',
    default: '1000',
    help: 'how many requests GET /_mock/requests keeps',
    parse: integer(0, 1_000_000),
  },
  {
    env: 'RATE_LIMIT',
    flag: '--rate-limit',
    key: 'rateLimit',
    default: 'off',
    help: 'per-API-key limit like 60/min, 10/s or 1000/h; 429 with code 8 past it',
    parse: rate,
  },
  {
    env: 'AUTH',
    flag: '--auth',
    key: 'auth',
    default: 'strict',
    help: "'strict' checks keys; 'any' accepts every bearer token and invents unknown accounts from the seed",
    parse: oneOf('strict', 'any'),
  },
  {
    env: 'ADMIN_TOKEN',
    flag: '--admin-token',
    key: 'adminToken',
    default: '',
    help: 'when set, /_mock/* (except health) requires it in the x-mock-admin-token header',
    parse: t => t || null,
  },
  {
    env: 'ADMIN',
    flag: '--admin',
    key: 'admin',
    default: 'on',
    help: "'off' removes the /_mock/* control routes (health stays)",
    parse: oneOf('on', 'off'),
  },
  {
    env: 'SESSION_TTL',
    flag: '--session-ttl',
    key: 'sessionTtl',
    default: '30m',
    help: 'a named session idle this long (wall clock) expires, like 90s, 30m, 2h',
    parse: duration,
  },
  {
    env: 'MAX_SESSIONS',
    flag: '--max-sessions',
    key: 'maxSessions',
    default: '1000',
    help: 'at most this many named sessions at once; one more is a 429',
    parse: integer(1, 100_000),
  },
  {
    env: 'CACHE_MB',
    flag: '--cache-mb',
    key: 'cacheMb',
    default: '64',
    help: 'memory for cached answers (same query, same data, same bytes); 0 turns it off',
    parse: integer(0, 4096),
  },
  {
    env: 'SUMS_MB',
    flag: '--sums-mb',
    key: 'sumsMb',
    default: '32',
    help: 'memory for hourly sums of synthetic usage that every question reuses; 0 generates every record per question',
    parse: integer(0, 4096),
  },
  {
    env: 'BENCH_ROUTES',
    flag: '--bench-routes',
    key: 'benchRoutes',
    default: 'false',
    boolean: true,
    help: 'add the bench-only /_bench/ replay routes (used by npm run bench)',
    parse: bool,
  },
  {
    env: 'VALIDATE_RESPONSES',
    flag: '--validate-responses',
    key: 'validateResponses',
    default: 'false',
    boolean: true,
    help: 'check every response against openapi/fireworks-usage.yaml; a mismatch becomes a 500 naming it',
    parse: bool,
  },
  {
    env: 'WORLD_SCALE',
    flag: '--world-scale',
    key: 'worldScale',
    default: '1',
    help: 'multiply the series (keys, deployments, jobs) of every synthetic account',
    parse: integer(1, 1000),
  },
]

export function helpText(): string {
  // Columns as wide as their widest entry, so a long name never runs into the next column.
  const flagOf = (s: Setting) => `${s.flag}${s.boolean ? '' : ' <value>'}`
  const rows: [string, string, string, string][] = [
    ['flag', 'env', 'default', 'meaning'],
    ...SETTINGS.map((s): [string, string, string, string] => [flagOf(s), s.env, s.default || '-', s.help]),
    ['--help', '', '', 'print this help'],
  ]
  const width = (i: number) => Math.max(...rows.map(r => r[i]!.length)) + 2
  const [w0, w1, w2] = [width(0), width(1), width(2)]
  return [
    'Usage: fireworks-usage-mock [options]',
    '',
    'A mock of the Fireworks AI account-usage API. Each option can also be set by its environment variable.',
    '',
    ...rows.map(([flag, env, def, help]) => `  ${flag.padEnd(w0)}${env.padEnd(w1)}${def.padEnd(w2)}${help}`.trimEnd()),
  ].join('\n')
}

export type ConfigResult = { help: true } | { help: false; config: Config }

/** Parses every setting from its text; `source` names where a text came from, for the error. */
function resolve(textOf: (s: Setting) => { text: string; source: string }): Config {
  const config: Record<string, unknown> = {}
  for (const s of SETTINGS) {
    const { text, source } = textOf(s)
    try {
      config[s.key] = s.parse(text)
    } catch (err) {
      throw new ConfigError(`invalid ${source} ${JSON.stringify(text)}: ${(err as Error).message}`)
    }
  }
  return Object.freeze(config as unknown as Config)
}

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const fromFlags = new Map<Setting, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') return { help: true }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined]
    const setting = SETTINGS.find(s => s.flag === flag)
    if (!setting) throw new ConfigError(`unknown option ${arg} (see --help)`)
    let value = inline
    if (value === undefined) {
      const next = argv[i + 1]
      if (setting.boolean && (next === undefined || next.startsWith('--'))) value = 'true'
      else if (next === undefined) throw new ConfigError(`${flag} needs a value`)
      else value = argv[++i]
    }
    fromFlags.set(setting, value as string)
  }
  const config = resolve(s => {
    const flag = fromFlags.get(s)
    if (flag !== undefined) return { text: flag, source: s.flag }
    const fromEnv = env[s.env]
    return fromEnv !== undefined ? { text: fromEnv, source: s.env } : { text: s.default, source: `${s.env} default` }
  })
  return { help: false, config }
}

/** An in-process option's value: the flag's text, or a number or boolean written as that text. */
export type OptionValue = string | number | boolean | null

/**
 * The in-process API's options (startMockServer): any setting of the table, camelCased, with
 * the same text its flag takes (`rateLimit: '2/s'`), or a number or boolean (`port: 0`,
 * `strictParams: true`); null or '' is the flag's empty value. `defaults` replace the table's
 * defaults. An unknown option or a malformed value throws a ConfigError naming it.
 */
export function configFromOptions(
  options: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, string>> = {},
): Config {
  const keys = SETTINGS.map(s => s.key as string)
  for (const key of Object.keys(options))
    if (!keys.includes(key))
      throw new ConfigError(`unknown option ${JSON.stringify(key)}; the options are ${keys.join(', ')}`)
  return resolve(s => {
    const value = options[s.key]
    if (value === undefined) return { text: defaults[s.key] ?? s.default, source: `option ${s.key} default` }
    if (value === null) return { text: '', source: `option ${s.key}` }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return { text: String(value), source: `option ${s.key}` }
    throw new ConfigError(
      `invalid option ${s.key}: must be a string, a number or a boolean (as for ${s.flag}), got ${typeof value}`,
    )
  })
}

/** A config for tests and in-process use: the defaults with overrides. */
export function configWith(overrides: Partial<Config> = {}): Config {
  const result = loadConfig([], {})
  if (result.help) throw new Error('unreachable')
  return Object.freeze({ ...result.config, ...overrides })
}
