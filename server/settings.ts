// The table of settings: each one's CLI flag, environment variable, default, parser and help
// line (config.ts reads them; --help prints them). A new setting is one entry here: its key is
// its field of Config, its parser's return type the field's type and its doc comment the
// field's (config.ts derives Config from this table, so the two cannot disagree).

import { fixtureFolderProblem } from './data/world.js'
import { parseUsageLag } from './data/lag.js'
import { parseRfc3339 } from './time.js'

/** A setting as the table writes it, under its key. */
interface Entry {
  env: string
  flag: string
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
  (text: string): T =>
    values.find(v => v === text) ?? fail(`must be one of ${values.join(', ')}`)
/** The words for yes and no, in settings and in the mock's request headers alike. */
export const BOOLEAN_WORDS = 'must be true, false, 1, 0, yes or no'
export function booleanOf(text: string): boolean | undefined {
  return ['true', '1', 'yes'].includes(text) ? true : ['false', '0', 'no'].includes(text) ? false : undefined
}
const bool = (text: string) => booleanOf(text) ?? fail(BOOLEAN_WORDS)

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
  const per = Number(m?.[2] || 1) // 100/5min: 5 minutes; 0 would be a window of no time
  if (!m || !(max >= 1) || !(per >= 1)) return fail('must be like 60/min, 10/s or 1000/h (or off)')
  return { max, windowMs: per * (WINDOWS[m[3] as string] as number), text }
}

export const DEFAULT_SEED = 20260101

// Keyed by the field of Config; written in the order --help lists them. The doc comment of an
// entry is what its Config field means (it shows on the field, through the derived type).
const TABLE = {
  port: {
    env: 'PORT',
    flag: '--port',
    default: '8080',
    help: 'TCP port to listen on (0 picks a free one)',
    parse: integer(0, 65535),
  },
  host: {
    env: 'HOST',
    flag: '--host',
    default: '127.0.0.1',
    help: 'address to listen on (the Docker image uses 0.0.0.0)',
    parse: t => (t ? t : fail('must not be empty')),
  },
  seed: {
    env: 'SEED',
    flag: '--seed',
    default: String(DEFAULT_SEED),
    help: 'seed of the synthetic world; the same seed gives the same answers',
    parse: integer(0, 4294967295),
  },
  /** Pinned clock in epoch ms; null follows the wall clock. */
  now: {
    env: 'NOW',
    flag: '--now',
    default: '',
    help: 'pin the clock to an RFC 3339 instant (default: the wall clock); nothing exists at or after now',
    parse: t =>
      t === '' ? null : (parseRfc3339(t)?.ms ?? fail('must be an RFC 3339 timestamp such as 2026-06-01T00:00:00Z')),
  },
  /** Usage that arrives late (data/lag.ts): the start-up lag of every session; `0` is none. */
  usageLag: {
    env: 'USAGE_LAG',
    flag: '--usage-lag',
    default: '0',
    help: "'<delay>/<settle>' like 2h/26h: an hour's usage shows from delay after the hour ends and is final from settle after; 0 is none",
    parse: parseUsageLag,
  },
  /** A folder of the user's fixture files, added to the default world. */
  fixtures: {
    env: 'FIXTURES',
    flag: '--fixtures',
    default: '',
    help: 'folder of *.json / *.ndjson fixture files added to the default world',
    // Checked now, so that the error names the setting as given: "invalid FIXTURES ...".
    parse: t => {
      const problem = t === '' ? undefined : fixtureFolderProblem(t)
      return problem === undefined ? t || null : fail(problem)
    },
  },
  /** 'off': only the FIXTURES folder's accounts, no synthetic world (a captured account alone). */
  synthetic: {
    env: 'SYNTHETIC',
    flag: '--synthetic',
    default: 'on',
    help: "'off' serves only the FIXTURES given: no synthetic accounts, none of the default world's fixtures",
    parse: oneOf('on', 'off'),
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: '--log-level',
    default: 'info',
    help: 'fatal, error, warn, info, debug, trace or silent',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  /** 'auto' is readable lines on a terminal and JSON lines elsewhere. */
  logFormat: {
    env: 'LOG_FORMAT',
    flag: '--log-format',
    default: 'auto',
    help: "'pretty' (readable lines), 'json' (one JSON object per line), or 'auto': pretty when stdout is a terminal",
    parse: oneOf('auto', 'pretty', 'json'),
  },
  /** Where to write {url, port, pid} once listening (a script's way to learn --port 0); null: nowhere. */
  readyFile: {
    env: 'READY_FILE',
    flag: '--ready-file',
    default: '',
    help: 'once listening, write {"url", "port", "pid"} to this file (removed at exit): how a script learns --port 0',
    parse: t => t || null,
  },
  /** Unknown query parameters become 400 instead of being ignored. */
  strictParams: {
    env: 'STRICT_PARAMS',
    flag: '--strict-params',
    default: 'false',
    boolean: true,
    help: 'reject unknown query parameters with 400 instead of ignoring them',
    parse: bool,
  },
  /** 'ignore' reproduces the live gateway, which does not apply `filter` yet. */
  filters: {
    env: 'FILTERS',
    flag: '--filters',
    default: 'apply',
    help: "'apply' the filter parameter (the documented contract) or 'ignore' it (today's live gateway)",
    parse: oneOf('apply', 'ignore'),
  },
  /** How many requests the journal keeps. */
  journalSize: {
    env: 'JOURNAL_SIZE',
    flag: '--journal-size',
    default: '1000',
    help: 'how many requests GET /_mock/requests keeps',
    parse: integer(0, 1_000_000),
  },
  /** Per API key, e.g. { max: 60, windowMs: 60000 }; null is off. */
  rateLimit: {
    env: 'RATE_LIMIT',
    flag: '--rate-limit',
    default: 'off',
    help: 'per-API-key limit like 60/min, 10/s or 1000/h; 429 with code 8 past it',
    parse: rate,
  },
  /** 'any' accepts every bearer token and invents unknown accounts from the seed. */
  auth: {
    env: 'AUTH',
    flag: '--auth',
    default: 'strict',
    help: "'strict' checks keys; 'any' accepts every bearer token and invents unknown accounts from the seed",
    parse: oneOf('strict', 'any'),
  },
  /** When set, /_mock/* (but health) requires it in x-mock-admin-token. */
  adminToken: {
    env: 'ADMIN_TOKEN',
    flag: '--admin-token',
    default: '',
    help: 'when set, /_mock/* (except health) requires it in the x-mock-admin-token header',
    parse: t => t || null,
  },
  /** 'off' removes the /_mock/* routes (but health). */
  admin: {
    env: 'ADMIN',
    flag: '--admin',
    default: 'on',
    help: "'off' removes the /_mock/* control routes (health stays)",
    parse: oneOf('on', 'off'),
  },
  /** How long a named session may stay idle (wall clock) before it expires. */
  sessionTtl: {
    env: 'SESSION_TTL',
    flag: '--session-ttl',
    default: '30m',
    help: 'a named session idle this long (wall clock) expires, like 90s, 30m, 2h',
    parse: duration,
  },
  /** How many named sessions may exist at once. */
  maxSessions: {
    env: 'MAX_SESSIONS',
    flag: '--max-sessions',
    default: '1000',
    help: 'at most this many named sessions at once; one more is a 429',
    parse: integer(1, 100_000),
  },
  /** Budget of the answer cache in MB; 0 turns it off. */
  cacheMb: {
    env: 'CACHE_MB',
    flag: '--cache-mb',
    default: '64',
    help: 'memory for cached answers (same query, same data, same bytes); 0 turns it off',
    parse: integer(0, 4096),
  },
  /** Budget of the engine's hourly sums of synthetic usage in MB; 0 generates every record per question. */
  sumsMb: {
    env: 'SUMS_MB',
    flag: '--sums-mb',
    default: '32',
    help: 'memory for hourly sums of synthetic usage that every question reuses; 0 generates every record per question',
    parse: integer(0, 4096),
  },
  /** Adds the bench-only replay routes under /_bench/ (npm run bench). */
  benchRoutes: {
    env: 'BENCH_ROUTES',
    flag: '--bench-routes',
    default: 'false',
    boolean: true,
    help: 'add the bench-only /_bench/ replay routes (used by npm run bench)',
    parse: bool,
  },
  /** Checks every response against openapi/fireworks-usage.yaml (500 on a mismatch). */
  validateResponses: {
    env: 'VALIDATE_RESPONSES',
    flag: '--validate-responses',
    default: 'false',
    boolean: true,
    help: 'check every response against openapi/fireworks-usage.yaml; a mismatch becomes a 500 naming it',
    parse: bool,
  },
  /** Multiplies the synthetic series of every default account (benchmarks of scale). */
  worldScale: {
    env: 'WORLD_SCALE',
    flag: '--world-scale',
    default: '1',
    help: 'multiply the series (keys, deployments, jobs) of every synthetic account',
    parse: integer(1, 1000),
  },
} satisfies Record<string, Entry>

/** The table's type: config.ts derives Config from it. */
export type SettingTable = typeof TABLE

/** A setting with its key (its field of Config). */
export interface Setting extends Entry {
  key: keyof SettingTable
}

/** Every setting, in the table's order (the order of --help and of the README's table). */
export const SETTINGS: readonly Setting[] = Object.entries(TABLE).map(([key, entry]) => ({
  key: key as keyof SettingTable,
  ...entry,
}))
