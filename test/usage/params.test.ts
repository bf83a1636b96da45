// Reading query parameters the way grpc-gateway fills a request message [gw], called directly
// on objects shaped as qs leaves them (strings, lists of strings, nested objects).
import t from 'tap'
import { ApiError } from '../../server/errors.js'
import {
  readControlParams,
  readParams,
  requiredTime,
  requiredWindow,
  scalar,
  stringsOf,
  type Params,
} from '../../server/usage/params.js'

const USAGE_FIELDS = ['start_time', 'end_time', 'usage_type', 'timezone', 'group_by', 'filter']

/** The INVALID_ARGUMENT message of a call, or 'no error'. */
function refusal(call: () => unknown): string {
  try {
    call()
  } catch (err) {
    if (err instanceof ApiError && err.code === 3) return err.message
    throw err
  }
  return 'no error'
}
const paramsWith = (values: Record<string, string[]>, ignored: string[] = []): Params => ({
  values: new Map(Object.entries(values)),
  filter: undefined,
  ignored,
  known: ['startTime', 'start_time', 'endTime', 'end_time', 'groupBy', 'group_by'],
})

t.test('camelCase and snake_case name the same field; values keep their order', async t => {
  const params = readParams(
    { startTime: 'a', usage_type: 'b', groupBy: ['x', 'y'], group_by: 'z', timezone: 'UTC' },
    USAGE_FIELDS,
  )
  t.same(
    [...params.values],
    [
      ['start_time', ['a']],
      ['usage_type', ['b']],
      ['group_by', ['x', 'y', 'z']],
      ['timezone', ['UTC']],
    ],
  )
  t.same(params.ignored, [])
  t.equal(params.filter, undefined)
})

t.test('filter is kept as qs parsed it, for the caller to read', async t => {
  const filter = { 'annotations.team': { values: ['a', 'b'] } }
  const params = readParams({ filter }, USAGE_FIELDS)
  t.equal(params.filter, filter)
  t.equal(params.values.has('filter'), false)
})

t.test('a singular field given twice, in one spelling or in both, is "too many values" [gw]', async t => {
  const twice = readParams({ startTime: ['2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'] }, USAGE_FIELDS)
  t.equal(
    refusal(() => scalar(twice, 'start_time')),
    'too many values for field "start_time": 2026-05-01T00:00:00Z, 2026-05-02T00:00:00Z',
  )
  const both = readParams({ usageType: 'SERVERLESS', usage_type: 'TRAINING' }, USAGE_FIELDS)
  t.equal(
    refusal(() => scalar(both, 'usage_type')),
    'too many values for field "usage_type": SERVERLESS, TRAINING',
  )
  t.equal(scalar(readParams({ timezone: 'UTC' }, USAGE_FIELDS), 'timezone'), 'UTC')
  t.equal(scalar(readParams({}, USAGE_FIELDS), 'timezone'), undefined)
  t.equal(scalar(paramsWith({ timezone: [] }), 'timezone'), undefined, 'an empty list is absent')
})

t.test('unknown parameters, and known ones this operation lacks, are ignored in order', async t => {
  const params = readParams(
    { startTime: 'a', pageSize: '5', groupBy: 'model_name', granularity: 'DAILY', constructor: 'x' },
    ['start_time', 'end_time', 'granularity'],
  )
  t.same(params.ignored, ['pageSize', 'groupBy', 'constructor'])
  t.same([...params.values.keys()], ['start_time', 'granularity'])
  const all = readParams({ granularity: 'DAILY' }, USAGE_FIELDS)
  t.same(all.ignored, ['granularity'], 'billingUsage has no granularity')
  // names of Object.prototype members, as own keys: not mistaken for known spellings
  const proto = readParams(
    JSON.parse('{"__proto__":"x","hasOwnProperty":"y"}') as Record<string, unknown>,
    USAGE_FIELDS,
  )
  t.same(proto.ignored, ['__proto__', 'hasOwnProperty'])
  t.equal(proto.values.size, 0)
})

t.test('strict mode rejects the first unknown parameter by name', async t => {
  t.equal(
    refusal(() => readParams({ startTime: 'a', pageSize: '5', view: 'x' }, USAGE_FIELDS, true)),
    'unknown query parameter "pageSize"',
  )
  t.equal(
    refusal(() => readParams({ toString: 'x' }, USAGE_FIELDS, true)),
    'unknown query parameter "toString"',
  )
  t.equal(
    refusal(() => readParams({ startTime: 'a', group_by: 'b' }, USAGE_FIELDS, true)),
    'no error',
  )
  t.equal(
    refusal(() => readParams({ startime: 'a' }, USAGE_FIELDS, true)),
    'unknown query parameter "startime" (did you mean "startTime"?)',
  )
  t.equal(
    refusal(() => readParams({ granularity: 'DAILY' }, USAGE_FIELDS, true)),
    'unknown query parameter "granularity"',
    'a parameter of another operation is not suggested by its own name',
  )
})

t.test('a missing required parameter names what was ignored, and what each was probably meant to be', async t => {
  const good = '2026-05-01T00:00:00Z'
  const window = (raw: Record<string, unknown>) => refusal(() => requiredWindow(readParams(raw, USAGE_FIELDS)))
  t.equal(
    window({ startime: good, endTime: good }),
    'start_time is required; ignored unknown parameter "startime" (did you mean "startTime"?)',
  )
  t.equal(
    window({ start_time: good, end_tme: good, groupby: 'model_name', pageSize: '5' }),
    'end_time is required; ignored unknown parameters "end_tme" (did you mean "end_time"?), "groupby" (did you mean "groupBy"?), "pageSize"',
  )
  t.equal(window({ endTime: good }), 'start_time is required', 'nothing ignored, nothing said')
  t.equal(
    refusal(() => requiredTime(paramsWith({}, ['endtime']), 'endTime')),
    'endTime is required; ignored unknown parameter "endtime" (did you mean "endTime"?)',
  )
})

t.test('a nested value where a plain one belongs is refused, naming the parameter as spelled', async t => {
  t.equal(
    refusal(() => readParams({ groupBy: { a: 'b' } }, USAGE_FIELDS)),
    'invalid groupBy: expected groupBy=<value>, got a nested parameter',
  )
  t.equal(
    refusal(() => readParams({ start_time: ['a', { b: 'c' }] }, USAGE_FIELDS)),
    'invalid start_time: expected start_time=<value>, got a nested parameter',
  )
})

t.test('stringsOf: a string, or a list of strings; nothing else', async t => {
  t.same(stringsOf('p', 'a'), ['a'])
  t.same(stringsOf('p', ''), [''])
  t.same(stringsOf('p', ['a', 'b']), ['a', 'b'])
  t.same(stringsOf('p', []), [])
  const nested = 'invalid p: expected p=<value>, got a nested parameter'
  for (const value of [{ 0: 'a' }, ['a', ['b']], ['a', 1], 1, null, undefined])
    t.equal(
      refusal(() => stringsOf('p', value)),
      nested,
      JSON.stringify(value) ?? 'undefined',
    )
})

t.test('requiredWindow: both required first (empty is missing), then both parseable', async t => {
  const window = (values: Record<string, string[]>) => refusal(() => requiredWindow(paramsWith(values)))
  const good = '2026-05-01T00:00:00Z'
  t.equal(window({}), 'start_time is required')
  t.equal(window({ end_time: [good] }), 'start_time is required')
  t.equal(window({ start_time: [''], end_time: [good] }), 'start_time is required')
  t.equal(window({ start_time: [good] }), 'end_time is required')
  t.equal(window({ start_time: ['garbage'] }), 'end_time is required', 'missing end before a bad start')
  t.equal(window({ start_time: ['garbage'], end_time: [''] }), 'end_time is required')
  t.equal(
    window({ start_time: ['2026-05-01'], end_time: ['also bad'] }),
    'invalid start_time "2026-05-01": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
  )
  t.equal(
    window({ start_time: [good], end_time: ['2026-05-02T00:00:00'] }),
    'invalid end_time "2026-05-02T00:00:00": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
  )
  t.equal(
    window({ start_time: [good, good], end_time: [good] }),
    `too many values for field "start_time": ${good}, ${good}`,
  )
  t.same(requiredWindow(paramsWith({ start_time: [good], end_time: ['2026-05-02T00:00:00.000000250+00:00'] })), {
    start: { ms: Date.UTC(2026, 4, 1), subNs: 0 },
    end: { ms: Date.UTC(2026, 4, 2), subNs: 250 },
  })
})

t.test('readControlParams: one name per parameter, no second spelling, unknown ones refused', async t => {
  const params = readControlParams({ account: 'acme', startTime: 'a', limit: ['1', '2'] }, [
    'account',
    'startTime',
    'limit',
  ])
  t.same(
    [...params.values],
    [
      ['account', ['acme']],
      ['startTime', ['a']],
      ['limit', ['1', '2']],
    ],
  )
  t.equal(
    refusal(() => scalar(params, 'limit')),
    'too many values for field "limit": 1, 2',
  )
  // the real API's second spelling is no control parameter, nor is a misspelt one, nor filter
  for (const [name, hint] of [
    ['start_time', ' (did you mean "startTime"?)'],
    ['acount', ' (did you mean "account"?)'],
    ['filter', ''],
  ])
    t.equal(
      refusal(() => readControlParams({ account: 'acme', [name!]: 'x' }, ['account', 'startTime'])),
      `unknown query parameter "${name}"${hint}`,
    )
})

t.test('requiredTime: the same rules under the name given', async t => {
  t.equal(
    refusal(() => requiredTime(paramsWith({}), 'startTime')),
    'startTime is required',
  )
  t.equal(
    refusal(() => requiredTime(paramsWith({ startTime: [''] }), 'startTime')),
    'startTime is required',
  )
  t.equal(
    refusal(() => requiredTime(paramsWith({ endTime: ['yesterday'] }), 'endTime')),
    'invalid endTime "yesterday": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
  )
  t.same(requiredTime(paramsWith({ endTime: ['2026-05-01T05:45:00+05:45'] }), 'endTime'), {
    ms: Date.UTC(2026, 4, 1),
    subNs: 0,
  })
})
