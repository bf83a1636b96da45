// The clock on its own: the pinned instant, else the configured NOW, else the wall clock.
import t from 'tap'
import { Clock } from '../../server/mock/clock.js'

t.test('pinned, then configured, then the wall clock', async t => {
  const wall = { now: 1_000 }
  const free = new Clock(null, () => wall.now)
  t.same([free.now(), free.source()], [1_000, 'wall'])
  wall.now = 2_000
  t.equal(free.now(), 2_000, 'the wall clock moves')
  free.pin(5)
  t.same([free.now(), free.source()], [5, 'runtime'])
  free.unpin()
  t.same([free.now(), free.source()], [2_000, 'wall'])
  const configured = new Clock(42, () => wall.now)
  t.same([configured.now(), configured.source()], [42, 'config'])
  configured.pin(7)
  t.equal(configured.now(), 7)
  configured.unpin()
  t.equal(configured.now(), 42, 'back to NOW, not the wall clock')
})
