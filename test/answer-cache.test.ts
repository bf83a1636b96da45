// The answer cache on its own: a byte budget, least recently used first out.
import t from 'tap'
import { AnswerCache } from '../server/answer-cache.js'

const answer = (text: string) => ({ body: Buffer.from(text), records: 1, rows: 1 })

t.test('the cache evicts the least recently used entries past its budget', async t => {
  const cache = new AnswerCache(10)
  cache.set('a', answer('aaaa'))
  cache.set('b', answer('bbbb'))
  t.ok(cache.get('a'), 'a is now the most recent')
  cache.set('c', answer('cccc'))
  t.same([!!cache.get('a'), !!cache.get('b'), !!cache.get('c')], [true, false, true])
  t.same(cache.size, { entries: 2, bytes: 8 })
  cache.set('huge', answer('x'.repeat(11)))
  t.equal(cache.get('huge'), undefined, 'an answer larger than the budget is not kept')
})
