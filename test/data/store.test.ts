// The store on its own: the world plus what a session adds at runtime, all or nothing, with a
// version that names its state, and placeholders under AUTH=any shared until changed.
import t from 'tap'
import { FixtureError, parseFixtures } from '../../server/data/fixtures.js'
import { Store } from '../../server/data/store.js'
import { fixtureWorld, serverlessRecord } from '../helpers.js'

const world = fixtureWorld([serverlessRecord('2026-05-01T01:00:00Z', { promptTokens: 1 })])
const entries = (...objects: object[]) =>
  parseFixtures(
    [{ path: 'body', text: objects.map(o => JSON.stringify(o)).join('\n'), format: 'ndjson' }],
    // the accounts a test's store knows by then (validation of the entries is not what this tests)
    new Set(['test-co', 'other-co', 'acme', 'my-account']),
  )
function problemsOf(f: () => void): string[] {
  try {
    f()
  } catch (err) {
    if (err instanceof FixtureError) return err.problems
    throw err
  }
  return []
}

const ACME = { account: 'acme', keys: [{ id: 'key_Acme000000000001', name: 'prod', secret: 'fw_acme' }] }

t.test("keys are found by their secret: the world's and those added at runtime", async t => {
  const store = new Store(world)
  t.match(store.ownerOf('fw_testSecret01'), { account: 'test-co', keyId: 'key_TestCo0000000001' })
  t.equal(store.ownerOf('fw_acme'), undefined)
  store.load(entries(ACME))
  t.match(store.ownerOf('fw_acme'), { account: 'acme', keyId: 'key_Acme000000000001', keyName: 'prod' })
  t.equal(new Store(world).ownerOf('fw_acme'), undefined, 'another store does not see it')
})

t.test('the version is 0 at start-up, new and unique at every change, 0 again after a reset', async t => {
  const a = new Store(world)
  const b = new Store(world)
  t.same([a.version, b.version], [0, 0], 'stores in their start-up state share cached answers')
  a.load(entries(ACME))
  b.load(entries(ACME))
  t.not(a.version, 0)
  t.not(a.version, b.version, 'the same change in two stores: two versions, so no answer is shared')
  const before = a.version
  a.load(entries(serverlessRecord('2026-05-01T02:00:00Z', { account: 'acme' })))
  t.ok(a.version !== before && a.version !== 0)
  a.reset()
  t.same([a.version, a.account('acme'), a.ownerOf('fw_acme')], [0, undefined, undefined])
})

t.test('a load is all or nothing: a key clash refuses everything, naming it', async t => {
  const store = new Store(world)
  const clash = { account: 'acme', keys: [{ id: 'key_Acme000000000001', name: 'prod', secret: 'fw_testSecret01' }] }
  t.same(
    problemsOf(() => store.load(entries(clash, serverlessRecord('2026-05-01T03:00:00Z')))),
    ['keys: the secret of key "key_Acme000000000001" already belongs to key key_TestCo0000000001'],
  )
  const stolenId = { account: 'acme', keys: [{ id: 'key_TestCo0000000001', name: 'x', secret: 'fw_new' }] }
  t.same(
    problemsOf(() => store.load(entries(stolenId))),
    ['keys: key id "key_TestCo0000000001" already belongs to account test-co'],
  )
  t.same(
    [store.version, store.account('acme'), store.account('test-co')?.records.get('serverless')?.length],
    [0, undefined, 1],
    'nothing was added',
  )
})

t.test('records join an account in time order; clearing drops only those added at runtime', async t => {
  const store = new Store(world)
  store.load(
    entries(
      serverlessRecord('2026-05-01T00:30:00Z', { promptTokens: 5 }),
      serverlessRecord('2026-05-01T02:00:00Z', { promptTokens: 7 }),
    ),
  )
  const times = () =>
    store
      .account('test-co')
      ?.records.get('serverless')
      ?.map(r => new Date(r.time).toISOString().slice(11, 16))
  t.same(times(), ['00:30', '01:00', '02:00'])
  t.equal(store.addedRecords(), 2)
  t.equal(world.accounts.get('test-co')?.records.get('serverless')?.length, 1, 'the world itself is untouched')
  t.equal(store.clearAddedRecords('test-co'), 2)
  t.same([times(), store.addedRecords()], [['01:00'], 0])
  t.equal(store.clearAddedRecords('test-co'), 0)
  t.equal(store.clearAddedRecords('nobody'), 0)
})

t.test('AUTH=any placeholders: the same account in every store, copied before a store changes it', async t => {
  const a = new Store(world)
  const b = new Store(world)
  const placeholder = a.placeholder('my-account')
  t.equal(b.placeholder('my-account'), placeholder, 'one invented account, shared')
  t.equal(a.version, 0, 'inventing an account is not a change of data')
  t.equal(placeholder.keys.length, 4)
  t.equal(a.placeholder('my-account'), placeholder, 'the same when asked again')
  a.load(entries({ account: 'my-account', keys: [{ id: 'key_Mine000000000001', name: 'mine', secret: 'fw_mine' }] }))
  t.equal(a.account('my-account')?.keys.length, 5, 'a has the added key')
  t.equal(b.account('my-account')?.keys.length, 4, 'b and the shared placeholder do not')
  t.equal(placeholder.keys.length, 4)
  t.equal(a.clearAddedRecords('my-account'), 0)
})
