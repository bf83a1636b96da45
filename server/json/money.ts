// google.type.Money from an exact amount of nano-USD: `units` is the whole dollars as an int64
// string, `nanos` the rest, both with the amount's sign (-1.5 USD is units "-1", nanos -500000000).

import { amountNotExact } from '../messages.js'

export interface Money {
  currencyCode: 'USD'
  units: string
  nanos: number
}

const NANOS_PER_UNIT = 1_000_000_000n

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

export function money(nanoUsd: bigint | number): Money {
  // A number is an amount summed exactly only while it is a safe integer: past that it may be
  // rounded already, and an answer must not carry a rounded amount as if it were exact.
  if (typeof nanoUsd === 'number' && !Number.isSafeInteger(nanoUsd)) throw amountNotExact(nanoUsd)
  // Most amounts fit a double exactly, and number arithmetic is several times faster than
  // BigInt's; both ways % keeps the dividend's sign, so units and nanos share it.
  if (typeof nanoUsd === 'number' || (nanoUsd <= MAX_SAFE && nanoUsd >= -MAX_SAFE)) {
    const n = Number(nanoUsd)
    const nanos = n % 1e9
    return { currencyCode: 'USD', units: String((n - nanos) / 1e9), nanos: nanos + 0 }
  }
  return { currencyCode: 'USD', units: String(nanoUsd / NANOS_PER_UNIT), nanos: Number(nanoUsd % NANOS_PER_UNIT) }
}

/** Rounds a non-negative or negative rational amount numerator/denominator to the nearest nano, halves away from zero. */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const half = denominator / 2n
  return numerator >= 0n ? (numerator + half) / denominator : -((-numerator + half) / denominator)
}

/**
 * An exact sum of nano-USD: a number while it stays a safe integer (adding numbers allocates
 * nothing), a bigint once it passes (a range's total may). Both inputs must be exact.
 */
export function addNano(total: number | bigint, nano: number | bigint): number | bigint {
  if (typeof total === 'number' && typeof nano === 'number') {
    // Both are safe integers: a sum that is one too is exact, a larger one may be rounded.
    const sum = total + nano
    if (Number.isSafeInteger(sum)) return sum
  }
  return BigInt(total) + BigInt(nano)
}
