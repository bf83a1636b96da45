// The byte writer the billingUsage answer is written with: what it writes must be what
// JSON.stringify writes, encoded as UTF-8, for every number and text it is given.
import t from 'tap'
import { CHAR, JsonBytes } from '../../server/json/json-bytes.js'
import { textOf } from '../streams/aggregates.js'

const written = (write: (out: JsonBytes) => void, size?: number): string => {
  const out = new JsonBytes(size)
  write(out)
  return textOf(out)
}

t.test('numbers are written as JSON.stringify writes them', async t => {
  const numbers = [
    ...[0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65_535, 1_000_000, 123_456_789],
    ...[2 ** 31 - 1, 2 ** 31, 2 ** 32, 4_999_999_999, 10 ** 15 - 1, 10 ** 15, 2 ** 53 - 1],
    ...[-1, -10, -(2 ** 31), -(2 ** 53 - 1), -0],
    ...[0.5, 1.5, 1e-7, 2 ** 53, 1e21, 123.456, Number.NaN, Infinity, -Infinity],
  ]
  for (const n of numbers)
    t.equal(
      written(out => out.number(n)),
      JSON.stringify(n),
      `${n}`,
    )
  // every power of ten and its neighbours, where the count of digits changes
  for (let p = 1; p <= 1e15; p *= 10)
    for (const n of [p - 1, p, p + 1])
      t.equal(
        written(out => out.number(n)),
        String(n),
        `${n}`,
      )
})

t.test('text is encoded as UTF-8, bytes are copied as they are', async t => {
  const text = JSON.stringify({ name: 'équipe 数据 🚀', quote: '"\\' })
  t.equal(
    written(out => out.text(text)),
    text,
  )
  t.same(
    written(out => {
      out.bytes(Buffer.from('["'))
      out.bytes(Buffer.from('a long fragment, copied in one go'))
      out.byte(CHAR.quote)
      out.byte(0x5d)
    }),
    '["a long fragment, copied in one go"]',
  )
})

t.test('the writer grows past its first size and keeps what it held', async t => {
  const parts = Array.from({ length: 1000 }, (_, i) => `"part ${i} ü",`)
  const text = written(out => {
    for (const [i, p] of parts.entries()) {
      out.text(p)
      out.number(i * 1_000_003)
    }
  }, 16)
  t.equal(text, parts.map((p, i) => p + String(i * 1_000_003)).join(''))
})

t.test('setByte replaces a byte written; reset() drops what was written', async t => {
  const out = new JsonBytes(8)
  out.text('abc')
  t.equal(out.length, 3)
  out.setByte(0, 0x41)
  t.equal(textOf(out), 'Abc')
  out.reset()
  t.equal(out.length, 0)
  out.text('[]')
  t.equal(textOf(out), '[]')
  t.throws(() => out.setByte(2, 0x41), RangeError, 'a byte not written yet cannot be replaced')
})
