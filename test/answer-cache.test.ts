// The answer cache on its own: a byte budget in two parts. A window where every new answer is
// kept at first (5% of the budget), and a main part, least recently used first out, but only for
// an answer asked more often than what it would push out (TinyLFU admission). With budgets of 10
// and less the window holds no 4-byte answer, so those tests see the main part alone.
import t from 'tap'
import { AnswerCache, ASKS_PER_AGING, WINDOW_SHARE } from '../server/answer-cache.js'

/** A computed answer: the text's UTF-8 bytes, one record, one row. */
const answer = (json: string) => ({ body: Buffer.from(json), records: 1, rows: 1 })
/** What the route does: ask, and on a miss offer the computed answer. */
function ask(cache: AnswerCache, key: string, json = key.repeat(4).slice(0, 4)): boolean {
  if (cache.get(key)) return true
  cache.set(key, answer(json))
  return false
}

t.test('answers are kept as bytes while they fit', async t => {
  const cache = new AnswerCache(10)
  t.equal(ask(cache, 'a', '"é"'), false)
  const hit = cache.get('a')
  t.same([hit?.body, hit?.records, hit?.rows], [Buffer.from('"é"'), 1, 1])
  // "é" is two bytes in UTF-8: the budget counts bytes, not characters
  t.same(cache.size, { entries: 1, bytes: 4 })
  cache.set('huge', answer('x'.repeat(11)))
  t.equal(cache.get('huge'), undefined, 'an answer larger than the budget is not kept')
})

t.test('past the budget, the least recently used entry goes for an answer asked more often', async t => {
  const cache = new AnswerCache(10)
  ask(cache, 'a') // a: asked 1
  ask(cache, 'b') // b: asked 1
  t.ok(ask(cache, 'a'), 'a is a hit, and now the most recent (asked 2)')
  t.equal(ask(cache, 'c'), false, 'c asked once: no room, and b was asked as often')
  t.same(cache.size, { entries: 2, bytes: 8 })
  t.equal(ask(cache, 'c'), false, 'c asked twice: b (asked once) makes room')
  t.same([!!cache.get('a'), !!cache.get('b'), !!cache.get('c')], [true, false, true])
})

t.test('a cycle through more questions than fit still hits (plain LRU would never)', async t => {
  const cache = new AnswerCache(10)
  const hits: string[] = []
  for (let round = 0; round < 3; round++) for (const k of ['a', 'b', 'c']) if (ask(cache, k)) hits.push(`${round}${k}`)
  // a and b fill the budget in round 0; c is asked exactly as often as they are, every round
  t.same(hits, ['1a', '1b', '2a', '2b'])
})

t.test('counts are halved every ASKS_PER_AGING askings, so that old popularity fades', async t => {
  const cache = new AnswerCache(4)
  for (let i = 0; i < 3; i++) ask(cache, 'old') // asked 3, kept
  ask(cache, 'new')
  ask(cache, 'new') // asked 2 < 3: not kept
  t.ok(cache.get('old'))
  // 'old' is now asked 4, 'new' 2; then enough other questions for one aging: 4 -> 2, 2 -> 1
  for (let i = 0; i < ASKS_PER_AGING; i++) cache.get(`filler-${i}`)
  t.equal(ask(cache, 'new'), false, 'new asked 2, old 2: still not kept')
  t.equal(ask(cache, 'new'), false, 'new asked 3 > 2: kept, old pushed out')
  t.ok(cache.get('new'))
  t.equal(cache.get('old'), undefined)
})

t.test('a question asked again soon hits, however popular the answers before it were', async t => {
  // 4 / 0.05 = 80 bytes: a window of one 4-byte answer, a main part of 19
  t.equal(WINDOW_SHARE, 0.05)
  const cache = new AnswerCache(80)
  const popular = Array.from({ length: 19 }, (_, i) => `p${String(i + 1).padStart(2, '0')}`)
  // each asked 100 times: p01..p18 leave the window for the main part, p19 stays in it
  for (const k of popular) for (let i = 0; i < 100; i++) ask(cache, k)
  // Then the store changes and a test asks each new question twice. n1 pushes p19 out of the
  // window into the main part's last free room; n2 pushes n1 out, which loses to p01 (asked
  // 100 times) and is dropped; n3 does the same to n2. Each new question still hits, from the
  // window. (Without the window, n2 and n3 would have to be asked 101 times to be kept.)
  const hits: string[] = []
  for (const k of ['n1', 'n2', 'n3']) for (const i of [1, 2]) if (ask(cache, k)) hits.push(`${k}.${i}`)
  t.same(hits, ['n1.2', 'n2.2', 'n3.2'])
  t.same(
    [...popular, 'n1', 'n2', 'n3'].filter(k => !cache.get(k)),
    ['n1', 'n2'],
    'the popular answers stayed; n3 is in the window',
  )
  t.same(cache.size, { entries: 20, bytes: 80 })
})

t.test('an answer keeps its bytes from the window to the main part', async t => {
  const cache = new AnswerCache(100) // a window of 5 bytes, a main part of 95
  ask(cache, 'a', '"é1"') // 5 bytes in UTF-8: fills the window
  t.same(cache.size, { entries: 1, bytes: 5 })
  ask(cache, 'b', '"é2"') // a leaves the window for the main part
  t.same(cache.size, { entries: 2, bytes: 10 })
  t.same(
    ['a', 'b'].map(k => cache.get(k)?.body),
    [Buffer.from('"é1"'), Buffer.from('"é2"')],
  )
})

t.test('an answer set again for its key replaces the kept one, in either part, and is counted once', async t => {
  const cache = new AnswerCache(100) // a window of 5 bytes, a main part of 95
  ask(cache, 'a', 'aaaa') // in the window
  cache.set('a', answer('AAAAA')) // again, while in the window, one byte longer
  t.same(cache.size, { entries: 1, bytes: 5 })
  t.same(cache.get('a')?.body, Buffer.from('AAAAA'))
  ask(cache, 'b', 'bbbb') // a leaves the window for the main part
  cache.set('a', answer('aa')) // again, while in the main part: back in the window, shorter
  t.same(cache.size, { entries: 2, bytes: 6 })
  t.same(
    ['a', 'b'].map(k => cache.get(k)?.body.toString()),
    ['aa', 'bbbb'],
  )
})

t.test('an answer larger than the window goes straight to the main part when it has room', async t => {
  const cache = new AnswerCache(100) // a window of 5 bytes, a main part of 95
  ask(cache, 'big', 'x'.repeat(6))
  ask(cache, 'w', 'wwww') // the window's only answer; big is not pushed out of anything
  t.same(cache.size, { entries: 2, bytes: 10 })
  t.same(cache.get('big')?.body, Buffer.from('xxxxxx'))
  t.same(cache.get('w')?.body, Buffer.from('wwww'))
})

t.test('a cache of no bytes keeps nothing', async t => {
  const cache = new AnswerCache(0)
  t.equal(ask(cache, 'a'), false)
  t.equal(ask(cache, 'a'), false)
  t.same(cache.size, { entries: 0, bytes: 0 })
})
