// readMockHeaders called directly: x-mock-now, x-mock-status and x-mock-delay-ms, each read
// strictly, each refusal naming the header and the bad value.
import t from 'tap'
import { ApiError } from '../../server/errors.js'
import { readMockHeaders } from '../../server/pipeline/mock-headers.js'

type Headers = Record<string, string | string[] | undefined>

function refusal(headers: Headers): string {
  try {
    readMockHeaders(headers)
  } catch (err) {
    if (err instanceof ApiError && err.code === 3) return err.message
    throw err
  }
  return 'accepted'
}

t.test('no mock header: nothing to do; other headers are not looked at', async t => {
  t.same(readMockHeaders({}), {})
  t.same(readMockHeaders({ authorization: 'Bearer x', 'x-mock-other': 'y', 'x-mock-now': undefined }), {})
})

t.test('x-mock-now pins the clock to an RFC 3339 instant (epoch milliseconds)', async t => {
  t.same(readMockHeaders({ 'x-mock-now': '2026-06-01T00:00:00Z' }), { now: Date.UTC(2026, 5, 1) })
  t.same(readMockHeaders({ 'x-mock-now': '2026-06-01T02:00:00+02:00' }), { now: Date.UTC(2026, 5, 1) })
  t.same(readMockHeaders({ 'x-mock-now': '2026-05-31T23:59:59.123456789Z' }), {
    now: Date.UTC(2026, 4, 31, 23, 59, 59, 123),
  })
})

t.test('an x-mock-now that is not RFC 3339 is refused, naming the value', async t => {
  for (const text of ['2026-06-01', '2026-06-01 00:00:00Z', '2026-02-30T00:00:00Z', 'now', ''])
    t.equal(
      refusal({ 'x-mock-now': text }),
      `invalid x-mock-now header ${JSON.stringify(text)}: must be an RFC 3339 timestamp such as 2026-06-01T00:00:00Z`,
      JSON.stringify(text),
    )
})

t.test('x-mock-status is an integer from 400 to 599', async t => {
  t.same(readMockHeaders({ 'x-mock-status': '400' }), { status: 400 })
  t.same(readMockHeaders({ 'x-mock-status': '599' }), { status: 599 })
  t.same(readMockHeaders({ 'x-mock-status': '502' }), { status: 502 })
  for (const text of ['399', '600', '200', '-500', '+500', '500.0', '5e2', ' 500', '0x1f4', '', 'abc'])
    t.equal(
      refusal({ 'x-mock-status': text }),
      `invalid x-mock-status header ${JSON.stringify(text)}: must be an integer from 400 to 599`,
      JSON.stringify(text),
    )
})

t.test('x-mock-delay-ms is an integer from 0 to 60000', async t => {
  t.same(readMockHeaders({ 'x-mock-delay-ms': '0' }), { delayMs: 0 })
  t.same(readMockHeaders({ 'x-mock-delay-ms': '60000' }), { delayMs: 60_000 })
  for (const text of ['60001', '-1', '1.5', '1e3', '99999999999999999999', ''])
    t.equal(
      refusal({ 'x-mock-delay-ms': text }),
      `invalid x-mock-delay-ms header ${JSON.stringify(text)}: must be an integer from 0 to 60000`,
      JSON.stringify(text),
    )
})

t.test('all three together', async t => {
  t.same(readMockHeaders({ 'x-mock-now': '2026-06-01T00:00:00Z', 'x-mock-status': '503', 'x-mock-delay-ms': '250' }), {
    now: Date.UTC(2026, 5, 1),
    status: 503,
    delayMs: 250,
  })
})

t.test('a header given twice is refused, whether it arrives as a list or joined by a comma', async t => {
  // Raw header lists (and some clients of inject) give an array; Node's parser joins repeats of
  // an unknown header with ", ", which no mock header accepts as one value.
  for (const name of ['x-mock-now', 'x-mock-status', 'x-mock-delay-ms'])
    t.equal(refusal({ [name]: ['1', '2'] }), `${name} must be given once`, name)
  t.equal(
    refusal({ 'x-mock-status': '500, 503' }),
    'invalid x-mock-status header "500, 503": must be an integer from 400 to 599',
  )
  t.match(refusal({ 'x-mock-now': '2026-06-01T00:00:00Z, 2026-06-02T00:00:00Z' }), /^invalid x-mock-now header /)
})

t.test('x-mock-now is read first, then the status, then the delay', async t => {
  t.match(refusal({ 'x-mock-now': 'x', 'x-mock-status': '1', 'x-mock-delay-ms': '-1' }), /^invalid x-mock-now /)
  t.match(refusal({ 'x-mock-status': '1', 'x-mock-delay-ms': '-1' }), /^invalid x-mock-status /)
})
