// Reading billingUsage answers as the probes do, over hand-written bodies: a stream's rows, its
// quantities as the published document lists them, exact int64 sums, and lenient int64 reading
// (a drifted target may send numbers, or nothing readable).
import t from 'tap'
import {
  groupOf,
  quantitiesOf,
  readInt64,
  rowKey,
  rowsOf,
  sameQuantity,
  showDifferences,
  sumDifferences,
  sumRows,
} from '../../server/conformance/usage-body.js'

t.test("rowsOf: the stream's array, or no rows when it is missing or not an array", async t => {
  const a = { promptTokens: '1' }
  const body = { serverlessCosts: [a], dedicatedCosts: {}, trainingCosts: null }
  t.strictSame(rowsOf(body, 'serverless'), [a])
  t.equal(rowsOf(body, 'serverless')[0], a, 'the rows themselves')
  t.strictSame(rowsOf(body, 'dedicated'), [], 'an object is no array')
  t.strictSame(rowsOf(body, 'training'), [], 'null')
  t.strictSame(rowsOf({}, 'serverless'), [], 'missing')
  for (const odd of [undefined, null, 'text', 42]) t.strictSame(rowsOf(odd, 'serverless'), [], String(odd))
})

t.test("each stream's quantities come from the published row schemas", async t => {
  t.strictSame(quantitiesOf('serverless'), {
    int64: ['promptTokens', 'completionTokens', 'cachedPromptTokens', 'uncachedPromptTokens'],
    double: ['audioInputSeconds', 'costNanoUsd'],
  })
  t.strictSame(quantitiesOf('dedicated'), { int64: ['acceleratorSeconds'], double: [] })
  t.strictSame(quantitiesOf('training'), { int64: ['tokens', 'acceleratorSeconds'], double: [] })
})

t.test('readInt64: decimal strings and safe integers; anything else is unreadable', async t => {
  t.equal(readInt64('0'), 0n)
  t.equal(readInt64('-3'), -3n)
  t.equal(readInt64('9223372036854775807'), 9223372036854775807n, 'the int64 maximum, exactly')
  t.equal(readInt64(42), 42n, 'a number from a drifted target')
  t.equal(readInt64(Number.MAX_SAFE_INTEGER), 9007199254740991n)
  for (const bad of ['', ' 1', '1 ', '+1', '1.0', '1e3', '0x10', 'one', 1.5, 2 ** 53, NaN, null, undefined, true, [1]])
    t.equal(readInt64(bad), null, JSON.stringify(bad) ?? String(bad))
})

t.test('sumRows: int64 fields summed exactly, doubles as numbers, missing doubles as 0', async t => {
  const rows = [
    {
      promptTokens: '9007199254740993', // 2^53 + 1: a double would lose the 1
      completionTokens: '1',
      cachedPromptTokens: '0',
      uncachedPromptTokens: '9007199254740993',
      audioInputSeconds: 0.25,
      costNanoUsd: 100,
    },
    {
      promptTokens: '1',
      completionTokens: 2,
      cachedPromptTokens: '1',
      uncachedPromptTokens: '0',
      audioInputSeconds: 0.5,
    },
  ]
  t.strictSame(
    sumRows(rows, 'serverless'),
    new Map<string, bigint | number | null>([
      ['promptTokens', 9007199254740994n],
      ['completionTokens', 3n],
      ['cachedPromptTokens', 1n],
      ['uncachedPromptTokens', 9007199254740993n],
      ['audioInputSeconds', 0.75],
      ['costNanoUsd', 100],
    ]),
  )
  t.strictSame(
    sumRows([], 'training'),
    new Map([
      ['tokens', 0n],
      ['acceleratorSeconds', 0n],
    ]),
  )
})

t.test('one unreadable int64 makes that sum unreadable, not a smaller number', async t => {
  const sums = sumRows(
    [{ tokens: '5', acceleratorSeconds: '1' }, { tokens: 'lots', acceleratorSeconds: '2' }, { tokens: '7' }],
    'training',
  )
  t.strictSame(
    sums,
    new Map([
      ['tokens', null],
      ['acceleratorSeconds', null],
    ]),
    'a missing int64 field is unreadable too',
  )
})

t.test('sameQuantity: exact for int64, a billionth (or 0.001) of slack for doubles', async t => {
  t.equal(sameQuantity(5n, 5n), true)
  t.equal(sameQuantity(5n, 6n), false)
  t.equal(sameQuantity(null, 5n), false)
  t.equal(sameQuantity(5n, null), false)
  t.equal(sameQuantity(0.1 + 0.2, 0.3), true)
  t.equal(sameQuantity(1e12, 1e12 + 999), true, 'within a billionth')
  t.equal(sameQuantity(1e12, 1e12 + 1001.5), false)
  t.equal(sameQuantity(0, 0.0009), true, 'a thousandth absolute')
  t.equal(sameQuantity(0, 0.0011), false)
  t.equal(sameQuantity(3n, 3), true, 'an int64 against a double compares as numbers')
})

t.test('sumDifferences lists the fields that differ, with both values shown', async t => {
  const expected = new Map<string, bigint | number | null>([
    ['promptTokens', 10n],
    ['completionTokens', 3n],
    ['costNanoUsd', 1.23456789],
  ])
  const got = new Map<string, bigint | number | null>([
    ['promptTokens', 10n],
    ['completionTokens', null],
    ['costNanoUsd', 2],
  ])
  const differences = sumDifferences(expected, got)
  t.strictSame(differences, [
    { field: 'completionTokens', expected: '3', got: 'unreadable' },
    { field: 'costNanoUsd', expected: '1.234568', got: '2' },
  ])
  t.equal(showDifferences(differences, 'expected'), 'completionTokens 3, costNanoUsd 1.234568')
  t.equal(showDifferences(differences, 'got'), 'completionTokens unreadable, costNanoUsd 2')
  t.strictSame(
    sumDifferences(expected, new Map()),
    [
      { field: 'promptTokens', expected: '10', got: 'unreadable' },
      { field: 'completionTokens', expected: '3', got: 'unreadable' },
      { field: 'costNanoUsd', expected: '1.234568', got: 'unreadable' },
    ],
    'a field missing from got',
  )
})

t.test("a row's key: its bucket, usage type and group, group keys in sorted order", async t => {
  const row = {
    startTime: '2026-05-01T00:00:00Z',
    endTime: '2026-05-02T00:00:00Z',
    usageType: 'TEXT_COMPLETION_INFERENCE_USAGE',
    group: { model_name: 'm', api_key_id: 'k' },
  }
  t.equal(
    rowKey(row),
    '2026-05-01T00:00:00Z|2026-05-02T00:00:00Z|TEXT_COMPLETION_INFERENCE_USAGE|api_key_id=k|model_name=m',
  )
  t.equal(
    rowKey({ ...row, group: { api_key_id: 'k', model_name: 'm' } }),
    rowKey(row),
    'group key order does not matter',
  )
  t.equal(rowKey({ startTime: 'a', endTime: 'b', group: null }), 'a|b||')
  t.strictSame(groupOf({ group: 'x' }), {})
  t.strictSame(groupOf({}), {})
})
