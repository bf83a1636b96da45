// Cached answers are the answers: the same bytes as a fresh computation, and never stale when
// the clock or the data moves.
import t from 'tap'
import { testConfig } from '../helpers.js'
import { buildApp } from '../../server/app.js'
import { loadWorld } from '../../server/data/world.js'
import { AnswerCache } from '../../server/answer-cache.js'

const world = loadWorld({ seed: 3, fixtures: null, worldScale: 1 })
const AUTH = { authorization: 'Bearer fw_mockGlobexProd01' }
const WINDOW = 'startTime=2026-10-01T00:00:00Z&endTime=2026-10-08T00:00:00Z'

t.test('with and without the cache, every operation gives the same bytes, twice', async t => {
  const cached = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z') }), { world })
  const fresh = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z'), cacheMb: 0 }), { world })
  for (const path of [
    `billingUsage?${WINDOW}&groupBy=api_key_name`,
    `billing/summary?${WINDOW}&granularity=DAILY`,
    `accountUsageFilterOptions?${WINDOW}`,
  ]) {
    const url = `/v1/accounts/globex/${path}`
    const a1 = await cached.inject({ url, headers: AUTH })
    const a2 = await cached.inject({ url, headers: AUTH })
    const b = await fresh.inject({ url, headers: AUTH })
    t.equal(a1.statusCode, 200)
    t.equal(a2.body, a1.body, `${path}: a hit is the same bytes`)
    t.equal(b.body, a1.body, `${path}: the same as without a cache`)
    t.equal(a2.headers['content-type'], 'application/json; charset=utf-8')
  }
  t.ok(cached.mock.cache.size.entries >= 3)
  t.equal(fresh.mock.cache.size.entries, 0)
})

t.test('a clock inside the window sees each new hour', async t => {
  const app = buildApp(testConfig({ now: Date.parse('2026-10-03T10:30:00Z') }), { world })
  const url = `/v1/accounts/globex/billingUsage?${WINDOW}&usageType=DEDICATED_DEPLOYMENT&groupBy=accelerator_type`
  const total = async (now?: string) => {
    const res = await app.inject({ url, headers: now ? { ...AUTH, 'x-mock-now': now } : AUTH })
    return res
      .json()
      .dedicatedCosts.reduce((s: number, r: { acceleratorSeconds: string }) => s + Number(r.acceleratorSeconds), 0)
  }
  const at1030 = await total()
  t.equal(await total('2026-10-03T10:59:59Z'), at1030, 'same hour, same data')
  const at1100 = await total('2026-10-03T11:00:00Z')
  t.ok(at1100 > at1030, 'the hour that ended at 11:00 now counts')
  t.equal(await total(), at1030, 'and the pinned clock still answers as before')
})

t.test('the cache evicts the least recently used entries past its budget', async t => {
  const cache = new AnswerCache(10)
  cache.set('a', Buffer.from('aaaa'))
  cache.set('b', Buffer.from('bbbb'))
  t.ok(cache.get('a'), 'a is now the most recent')
  cache.set('c', Buffer.from('cccc'))
  t.same([!!cache.get('a'), !!cache.get('b'), !!cache.get('c')], [true, false, true])
  t.same(cache.size, { entries: 2, bytes: 8 })
  cache.set('huge', Buffer.alloc(11))
  t.equal(cache.get('huge'), undefined, 'an answer larger than the budget is not kept')
})
