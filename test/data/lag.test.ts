// The rules of usage that arrives late (server/data/lag.ts): the USAGE_LAG text, how much of a
// synthetic hour has arrived at an instant (nothing before the delay, batches once a minute,
// never less as the clock moves, all of it from the settle time), and the linear rule of a
// fixture record's settledAt, computed here by hand.
import t from 'tap'
import {
  arrivalStep,
  explicitUnits,
  lagOf,
  NO_LAG,
  parseUsageLag,
  syntheticUnits,
  type Lag,
} from '../../server/data/lag.js'

const HOUR = 3_600_000
const MINUTE = 60_000
const at = (text: string) => Date.parse(text)
const lag = (text: string, seed = 7) => lagOf(parseUsageLag(text), seed) as Lag

t.test('USAGE_LAG is 0, or a delay and a settle time in whole s, m, h or d', async t => {
  t.equal(parseUsageLag('0'), NO_LAG)
  t.same(parseUsageLag('2h/26h'), { delayMs: 2 * HOUR, settleMs: 26 * HOUR, text: '2h/26h' })
  t.same(parseUsageLag('0/1d'), { delayMs: 0, settleMs: 24 * HOUR, text: '0/1d' })
  t.same(parseUsageLag('90s/30m'), { delayMs: 90_000, settleMs: 30 * MINUTE, text: '90s/30m' })
  t.same(parseUsageLag('3h/3h'), { delayMs: 3 * HOUR, settleMs: 3 * HOUR, text: '3h/3h' }, 'all at once, late')
  t.same(parseUsageLag('7d/7d').settleMs, 7 * 24 * HOUR, 'a week at most')
  t.equal(lagOf(parseUsageLag('0/0'), 1), undefined, '0/0 is no lag')
  t.equal(lagOf(NO_LAG, 1), undefined)
  for (const bad of ['', '2h', '26h/2h', '2h/8d', '1.5h/2h', '2h/26h/1h', '-1h/2h', '2 h/26h', '100ms/1s', 'off'])
    t.throws(() => parseUsageLag(bad), { message: /^must be 0 or <delay>\/<settle> like 2h\/26h/ }, bad)
})

t.test('a synthetic hour shows nothing until its end + delay, and all of it from its end + settle', async t => {
  const l = lag('2h/26h')
  const hour = at('2026-05-10T10:00:00Z') / HOUR // the hour 10:00-11:00, ending at 11:00
  const units = (now: string) => syntheticUnits(l, 12345, hour, at(now))
  t.equal(units('2026-05-10T11:00:00Z'), 0, 'the hour has ended, nothing published yet')
  t.equal(units('2026-05-10T12:59:59.999Z'), 0, 'a millisecond before the delay')
  const first = units('2026-05-10T13:00:00Z')
  t.ok(first >= 0 && first < 512, `at the delay, a first share below half (${first}/1024)`)
  t.equal(units('2026-05-10T13:00:59.999Z'), first, 'nothing more until the next batch, a minute later')
  // One minute of 24 hours: first + floor((1024 - first) x 60 x (2 x 86400 - 60) / 86400^2)
  const expected = first + Math.floor(((1024 - first) * 60 * (2 * 86_400 - 60)) / 86_400 ** 2)
  t.equal(units('2026-05-10T13:01:00Z'), expected, 'the second batch, by the formula')
  t.ok(units('2026-05-11T12:59:59.999Z') < 1024, 'a millisecond before settling, not all of it')
  t.equal(units('2026-05-11T13:00:00Z'), 1024, 'final at the end of the hour + 26 h')
  t.equal(units('2026-06-01T00:00:00Z'), 1024)
})

t.test('what has arrived never decreases as the clock moves, minute by minute and between', async t => {
  const l = lag('1h/5h')
  const hour = at('2026-05-10T10:00:00Z') / HOUR
  for (const series of [1, 99, 123456789, 4294967295]) {
    let last = 0
    for (let now = at('2026-05-10T11:00:00Z'); now <= at('2026-05-10T16:05:00Z'); now += 17_000) {
      const u = syntheticUnits(l, series, hour, now)
      if (u < last) t.fail(`series ${series} went from ${last} to ${u} at ${new Date(now).toISOString()}`)
      last = u
    }
    t.equal(last, 1024, `series ${series} ends whole`)
  }
})

t.test('the first share depends on the seed, the series and the hour', async t => {
  const shares = (seed: number, series: number, hour0: number) =>
    Array.from({ length: 40 }, (_, i) => {
      const hour = hour0 + i
      return syntheticUnits(lag('2h/26h', seed), series, hour, (hour + 1) * HOUR + 2 * HOUR)
    })
  const base = shares(7, 1, 500_000)
  t.ok(new Set(base).size > 20, 'hour to hour')
  t.notSame(shares(8, 1, 500_000), base, 'another seed')
  t.notSame(shares(7, 2, 500_000), base, 'another series')
  t.same(shares(7, 1, 500_000), base, 'the same inputs, the same shares')
})

t.test('arrival steps: -1 before the delay, one a minute, Infinity once settled', async t => {
  const l = lag('2h/26h')
  const hour = at('2026-05-10T10:00:00Z') / HOUR
  t.equal(arrivalStep(l, hour, at('2026-05-10T12:59:00Z')), -1)
  t.equal(arrivalStep(l, hour, at('2026-05-10T13:00:00Z')), 0)
  t.equal(arrivalStep(l, hour, at('2026-05-10T13:59:30Z')), 59)
  t.equal(arrivalStep(l, hour, at('2026-05-11T12:59:59Z')), 24 * 60 - 1)
  t.equal(arrivalStep(l, hour, at('2026-05-11T13:00:00Z')), Infinity)
})

t.test("a fixture record's settledAt: in proportion to the time since its time, in 1/1024ths", async t => {
  const time = at('2026-05-10T10:00:00Z')
  const settledAt = time + 1_024_000 // 1024 s later: one unit a second
  const units = (ms: number) => explicitUnits(time, settledAt, time + ms)
  t.equal(units(0), 0)
  t.equal(units(999), 0, 'floor(1024 x 999 / 1024000) = 0')
  t.equal(units(1000), 1)
  t.equal(units(512_000), 512)
  t.equal(units(1_023_999), 1023)
  t.equal(units(1_024_000), 1024)
  t.equal(units(5_000_000), 1024)
  t.equal(explicitUnits(time, time + 3 * HOUR, time + HOUR), 341, 'a third of the way: floor(1024 / 3)')
})
