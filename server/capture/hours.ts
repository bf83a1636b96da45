// A captured day's usage spread over its hours by the mock's daily rhythm (the synthetic world's
// DIURNAL shape): billingUsage answers in daily buckets, fixtures hold records at instants. Every
// amount is split into integers that sum exactly to the day (largest remainders), so UTC days
// reproduce exactly and other time zones see a plausible shape instead of a spike at midnight.

import { DIURNAL } from '../data/synthetic/noise.js'
import { HOUR_MS } from '../time.js'

/** The rhythm of each UTC hour in hundredths: integer weights keep the arithmetic exact. */
const WEIGHTS = DIURNAL.map(w => BigInt(Math.round(w * 100)))

/**
 * Where the records of a span go: the start of each UTC hour that begins before `endMs`, the
 * first one clipped to `startMs`. A span that ends at "now" (the day in progress) so gets only
 * the hours before now; an empty span gets its start alone.
 */
export function hourStamps(startMs: number, endMs: number): number[] {
  const stamps: number[] = []
  for (let h = Math.floor(startMs / HOUR_MS) * HOUR_MS; h < endMs; h += HOUR_MS) stamps.push(Math.max(h, startMs))
  return stamps.length > 0 ? stamps : [startMs]
}

/** The rhythm's weight of the UTC hour an instant falls in. */
export function weightAt(ms: number): bigint {
  return WEIGHTS[Math.floor(ms / HOUR_MS) % 24] as bigint
}

/**
 * `total` shared among `weights` in proportion: integers summing exactly to `total`, the units
 * left after rounding down going to the largest remainders (the earlier share on a tie).
 */
export function apportion(total: number, weights: readonly bigint[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0n)
  const whole = BigInt(total)
  const exact = weights.map(w => whole * w)
  const shares = exact.map(e => e / sum)
  let left = whole - shares.reduce((a, b) => a + b, 0n)
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = (exact[a] as bigint) % sum
      const rb = (exact[b] as bigint) % sum
      return ra === rb ? a - b : rb > ra ? 1 : -1
    })
  for (let i = 0; left > 0n; i++, left--) shares[order[i] as number]! += 1n
  return shares.map(Number)
}

export type Amounts = Record<string, number>

/**
 * The amounts of a span, hour by hour: each amount apportioned by the rhythm over the span's
 * hours. Hours that get nothing at all are left out, but a span always keeps one record (a row
 * of zeros is still a row).
 */
export function spreadOverHours(
  startMs: number,
  endMs: number,
  amounts: Amounts,
): { time: number; amounts: Amounts }[] {
  const stamps = hourStamps(startMs, endMs)
  const weights = stamps.map(weightAt)
  const names = Object.keys(amounts)
  const split = names.map(name => apportion(amounts[name] as number, weights))
  const hours = stamps.map((time, h) => ({
    time,
    amounts: Object.fromEntries(names.map((name, i) => [name, split[i]![h] as number])),
  }))
  const used = hours.filter(h => Object.values(h.amounts).some(v => v !== 0))
  return used.length > 0 ? used : hours.slice(0, 1)
}
