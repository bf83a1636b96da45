// The message catalogue called directly: what the HTTP tests cannot reach (the code each message
// goes with, the internal ones), and the parts a message takes from its caller. The texts
// themselves are asserted where they are thrown (test/usage, test/mock, test/http).
import t from 'tap'
import { ApiError } from '../server/errors.js'
import {
  accountScopeNeedsAdmin,
  amountNotExact,
  badUsageLag,
  hourlySumTooLarge,
  injectedFault,
  notTimestamp,
  required,
  tooManySessions,
  unknownEnumValue,
} from '../server/messages.js'

t.test('a value is quoted as JSON, so odd characters and an empty value stay visible', async t => {
  t.equal(
    notTimestamp('start_time', 'a"b\n').message,
    'invalid start_time "a\\"b\\n": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
  )
  t.equal(notTimestamp('end_time', '').message.slice(0, 19), 'invalid end_time ""')
})

t.test('each message comes with its code, and the status follows from the code', async t => {
  const cases: [ApiError, number, number][] = [
    [required('start_time'), 3, 400],
    [accountScopeNeedsAdmin('accounts/acme/users/ada'), 7, 403],
    [tooManySessions(2, '30m'), 8, 429],
    [hourlySumTooLarge(2 ** 53 + 2), 13, 500],
    [amountNotExact(0.5), 13, 500],
  ]
  for (const [err, code, status] of cases) {
    t.ok(err instanceof ApiError, err.message)
    t.equal(err.code, code, err.message)
    t.equal(err.httpStatus, status, err.message)
  }
})

t.test('an injected fault keeps the status it was given, and says it was injected unless told otherwise', async t => {
  const plain = injectedFault(13, 502)
  t.same([plain.code, plain.httpStatus, plain.message], [13, 502, 'injected fault: HTTP 502'])
  const told = injectedFault(14, 503, 'try later')
  t.same([told.code, told.httpStatus, told.message], [14, 503, 'try later'])
})

t.test('a missing parameter lists the ignored ones with their hints, one or several', async t => {
  t.equal(
    required('start_time', [{ param: 'startime', hint: ' (did you mean "startTime"?)' }]).message,
    'start_time is required; ignored unknown parameter "startime" (did you mean "startTime"?)',
  )
  t.equal(
    required('end_time', [
      { param: 'a', hint: '' },
      { param: 'b', hint: '' },
    ]).message,
    'end_time is required; ignored unknown parameters "a", "b"',
  )
})

t.test('an enum message offers the numbers of the names it is given', async t => {
  t.equal(
    unknownEnumValue('granularity', 'x', ['U', 'D']).message,
    'invalid granularity "x": must be one of U, D or 0-1',
  )
  t.match(unknownEnumValue('usage_type', '9', ['A', 'B', 'C', 'D']).message, / or 0-3$/)
})

t.test(
  'the usage-lag rule is a plain Error (a setting or a control words it) naming the longest settle time',
  async t => {
    const err = badUsageLag(7)
    t.notOk(err instanceof ApiError)
    t.match(err.message, /^must be 0 or <delay>\/<settle> like 2h\/26h: .*, the settle time at most 7d$/)
  },
)
