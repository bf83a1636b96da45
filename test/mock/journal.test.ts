// The journal on its own: a ring that keeps the last N entries, newest first, filtered and counted.
import t from 'tap'
import { Journal, type JournalEntry } from '../../server/mock/journal.js'

const entry = (id: number, fields: Partial<JournalEntry> = {}): JournalEntry => ({
  id: `req-${id}`,
  time: '2026-06-01T00:00:00Z',
  method: 'GET',
  path: '/v1/accounts/a/billingUsage',
  query: null,
  account: 'a',
  keyId: null,
  status: 200,
  durationMs: 1,
  ...fields,
})
const ids = (entries: JournalEntry[]) => entries.map(e => e.id)

t.test('newest first; past its capacity the oldest entries go', async t => {
  const journal = new Journal(3)
  t.same(journal.list(), [])
  for (let i = 1; i <= 2; i++) journal.add(entry(i))
  t.same([ids(journal.list()), journal.size], [['req-2', 'req-1'], 2])
  for (let i = 3; i <= 7; i++) journal.add(entry(i))
  t.same([ids(journal.list()), journal.size], [['req-7', 'req-6', 'req-5'], 3])
  t.same(ids(journal.list({ limit: 2 })), ['req-7', 'req-6'])
})

t.test('filters by path, account, method and status; count ignores the limit', async t => {
  const journal = new Journal(10)
  journal.add(entry(1))
  journal.add(entry(2, { status: 400 }))
  journal.add(entry(3, { account: 'b', path: '/v1/accounts/b/billing/summary' }))
  journal.add(entry(4, { method: 'POST', status: 501 }))
  t.same(ids(journal.list({ account: 'a' })), ['req-4', 'req-2', 'req-1'])
  t.same(ids(journal.list({ path: '/v1/accounts/b/billing/summary' })), ['req-3'])
  t.same(ids(journal.list({ method: 'POST' })), ['req-4'])
  t.same(ids(journal.list({ account: 'a', status: 200 })), ['req-1'])
  t.same([journal.count(), journal.count({ status: 200 }), journal.count({ account: 'a', limit: 1 })], [4, 2, 3])
})

t.test('a journal of size 0 keeps nothing; clear empties it', async t => {
  const none = new Journal(0)
  none.add(entry(1))
  t.same([none.list(), none.count(), none.size], [[], 0, 0])
  const journal = new Journal(2)
  journal.add(entry(1))
  journal.add(entry(2))
  journal.add(entry(3))
  journal.clear()
  t.same([journal.list(), journal.size], [[], 0])
  journal.add(entry(4))
  t.same(ids(journal.list()), ['req-4'], 'and starts again from empty')
})
