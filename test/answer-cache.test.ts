// The answer cache on its own: a byte budget in two parts. A window where every new answer is
// kept at first (here 20% of a budget of 20 bytes: one answer of 4), and a main part, least
// recently used first out, but only for an answer asked more often than what it would push out
// (TinyLFU admission). With budgets of 10 and less the window holds no 4-byte answer, so those
// tests see the main part alone.
import t from 'tap'
import { AnswerCache, ASKS_PER_AGING, WINDOW_SHARE } from '../server/answer-cache.js'

const COUNTS = { records: 1, rows: 1 }
/** What the route does: ask, and on a miss offer the computed answer. */
function ask(cache: AnswerCache, key: string, json = key.repeat(4).slice(0, 4)): boolean {
  if (cache.get(key)) return true
  cache.set(key, json, COUNTS)
  return false
}

t.test('answers are kept as bytes while they fit', async t => {
  const cache = new AnswerCache(10)
  t.equal(ask(cache, 'a', '"é"'), false)
  const hit = cache.get('a')
  t.same([hit?.body, hit?.records, hit?.rows], [Buffer.from('"é"'), 1, 1])
  // "é" is two bytes in UTF-8: the budget counts bytes, not characters
  t.same(cache.size, { entries: 1, bytes: 4 })
  cache.set('huge', 'x'.repeat(9), COUNTS)
  t.equal(cache.get('huge'), undefined, 'an answer larger than the main part (8 of 10 bytes) is not kept')
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
  t.equal(WINDOW_SHARE, 0.2, 'the window of a 20-byte budget holds one 4-byte answer')
  const cache = new AnswerCache(20)
  // p1..p4 asked 100 times each: p1..p3 leave the window into the main part, p4 stays in it
  for (const k of ['p1', 'p2', 'p3', 'p4']) for (let i = 0; i < 100; i++) ask(cache, k)
  // Then the store changes and a test asks each new question twice. n1 pushes p4 out of the
  // window into the main part's free room; n2 pushes n1 out, which loses to p1 (asked 100 times)
  // and is dropped; n3 does the same to n2. Each new question still hits from the window.
  const hits: string[] = []
  for (const k of ['n1', 'n2', 'n3']) for (const i of [1, 2]) if (ask(cache, k)) hits.push(`${k}.${i}`)
  t.same(hits, ['n1.2', 'n2.2', 'n3.2'])
  t.same(
    ['p1', 'p2', 'p3', 'p4', 'n1', 'n2', 'n3'].map(k => !!cache.get(k)),
    [true, true, true, true, false, false, true],
    'the popular answers stayed; n3 is in the window',
  )
  t.same(cache.size, { entries: 5, bytes: 20 })
})

t.test('the window keeps the text as computed, the main part bytes: the same bytes either way', async t => {
  const cache = new AnswerCache(50) // window 10 bytes, main 40
  ask(cache, 'a', '"é1"')
  t.equal(cache.get('a')?.body, '"é1"', 'in the window: the text itself, no copy')
  ask(cache, 'b', '"é2"')
  ask(cache, 'c', '"é3"') // 5 + 5 + 5 bytes > 10: a leaves the window for the main part
  t.same(cache.get('a')?.body, Buffer.from('"é1"'), 'in the main part: its UTF-8 bytes')
  t.same(cache.size, { entries: 3, bytes: 15 })
})

t.test('a cache of no bytes keeps nothing and counts nothing', async t => {
  const cache = new AnswerCache(0)
  t.equal(ask(cache, 'a'), false)
  t.equal(ask(cache, 'a'), false)
  t.same(cache.size, { entries: 0, bytes: 0 })
})
