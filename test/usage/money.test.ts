import t from 'tap'
import { money, roundDiv } from '../../server/usage/money.js'

t.test('Money keeps units and nanos with the same sign', async t => {
  t.same(money(0n), { currencyCode: 'USD', units: '0', nanos: 0 })
  t.same(money(2n), { currencyCode: 'USD', units: '0', nanos: 2 })
  t.same(money(1_500_000_000n), { currencyCode: 'USD', units: '1', nanos: 500_000_000 })
  t.same(money(-1_500_000_000n), { currencyCode: 'USD', units: '-1', nanos: -500_000_000 })
  t.same(money(-950_000n), { currencyCode: 'USD', units: '0', nanos: -950_000 })
  t.same(money(123_456_789_012_345_678_901n), { currencyCode: 'USD', units: '123456789012', nanos: 345_678_901 })
})

t.test('rounding to the nano is half away from zero', async t => {
  t.equal(roundDiv(3n, 2n), 2n)
  t.equal(roundDiv(5n, 4n), 1n)
  t.equal(roundDiv(-3n, 2n), -2n)
  t.equal(roundDiv(2_900_000_000n, 3600n), 805_556n) // one A100 second: 805,555.55... nano-USD
})
