// Fault rules compose: every rule that fires adds its delay, the first one that fires with a
// status decides. The README's own example is read from README.md and checked as written.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { Faults, parseFaultRules } from '../../server/mock/faults.js'

const README_EXAMPLE = (() => {
  const line = readFileSync('README.md', 'utf8')
    .split('\n')
    .find(l => l.includes('/_mock/faults') && l.includes('"delayMs": 200'))
  const body = /-d '([^']*)'/.exec(line ?? '')?.[1]
  if (!body) throw new Error('the README no longer has the delay-and-failure fault example')
  return JSON.parse(body) as unknown
})()

t.test("the README's example: every call waits 200 ms and about 10% fail with 500", async t => {
  const faults = new Faults(20260101)
  faults.install(parseFaultRules(README_EXAMPLE))
  const decisions = Array.from({ length: 1000 }, () => faults.decide('/v1/accounts/acme/billingUsage', 'acme'))
  t.ok(
    decisions.every(d => d?.delayMs === 200),
    'every call is delayed 200 ms',
  )
  const failed = decisions.filter(d => d?.error !== undefined)
  t.ok(
    failed.every(d => d?.status === 500 && d.error?.code === 13),
    'failures are 500 with code 13 (INTERNAL)',
  )
  // Binomial(1000, 0.1): 100 expected, standard deviation 9.5; 60..140 is beyond four of them.
  t.ok(failed.length >= 60 && failed.length <= 140, `${failed.length} of 1000 failed`)
  t.match(faults.list(), [
    { matched: 1000, fired: 1000 },
    { matched: 1000, fired: failed.length },
  ])
})

t.test('delays of every firing rule add up; the first firing status decides', async t => {
  const faults = new Faults(1)
  faults.install(
    parseFaultRules([
      { delayMs: 100 },
      { path: '/v1/**', status: 503, delayMs: 50 },
      { path: '/v1/**', status: 429 },
      { delayMs: 7 },
    ]),
  )
  t.match(faults.decide('/v1/accounts/a/billingUsage', 'a'), { delayMs: 157, status: 503 })
  t.match(
    faults.list().map(s => [s.matched, s.fired]),
    [
      [1, 1],
      [1, 1],
      [0, 0],
      [1, 1],
    ],
    'the status rule after the deciding one was not tried',
  )
  t.same(faults.decide('/_mock/health', null), { delayMs: 107 }, 'only the delay rules match elsewhere')
})

t.test('a used-up status rule lets the next one decide; no rule firing is no fault', async t => {
  const faults = new Faults(1)
  faults.install(
    parseFaultRules([
      { status: 503, times: 1 },
      { status: 500, account: 'b' },
    ]),
  )
  t.match(faults.decide('/x', 'a'), { status: 503 })
  t.equal(faults.decide('/x', 'a'), null, 'rule 1 is used up and rule 2 is for account b')
  t.match(faults.decide('/x', 'b'), { status: 500 })
})

t.test('delays sum to at most the 60 s cap', async t => {
  const faults = new Faults(1)
  faults.install(parseFaultRules([{ delayMs: 60_000 }, { delayMs: 60_000 }]))
  t.match(faults.decide('/x', null), { delayMs: 60_000 })
})
