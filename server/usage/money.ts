// google.type.Money from an exact amount of nano-USD: `units` is the whole dollars as an int64
// string, `nanos` the rest, both with the amount's sign (-1.5 USD is units "-1", nanos -500000000).

export interface Money {
  currencyCode: 'USD'
  units: string
  nanos: number
}

const NANOS_PER_UNIT = 1_000_000_000n

export function money(nanoUsd: bigint): Money {
  // BigInt division truncates toward zero, so units and nanos share the sign.
  return { currencyCode: 'USD', units: String(nanoUsd / NANOS_PER_UNIT), nanos: Number(nanoUsd % NANOS_PER_UNIT) }
}

/** Rounds a non-negative or negative rational amount numerator/denominator to the nearest nano, halves away from zero. */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const half = denominator / 2n
  return numerator >= 0n ? (numerator + half) / denominator : -((-numerator + half) / denominator)
}
