// Sessions on their own: names, creation on first use, expiry and the cap, all by moving a
// wall clock instead of sleeping.
import t from 'tap'
import { configWith } from '../../server/config.js'
import { ApiError } from '../../server/errors.js'
import { checkSessionName, Sessions } from '../../server/mock/sessions.js'
import { fixtureWorld } from '../helpers.js'

const MINUTE = 60_000
const config = configWith({ sessionTtl: { ms: 30 * MINUTE, text: '30m' }, maxSessions: 2 })

function clockedSessions(start = Date.parse('2026-06-01T00:00:00Z')) {
  const wall = { now: start }
  return { wall, sessions: new Sessions(fixtureWorld([]), config, () => wall.now) }
}

function refusal(f: () => unknown): [number, string] | 'no error' {
  try {
    f()
  } catch (err) {
    if (err instanceof ApiError) return [err.code, err.message]
    throw err
  }
  return 'no error'
}

t.test('names are 1-64 characters of A-Z, a-z, 0-9, dot, underscore and dash', async t => {
  for (const name of ['w', 'worker-3', 'pytest_gw0', 'a.b.c', 'X'.repeat(64)])
    t.equal(checkSessionName(name, 'here'), name)
  for (const name of ['', 'X'.repeat(65), 'a b', 'a/b', 'w%33', 'ü', 'a:b'])
    t.same(
      refusal(() => checkSessionName(name, 'the x-mock-session header')),
      [
        3,
        `invalid session name ${JSON.stringify(name)} in the x-mock-session header: use 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'`,
      ],
      JSON.stringify(name),
    )
})

t.test('a session is created on first use and is the same session afterwards', async t => {
  const { sessions } = clockedSessions()
  const a = sessions.get('a')
  t.equal(sessions.get('a'), a)
  t.not(sessions.get('b'), a)
  t.equal(sessions.get('default'), sessions.default, 'the name "default" is the default session')
  a.clock.pin(Date.parse('2026-05-01T00:00:00Z'))
  t.equal(sessions.get('b').clock.now() === a.clock.now(), false, 'each has its own clock')
  t.not(a.store, sessions.get('b').store)
})

t.test('an idle session expires after SESSION_TTL of wall-clock time, its state gone', async t => {
  const { wall, sessions } = clockedSessions()
  const a = sessions.get('a')
  a.clock.pin(Date.parse('2026-05-01T00:00:00Z'))
  wall.now += 29 * MINUTE
  sessions.use(a)
  wall.now += 29 * MINUTE
  t.equal(sessions.get('a'), a, 'used 29 minutes ago: alive, although created 58 minutes ago')
  wall.now += 1 * MINUTE
  const fresh = sessions.get('a')
  t.not(fresh, a, 'idle for 30 minutes: a new session of the same name')
  t.equal(fresh.clock.source(), 'wall', 'without the old pinned clock')
  t.same(
    sessions.list().map(s => s.name),
    ['default', 'a'],
  )
})

t.test(
  'at most MAX_SESSIONS named sessions; one more is a 429 naming the limit, and no live one is dropped',
  async t => {
    const { wall, sessions } = clockedSessions()
    const a = sessions.get('a')
    const b = sessions.get('b')
    t.same(
      refusal(() => sessions.get('c')),
      [
        8,
        'at most 2 sessions may exist (MAX_SESSIONS); drop one with DELETE /_mock/sessions/<name>, or let idle ones expire (SESSION_TTL 30m)',
      ],
    )
    t.equal(sessions.get('a'), a, 'a is still there')
    t.equal(sessions.get('b'), b, 'b is still there')
    t.equal(sessions.get('default'), sessions.default, 'the default session does not count')
    wall.now += 10 * MINUTE
    sessions.use(b)
    wall.now += 25 * MINUTE
    const c = sessions.get('c')
    t.same(
      sessions.list().map(s => s.name),
      ['default', 'b', 'c'],
      'a, idle for 35 minutes, made room; b, used 25 minutes ago, did not',
    )
    t.equal(sessions.get('b'), b)
    t.not(c, a)
  },
)

t.test('dropping a session; the default one cannot be dropped', async t => {
  const { sessions } = clockedSessions()
  const a = sessions.get('a')
  t.equal(sessions.drop('a'), true)
  t.equal(sessions.drop('a'), false, 'no longer there')
  t.not(sessions.get('a'), a, 'a later use creates it afresh')
  t.same(
    refusal(() => sessions.drop('default')),
    [3, 'the default session cannot be dropped; POST /_mock/reset resets it'],
  )
})

t.test('use counts requests and moves lastUsed; reset keeps the session but not its state', async t => {
  const { wall, sessions } = clockedSessions()
  const a = sessions.get('a')
  wall.now += 5_000
  sessions.use(a)
  sessions.use(a)
  t.same([a.requests, a.lastUsedMs - a.createdMs], [2, 5_000])
  a.clock.pin(0)
  const epoch = a.rateLimitEpoch
  a.reset()
  t.same([a.clock.source(), a.rateLimitEpoch, sessions.get('a') === a], ['wall', epoch + 1, true])
})
