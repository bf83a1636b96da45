import t from 'tap'
import { money, roundDiv } from '../../server/json/money.js'

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

t.test('amounts given as numbers or near 2^53 split exactly as the BigInt ones do', async t => {
  t.same(money(1_500_000_000), { currencyCode: 'USD', units: '1', nanos: 500_000_000 })
  t.same(money(-1_500_000_000), { currencyCode: 'USD', units: '-1', nanos: -500_000_000 })
  t.same(money(-950_000), { currencyCode: 'USD', units: '0', nanos: -950_000 })
  // -0 would print as 0 anyway, but nanos must be +0 for Object.is-based comparisons
  t.ok(Object.is(money(-0).nanos, 0))
  // 2^53 - 1 = 9007199254740991: the largest amount the number path takes
  t.same(money(9_007_199_254_740_991), { currencyCode: 'USD', units: '9007199', nanos: 254_740_991 })
  t.same(money(9_007_199_254_740_991n), { currencyCode: 'USD', units: '9007199', nanos: 254_740_991 })
  t.same(money(-9_007_199_254_740_991n), { currencyCode: 'USD', units: '-9007199', nanos: -254_740_991 })
  // 2^53 + 1 is beyond a double: only the BigInt path is exact
  t.same(money(9_007_199_254_740_993n), { currencyCode: 'USD', units: '9007199', nanos: 254_740_993 })
  // an amount just below a whole number of dollars (5,000,000 USD less one nano)
  t.same(money(4_999_999_999_999_999), { currencyCode: 'USD', units: '4999999', nanos: 999_999_999 })
})

t.test('a number that is not an exact whole amount is refused, not written rounded', async t => {
  // 2^53 + 2 is a double, but nothing says the sum it came from was exact
  t.throws(() => money(9_007_199_254_740_994), {
    message: /an amount \(9007199254740994\) is not an exact whole number/,
  })
  t.throws(() => money(1.5), { message: /an amount \(1\.5\) is not an exact whole number of nano-USD/ })
  t.throws(() => money(Number.NaN), { message: /an amount \(NaN\)/ })
})
