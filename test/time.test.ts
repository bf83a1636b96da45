import t from 'tap'
import { ceilMs, formatUtcSeconds, parseRfc3339 } from '../server/time.js'

t.test('RFC 3339 timestamps that grpc-gateway accepts parse to the exact instant', async t => {
  const cases: [string, number, number][] = [
    ['2026-05-01T00:00:00Z', Date.UTC(2026, 4, 1), 0],
    ['2026-05-01T00:00:00.5Z', Date.UTC(2026, 4, 1) + 500, 0],
    ['2026-05-01T00:00:00.123456789Z', Date.UTC(2026, 4, 1) + 123, 456789],
    ['2026-05-01T05:45:00+05:45', Date.UTC(2026, 4, 1), 0],
    ['2026-04-30T17:00:00-07:00', Date.UTC(2026, 4, 1), 0],
    ['2024-02-29T23:59:59Z', Date.UTC(2024, 1, 29, 23, 59, 59), 0],
    ['0001-01-01T00:00:00Z', -62135596800000, 0],
  ]
  for (const [text, ms, subNs] of cases) t.same(parseRfc3339(text), { ms, subNs }, text)
})

t.test('anything else is rejected', async t => {
  for (const text of [
    '2026-05-01',
    '2026-05-01T00:00:00',
    '2026-05-01 00:00:00Z',
    '2026-05-01t00:00:00z',
    '2026-13-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-05-01T24:00:00Z',
    '2026-05-01T00:60:00Z',
    '2026-05-01T00:00:60Z',
    '2026-05-01T00:00:00.1234567890Z',
    '2026-05-01T00:00:00+24:00',
    '2026-05-01T00:00:00+0500',
    '1776',
    '',
    '0000-12-31T23:59:59Z',
  ])
    t.equal(parseRfc3339(text), null, JSON.stringify(text))
})

t.test('sub-millisecond bounds round up to the next whole millisecond', async t => {
  t.equal(ceilMs(parseRfc3339('2026-05-01T00:00:00.0000001Z')!), Date.UTC(2026, 4, 1) + 1)
  t.equal(ceilMs(parseRfc3339('2026-05-01T00:00:00.001Z')!), Date.UTC(2026, 4, 1) + 1)
})

t.test('row bounds print in UTC with Z and no fraction', async t => {
  t.equal(formatUtcSeconds(Date.UTC(2026, 6, 4, 7, 0, 0, 999)), '2026-07-04T07:00:00Z')
})
