// The shape of synthetic traffic over time: weekdays from hours since 1970, the daily rhythm and
// its weekend dip, and the noise tables.
import t from 'tap'
import {
  LOGNORMAL_10,
  LOGNORMAL_20,
  LOGNORMAL_25,
  LOGNORMAL_30,
  NORMAL,
  noiseIndex,
  rhythm,
  weekdayOf,
} from '../../../server/data/synthetic/noise.js'

const HOUR = 3_600_000
const hourOf = (text: string) => Date.parse(text) / HOUR

t.test('1970-01-01 was a Thursday: weekdayOf counts from there, 0 being Sunday', async t => {
  t.equal(weekdayOf(0), 4)
  t.equal(weekdayOf(23), 4, 'the last hour of that Thursday')
  t.equal(weekdayOf(24), 5, 'Friday')
  t.equal(weekdayOf(72), 0, 'Sunday 1970-01-04')
  t.equal(weekdayOf(hourOf('2026-05-30T12:00:00Z')), 6, 'Saturday 2026-05-30')
  t.equal(weekdayOf(hourOf('2026-06-01T00:00:00Z')), 1, 'Monday 2026-06-01')
})

t.test('weekdayOf agrees with the calendar hour by hour over two weeks', async t => {
  const start = hourOf('2026-10-29T00:00:00Z')
  const hours = Array.from({ length: 14 * 24 }, (_, i) => start + i)
  t.same(
    hours.map(weekdayOf),
    hours.map(h => new Date(h * HOUR).getUTCDay()),
  )
})

t.test('rhythm peaks in US working hours and dips to 45% at weekends', async t => {
  // Friday 2026-05-29 and Saturday 2026-05-30, Sunday 05-31, Monday 06-01 (UTC)
  t.equal(rhythm(hourOf('2026-05-29T15:00:00Z')), 1, 'the weekday peak')
  t.equal(rhythm(hourOf('2026-05-30T15:00:00Z')), 0.45, 'Saturday at the same hour')
  t.equal(rhythm(hourOf('2026-05-31T16:00:00Z')), 0.45, 'Sunday at the other peak hour')
  t.equal(rhythm(hourOf('2026-06-01T04:00:00Z')), 0.3, 'the Monday trough')
  t.equal(rhythm(hourOf('2026-05-30T04:00:00Z')), 0.3 * 0.45, 'the Saturday trough')
  t.equal(rhythm(hourOf('2026-05-29T23:00:00Z')), 0.62, 'Friday 23:00 is a weekday hour')
  t.equal(rhythm(hourOf('2026-05-30T00:00:00Z')), 0.55 * 0.45, 'Saturday 00:00 UTC is weekend')
})

t.test('the noise tables: 4096 standard normals and their log-normal factors', async t => {
  t.equal(NORMAL.length, 4096)
  const mean = NORMAL.reduce((a, b) => a + b, 0) / NORMAL.length
  const variance = NORMAL.reduce((a, z) => a + (z - mean) ** 2, 0) / NORMAL.length
  // standard errors with 4096 draws: 0.016 for the mean, about 0.022 for the variance
  t.ok(Math.abs(mean) < 0.06, `mean ${mean}`)
  t.ok(Math.abs(variance - 1) < 0.09, `variance ${variance}`)
  for (const [table, sigma] of [
    [LOGNORMAL_30, 0.3],
    [LOGNORMAL_25, 0.25],
    [LOGNORMAL_20, 0.2],
    [LOGNORMAL_10, 0.1],
  ] as const) {
    t.equal(table.length, 4096)
    for (const i of [0, 1, 2047, 4095])
      t.ok(Math.abs((table[i] as number) - Math.exp(sigma * (NORMAL[i] as number))) < 1e-12, `sigma ${sigma} [${i}]`)
  }
})

t.test('noiseIndex is a deterministic index into the tables', async t => {
  const indices = Array.from({ length: 2000 }, (_, h) => noiseIndex(12345, h, 1))
  t.same(
    indices.filter(i => !Number.isInteger(i) || i < 0 || i >= 4096),
    [],
  )
  t.same(
    Array.from({ length: 2000 }, (_, h) => noiseIndex(12345, h, 1)),
    indices,
    'the same inputs, the same indices',
  )
  // 2,000 draws over 4,096 slots spread out: about 1,600 distinct values are expected
  t.ok(new Set(indices).size > 1400, `distinct: ${new Set(indices).size}`)
  t.not(noiseIndex(12345, 7, 1), noiseIndex(12345, 7, 2), 'the salt changes the draw')
})
