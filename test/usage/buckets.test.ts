import t from 'tap'
import { bucketIndex, bucketsFor } from '../../server/usage/buckets.js'

const at = (s: string) => Date.parse(s)
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
const show = (zone: string, from: string, to: string) =>
  bucketsFor(at(from), at(to), zone).map(b => [iso(b.startMs), iso(b.endMs)])

t.test('UTC days run midnight to midnight, first and last clipped to the window', async t => {
  t.same(show('UTC', '2026-05-01T10:00:00Z', '2026-05-03T06:00:00Z'), [
    ['2026-05-01T10:00:00Z', '2026-05-02T00:00:00Z'],
    ['2026-05-02T00:00:00Z', '2026-05-03T00:00:00Z'],
    ['2026-05-03T00:00:00Z', '2026-05-03T06:00:00Z'],
  ])
})

t.test('Los Angeles spring-forward day (2026-03-08) is 23 hours, in PST then PDT', async t => {
  t.same(show('America/Los_Angeles', '2026-03-07T08:00:00Z', '2026-03-10T07:00:00Z'), [
    ['2026-03-07T08:00:00Z', '2026-03-08T08:00:00Z'],
    ['2026-03-08T08:00:00Z', '2026-03-09T07:00:00Z'], // 23 hours
    ['2026-03-09T07:00:00Z', '2026-03-10T07:00:00Z'],
  ])
})

t.test('Los Angeles fall-back day (2026-11-01) is 25 hours', async t => {
  const b = bucketsFor(at('2026-11-01T07:00:00Z'), at('2026-11-02T08:00:00Z'), 'America/Los_Angeles')
  t.equal(b.length, 1)
  t.equal(b[0]!.endMs - b[0]!.startMs, 25 * 3600_000)
  t.equal(iso(b[0]!.startMs), '2026-11-01T07:00:00Z')
  t.equal(iso(b[0]!.endMs), '2026-11-02T08:00:00Z')
})

t.test('Asia/Kathmandu (+05:45) days start at 18:15Z the day before', async t => {
  t.same(show('Asia/Kathmandu', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'), [
    ['2026-05-01T00:00:00Z', '2026-05-01T18:15:00Z'],
    ['2026-05-01T18:15:00Z', '2026-05-02T00:00:00Z'],
  ])
})

t.test('Pacific/Kiritimati (+14) days start at 10:00Z the day before', async t => {
  t.same(show('Pacific/Kiritimati', '2026-05-01T10:00:00Z', '2026-05-03T10:00:00Z'), [
    ['2026-05-01T10:00:00Z', '2026-05-02T10:00:00Z'],
    ['2026-05-02T10:00:00Z', '2026-05-03T10:00:00Z'],
  ])
})

t.test('a day whose midnight does not exist starts at 01:00 local (America/Santiago, 2026-09-06)', async t => {
  // Chile springs forward at 24:00 on Saturday 2026-09-05: Sunday starts at 01:00 -03 = 04:00Z.
  const b = show('America/Santiago', '2026-09-05T04:00:00Z', '2026-09-07T03:00:00Z')
  t.same(b, [
    ['2026-09-05T04:00:00Z', '2026-09-06T04:00:00Z'],
    ['2026-09-06T04:00:00Z', '2026-09-07T03:00:00Z'], // 23 hours
  ])
})

t.test('bucketIndex finds the bucket holding an instant, boundaries belong to the later bucket', async t => {
  const b = bucketsFor(at('2026-05-01T00:00:00Z'), at('2026-05-04T00:00:00Z'), 'UTC')
  t.equal(bucketIndex(b, at('2026-05-01T00:00:00Z')), 0)
  t.equal(bucketIndex(b, at('2026-05-01T23:59:59.999Z')), 0)
  t.equal(bucketIndex(b, at('2026-05-02T00:00:00Z')), 1)
  t.equal(bucketIndex(b, at('2026-05-03T23:00:00Z')), 2)
})
