// Lookups by keys from outside: only a table's own entries, never Object.prototype's members.
import t from 'tap'
import { own } from '../server/own.js'

t.test("a table's own entries only", async t => {
  const table: Record<string, number> = { a: 1 }
  t.equal(own(table, 'a'), 1)
  for (const key of ['b', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])
    t.equal(own(table, key), undefined, key)
})
