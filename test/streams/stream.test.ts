// What every stream shares: int64 counts as exact JSON strings, the group object, the annotation
// dimensions and a record's amounts in quantity order.
import t from 'tap'
import { ApiError, GrpcCode } from '../../server/errors.js'
import type { UsageRecord } from '../../server/model/records.js'
import { dedicated } from '../../server/streams/dedicated.js'
import { ANNOTATION_DIMENSIONS, groupObject, int64, measure, partOf, visiblePart } from '../../server/streams/stream.js'
import { type StreamSpec } from '../../server/model/stream.js'

t.test('int64 writes safe integers as strings', async t => {
  t.equal(int64(0), '0')
  t.equal(int64(1_905_000), '1905000')
  t.equal(int64(2 ** 53 - 1), '9007199254740991')
  t.equal(int64(-5), '-5')
})

t.test('int64 refuses a total a double no longer holds exactly, with an internal error', async t => {
  for (const n of [2 ** 53, 2 ** 53 + 2, 1e20, -(2 ** 53), 1.5, Number.NaN, Infinity]) {
    let thrown: unknown
    try {
      int64(n)
    } catch (err) {
      thrown = err
    }
    t.ok(thrown instanceof ApiError, `${n} is refused`)
    t.equal((thrown as ApiError).code, GrpcCode.INTERNAL)
    t.equal((thrown as ApiError).message, `a usage total (${n}) exceeds 2^53 and cannot be summed exactly`)
  }
})

t.test('groupObject keys the values by the dimension names as requested', async t => {
  t.same(groupObject(['model_name', 'annotations.team'], ['m', '']), { model_name: 'm', 'annotations.team': '' })
  t.same(groupObject(['api_key_id', 'model_name'], ['k', 'm']), { api_key_id: 'k', model_name: 'm' })
  t.same(Object.keys(groupObject(['b', 'a'], ['1', '2'])), ['b', 'a'], 'in groupBy order')
  t.same(groupObject([], []), {})
})

t.test('the annotation dimensions read a record, "" when it has no such annotation', async t => {
  const r: UsageRecord = {
    kind: 'x',
    account: 'a',
    time: 0,
    annotations: { team: 'search', project: '', environment: 'prod' },
  }
  t.same(
    Object.entries(ANNOTATION_DIMENSIONS).map(([name, get]) => [name, get(r)]),
    [
      ['annotations.team', 'search'],
      ['annotations.project', ''],
      ['annotations.environment', 'prod'],
    ],
  )
})

t.test("measure lists a record's amounts in the stream's quantity order", async t => {
  interface Pair extends UsageRecord {
    a: number
    b: number
  }
  const spec = {
    quantities: [
      { name: 'second', of: (r: Pair) => r.b },
      { name: 'first', of: (r: Pair) => r.a },
      { name: 'sum', of: (r: Pair) => r.a + r.b },
    ],
  } as unknown as StreamSpec<Pair>
  const r: Pair = {
    kind: 'x',
    account: 'a',
    time: 0,
    annotations: { team: '', project: '', environment: '' },
    a: 2,
    b: 5,
  }
  t.same(measure(spec, r), [5, 2, 7])
})

t.test('partOf: floor(q x units / 1024), exact for every safe integer', async t => {
  t.equal(partOf(1000, 512), 500)
  t.equal(partOf(1000, 1024), 1000)
  t.equal(partOf(1000, 0), 0)
  t.equal(partOf(1023, 1), 0, '1023 / 1024')
  t.equal(partOf(1024, 1), 1)
  t.equal(partOf(3, 341), 0, '1023 / 1024')
  t.equal(partOf(7, 342), 2, '2394 / 1024 = 2.34')
  // (2^53 - 1) x 1023 / 1024, which a double cannot hold: by BigInt
  const big = 2 ** 53 - 1
  t.equal(partOf(big, 1023), Number((BigInt(big) * 1023n) / 1024n))
  t.equal(partOf(big, 1), Number(BigInt(big) / 1024n))
  t.equal(partOf(big, 1024), big)
})

t.test('visiblePart: a stream without a rule of its own rounds every amount down', async t => {
  // dedicated: acceleratorSeconds only; an amount array read from an offset
  t.same(visiblePart(dedicated, {} as never, [99, 3600], 1, 256, []), [900])
  t.same(visiblePart(dedicated, {} as never, [3599], 0, 1, []), [3])
})
