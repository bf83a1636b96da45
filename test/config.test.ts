import { join } from 'node:path'
import t from 'tap'
import { ConfigError, configFromOptions, helpText, loadConfig } from '../server/config.js'
import { SETTINGS } from '../server/settings.js'

const load = (argv: string[], env: Record<string, string> = {}) => {
  const r = loadConfig(argv, env)
  if (r.help) throw new Error('help')
  return r.config
}
const errorOf = (argv: string[], env: Record<string, string> = {}) => {
  try {
    loadConfig(argv, env)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  return 'no error'
}

t.test('defaults', async t => {
  t.same(load([]), {
    port: 8080,
    host: '127.0.0.1',
    seed: 20260101,
    now: null,
    usageLag: { delayMs: 0, settleMs: 0, text: '0' },
    fixtures: null,
    synthetic: 'on',
    logLevel: 'info',
    logFormat: 'auto',
    readyFile: null,
    strictParams: false,
    filters: 'apply',
    worldScale: 1,
    journalSize: 1000,
    rateLimit: null,
    auth: 'strict',
    adminToken: null,
    admin: 'on',
    sessionTtl: { ms: 1_800_000, text: '30m' },
    maxSessions: 1000,
    sumsMb: 32,
    cacheMb: 64,
    benchRoutes: false,
    validateResponses: false,
  })
  t.ok(Object.isFrozen(load([])))
})

t.test('flags win over environment variables, which win over defaults', async t => {
  t.equal(load(['--port', '9000'], { PORT: '9100' }).port, 9000)
  t.equal(load(['--port=9001'], { PORT: '9100' }).port, 9001)
  t.equal(load([], { PORT: '9100' }).port, 9100)
  t.equal(load([], { NOW: '2026-06-01T00:00:00Z' }).now, Date.UTC(2026, 5, 1))
  t.equal(load(['--strict-params']).strictParams, true)
  t.equal(load(['--strict-params', '--port', '1']).strictParams, true)
  t.equal(load(['--strict-params=false']).strictParams, false)
  const fx = t.testdir({ 'a.ndjson': '' })
  t.equal(load(['--fixtures', fx]).fixtures, fx)
  t.equal(load(['--filters', 'ignore']).filters, 'ignore')
  t.same(load([], { RATE_LIMIT: '60/min' }).rateLimit, { max: 60, windowMs: 60_000, text: '60/min' })
  t.same(load([], { RATE_LIMIT: '5/10s' }).rateLimit, { max: 5, windowMs: 10_000, text: '5/10s' })
  t.same(load([], { RATE_LIMIT: '1000/h' }).rateLimit, { max: 1000, windowMs: 3_600_000, text: '1000/h' })
  t.equal(load([], { RATE_LIMIT: 'off' }).rateLimit, null)
  t.same(load(['--usage-lag', '2h/26h']).usageLag, { delayMs: 7_200_000, settleMs: 93_600_000, text: '2h/26h' })
  t.same(load([], { USAGE_LAG: '0/1d' }).usageLag, { delayMs: 0, settleMs: 86_400_000, text: '0/1d' })
})

t.test('a bad value names the setting and the value', async t => {
  t.equal(errorOf(['--port', 'abc']), 'invalid --port "abc": must be an integer from 0 to 65535')
  t.equal(errorOf([], { PORT: '70000' }), 'invalid PORT "70000": must be an integer from 0 to 65535')
  t.equal(errorOf([], { SEED: '-1' }), 'invalid SEED "-1": must be an integer from 0 to 4294967295')
  t.equal(
    errorOf([], { NOW: '2026-06-01' }),
    'invalid NOW "2026-06-01": must be an RFC 3339 timestamp such as 2026-06-01T00:00:00Z',
  )
  t.equal(
    errorOf([], { LOG_LEVEL: 'loud' }),
    'invalid LOG_LEVEL "loud": must be one of fatal, error, warn, info, debug, trace, silent',
  )
  t.equal(errorOf([], { FILTERS: 'maybe' }), 'invalid FILTERS "maybe": must be one of apply, ignore')
  t.equal(
    errorOf([], { STRICT_PARAMS: 'perhaps' }),
    'invalid STRICT_PARAMS "perhaps": must be true, false, 1, 0, yes or no',
  )
  t.equal(errorOf([], { RATE_LIMIT: '60' }), 'invalid RATE_LIMIT "60": must be like 60/min, 10/s or 1000/h (or off)')
  t.equal(
    errorOf([], { RATE_LIMIT: '0/min' }),
    'invalid RATE_LIMIT "0/min": must be like 60/min, 10/s or 1000/h (or off)',
  )
  t.equal(errorOf([], { AUTH: 'none' }), 'invalid AUTH "none": must be one of strict, any')
  t.equal(errorOf([], { JOURNAL_SIZE: '-1' }), 'invalid JOURNAL_SIZE "-1": must be an integer from 0 to 1000000')
  t.match(
    errorOf([], { USAGE_LAG: '26h/2h' }),
    /^invalid USAGE_LAG "26h\/2h": must be 0 or <delay>\/<settle> like 2h\/26h: each 0 or whole seconds/,
  )
  t.equal(errorOf(['--bogus']), 'unknown option --bogus (see --help)')
  t.equal(errorOf(['--prot', '9000']), 'unknown option --prot (did you mean "--port"?) (see --help)')
  t.equal(
    errorOf(['--strict_params=true']),
    'unknown option --strict_params=true (did you mean "--strict-params"?) (see --help)',
  )
  t.equal(errorOf(['--port']), '--port needs a value')
})

t.test(
  'a fixtures folder that is not there is refused in words, by the setting as given, with the folder resolved',
  async t => {
    const missing = join(process.cwd(), 'fixtures', 'exmaples')
    t.equal(
      errorOf([], { FIXTURES: 'fixtures/exmaples' }),
      `invalid FIXTURES "fixtures/exmaples": no such folder: ${missing}`,
    )
    t.equal(
      errorOf(['--fixtures', 'fixtures/exmaples']),
      `invalid --fixtures "fixtures/exmaples": no such folder: ${missing}`,
    )
    t.throws(() => configFromOptions({ fixtures: 'fixtures/exmaples' }), {
      name: 'ConfigError',
      message: `invalid option fixtures "fixtures/exmaples": no such folder: ${missing}`,
    })
    const root = t.testdir({ notes: { 'a.jsonl': '' } })
    t.equal(
      errorOf([], { FIXTURES: `${root}/notes` }),
      `invalid FIXTURES "${root}/notes": no *.json or *.ndjson fixture file in ${root}/notes (found only a.jsonl)`,
    )
    t.equal(load([], { FIXTURES: '' }).fixtures, null, 'empty is none')
  },
)

t.test('--help lists every setting with its environment variable and default', async t => {
  t.same(loadConfig(['--port', '1', '--help'], {}), { help: true })
  const text = helpText()
  for (const s of SETTINGS) {
    t.match(text, s.flag)
    t.match(text, s.env)
  }
  t.match(text, /--port <value>\s+PORT\s+8080/)
})

t.test('--help: every column is wider than its longest entry', async t => {
  const line = helpText()
    .split('\n')
    .find(l => l.includes('VALIDATE_RESPONSES'))
  t.match(line, /^ {2}--validate-responses +VALIDATE_RESPONSES {2,}false {2,}check every response/)
})

t.test('in-process options: the same texts as the flags, numbers and booleans as their text', async t => {
  const config = configFromOptions({
    rateLimit: '2/s',
    port: 0,
    strictParams: true,
    adminToken: null,
    now: '2026-06-01T00:00:00Z',
  })
  t.same(config.rateLimit, { max: 2, windowMs: 1000, text: '2/s' })
  t.equal(config.port, 0)
  t.equal(config.strictParams, true)
  t.equal(config.adminToken, null)
  t.equal(config.now, Date.UTC(2026, 5, 1))
  t.equal(configFromOptions({}, { logLevel: 'silent' }).logLevel, 'silent', 'defaults of the caller replace the table')
  t.equal(configFromOptions({ logLevel: 'warn' }, { logLevel: 'silent' }).logLevel, 'warn')
  t.throws(() => configFromOptions({ strict: true }), {
    message: /^unknown option "strict"; the options are port, host, seed/,
  })
  t.throws(() => configFromOptions({ rateLimt: '2/s' }), {
    message: /^unknown option "rateLimt" \(did you mean "rateLimit"\?\); the options are port, host, seed/,
  })
  t.throws(() => configFromOptions({ journalSize: 1.5 }), {
    message: 'invalid option journalSize "1.5": must be an integer from 0 to 1000000',
  })
  t.throws(() => configFromOptions({ filters: ['apply'] }), {
    message: 'invalid option filters: must be a string, a number or a boolean (as for --filters), got object',
  })
})
