// The table of settings on its own: one entry per setting, defaults that parse, and what each kind
// of value accepts and refuses at its edges (config.test.ts tests reading flags and variables).
import t from 'tap'
import { SETTINGS, type Setting } from '../server/settings.js'

const setting = (env: string): Setting => SETTINGS.find(s => s.env === env)!
const refusal = (env: string, text: string): string | undefined => {
  try {
    setting(env).parse(text)
  } catch (err) {
    return (err as Error).message
  }
  return undefined
}

t.test('each setting has its own flag, variable and field, and a default that parses', async t => {
  for (const field of ['env', 'flag', 'key'] as const)
    t.equal(new Set(SETTINGS.map(s => s[field])).size, SETTINGS.length, `${field} values are unique`)
  for (const s of SETTINGS) t.doesNotThrow(() => s.parse(s.default), `${s.env} default "${s.default}"`)
  t.ok(
    SETTINGS.every(s => s.flag === `--${s.env.toLowerCase().replace(/_/g, '-')}`),
    'flags spell the variables',
  )
})

t.test('integers: whole decimal numbers within the bounds only', async t => {
  t.equal(setting('PORT').parse('0'), 0)
  t.equal(setting('PORT').parse('65535'), 65535)
  for (const text of ['65536', '-1', '1e3', ' 80', '80.0', ''])
    t.equal(refusal('PORT', text), 'must be an integer from 0 to 65535', JSON.stringify(text))
})

t.test('durations: a whole number and a unit, at least one second', async t => {
  const ms = (text: string) => (setting('SESSION_TTL').parse(text) as { ms: number }).ms
  t.same([ms('1000ms'), ms('90s'), ms('30m'), ms('2h'), ms('1d')], [1000, 90_000, 1_800_000, 7_200_000, 86_400_000])
  for (const text of ['999ms', '0s', '1.5h', '30', 'm', '30 m'])
    t.equal(refusal('SESSION_TTL', text), 'must be a duration of at least 1 s like 90s, 30m, 2h or 1d', text)
})

t.test('rates: requests per window, a window of at least one unit', async t => {
  const rate = (text: string) => setting('RATE_LIMIT').parse(text)
  t.same(rate('10/s'), { max: 10, windowMs: 1000, text: '10/s' })
  t.same(rate('100/5min'), { max: 100, windowMs: 300_000, text: '100/5min' })
  t.same(rate('1000/hour'), { max: 1000, windowMs: 3_600_000, text: '1000/hour' })
  t.equal(rate('off'), null)
  t.equal(rate(''), null)
  for (const text of ['0/s', '10/0s', '10/00min', '10', '10/day', '-1/s'])
    t.equal(refusal('RATE_LIMIT', text), 'must be like 60/min, 10/s or 1000/h (or off)', text)
})

t.test('booleans: true, 1, yes and false, 0, no', async t => {
  t.same(
    ['true', '1', 'yes', 'false', '0', 'no'].map(text => setting('STRICT_PARAMS').parse(text)),
    [true, true, true, false, false, false],
  )
  t.equal(refusal('STRICT_PARAMS', 'TRUE'), 'must be true, false, 1, 0, yes or no')
})
