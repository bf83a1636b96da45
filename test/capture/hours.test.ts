// Spreading a day over its hours by the daily rhythm: shares computed by hand from the rhythm's
// weights in hundredths (55, 45, 38, ... from 00:00 UTC; 1559 in all), integers that sum exactly.
import t from 'tap'
import { apportion, hourStamps, spreadOverHours } from '../../server/capture/hours.js'

const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
const DAY = [55, 45, 38, 32, 30, 30, 32, 38, 45, 52, 60, 68, 76, 85, 95, 100, 100, 98, 95, 90, 85, 78, 70, 62]

t.test('a whole UTC day of 1559 units gets exactly the weights, hour by hour', async t => {
  const hours = spreadOverHours(at('2026-05-28T00:00:00Z'), at('2026-05-29T00:00:00Z'), { tokens: 1559 })
  t.same(
    hours.map(h => h.amounts.tokens),
    DAY,
  )
  t.same(iso(hours[0]!.time), '2026-05-28T00:00:00Z')
  t.same(iso(hours[23]!.time), '2026-05-28T23:00:00Z')
})

t.test('largest remainders: 10 over 00:00-03:00 (weights 55, 45, 38) is 4, 3, 3', async t => {
  // 10 x 55/138 = 3.99, 10 x 45/138 = 3.26, 10 x 38/138 = 2.75: floors 3, 3, 2; two left over
  // go to the largest remainders, the first and the third hour.
  t.same(apportion(10, [55n, 45n, 38n]), [4, 3, 3])
  t.same(apportion(1, [30n, 30n]), [1, 0], 'a tie goes to the earlier hour')
  t.same(apportion(0, [55n, 45n]), [0, 0])
  const big = 2 ** 53 - 1
  const shares = apportion(big, [55n, 45n, 38n])
  t.equal(
    shares.reduce((a, b) => a + b, 0),
    big,
    'exact up to 2^53',
  )
})

t.test('the stamps of a span: hour starts before its end, the first clipped to its start', async t => {
  t.same(hourStamps(at('2026-11-24T00:00:00Z'), at('2026-11-24T05:30:00Z')).map(iso), [
    '2026-11-24T00:00:00Z',
    '2026-11-24T01:00:00Z',
    '2026-11-24T02:00:00Z',
    '2026-11-24T03:00:00Z',
    '2026-11-24T04:00:00Z',
    '2026-11-24T05:00:00Z',
  ])
  t.same(hourStamps(at('2026-11-24T10:20:00Z'), at('2026-11-24T12:00:00Z')).map(iso), [
    '2026-11-24T10:20:00Z',
    '2026-11-24T11:00:00Z',
  ])
  t.same(hourStamps(at('2026-11-24T10:20:00Z'), at('2026-11-24T10:20:00Z')).map(iso), ['2026-11-24T10:20:00Z'])
})

t.test('hours that get nothing are left out, but a row of zeros keeps one record', async t => {
  // 1 unit over a day: every share rounds down to 0; the unit goes to the largest weight, 100
  // at 15:00 (the earlier of the two).
  const one = spreadOverHours(at('2026-05-28T00:00:00Z'), at('2026-05-29T00:00:00Z'), { tokens: 1, seconds: 0 })
  t.same(
    one.map(h => [iso(h.time), h.amounts]),
    [['2026-05-28T15:00:00Z', { tokens: 1, seconds: 0 }]],
  )
  const zero = spreadOverHours(at('2026-05-28T06:00:00Z'), at('2026-05-28T09:00:00Z'), { tokens: 0 })
  t.same(
    zero.map(h => [iso(h.time), h.amounts]),
    [['2026-05-28T06:00:00Z', { tokens: 0 }]],
  )
})
