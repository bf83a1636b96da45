// The 31-day limit called directly: exactly 31 x 24 hours is allowed [ours; the docs' own
// example, May 1 to June 1], anything longer is not, to the nanosecond.
import t from 'tap'
import { parseRfc3339, type Instant } from '../../server/time.js'
import { longerThanAllowed, MAX_WINDOW_DAYS, MAX_WINDOW_MS } from '../../server/usage/window.js'

const at = (text: string) => parseRfc3339(text) as Instant
const longer = (start: string, end: string) => longerThanAllowed(at(start), at(end))

t.test('the limit is 31 days of 24 hours: 2,678,400,000 ms', async t => {
  t.equal(MAX_WINDOW_DAYS, 31)
  t.equal(MAX_WINDOW_MS, 2_678_400_000)
})

t.test('exactly 31 x 24 hours is allowed (May 1 to June 1)', async t => {
  t.equal(longer('2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'), false)
  t.equal(longer('2026-05-01T00:00:00.5Z', '2026-06-01T00:00:00.5Z'), false, 'with the same fraction at both ends')
  t.equal(longer('2026-05-01T00:00:00.000000007Z', '2026-06-01T00:00:00.000000007Z'), false)
  t.equal(longer('2026-05-01T00:00:00+05:45', '2026-05-31T18:15:00Z'), false, 'offsets are only notation')
})

t.test('one millisecond or one nanosecond more is refused', async t => {
  t.equal(longer('2026-05-01T00:00:00Z', '2026-06-01T00:00:00.001Z'), true)
  t.equal(longer('2026-05-01T00:00:00Z', '2026-06-01T00:00:00.000000001Z'), true)
  t.equal(longer('2026-05-01T00:00:00.000000001Z', '2026-06-01T00:00:00.000000002Z'), true)
  t.equal(
    longer('2026-05-01T00:00:00.999999999Z', '2026-06-01T00:00:01Z'),
    true,
    '1 ns more, from the last nanosecond of a second',
  )
  t.equal(longer('2026-05-01T00:00:00.000999999Z', '2026-06-01T00:00:00.001Z'), true, '1 ns more, across a millisecond')
  t.equal(longer('2026-05-01T00:00:00.000000001Z', '2026-06-01T00:00:00Z'), false, '1 ns less')
  t.equal(longer('2026-05-01T00:00:00.001000001Z', '2026-06-01T00:00:00.001Z'), false, '1 ns less, same millisecond')
  t.equal(longer('2026-05-01T00:00:00Z', '2026-06-01T00:00:01Z'), true)
  t.equal(longer('2026-02-01T00:00:00Z', '2026-03-05T00:00:00Z'), true, '32 days')
})

t.test('shorter windows are allowed; the limit counts UTC hours, not local days', async t => {
  t.equal(longer('2026-05-01T00:00:00Z', '2026-05-31T23:59:59.999999999Z'), false)
  // Oct 15 to Nov 15 at local midnight in Los Angeles crosses the fall-back: 31 days and 1 hour.
  t.equal(longer('2026-10-15T00:00:00-07:00', '2026-11-15T00:00:00-08:00'), true)
  t.equal(longer('2026-10-15T00:00:00-07:00', '2026-11-14T23:00:00-08:00'), false)
})
