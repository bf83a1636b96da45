// The shape of synthetic traffic over time: a daily rhythm, a weekend dip, and noise. All pure
// functions of (series, hour), never Math.random, so any hour of history exists without being
// stored and the same seed gives the same bytes.

import { gaussian, mix, rng } from '../hash.js'

// Daily rhythm by UTC hour (US working hours peak) and the weekend dip. Captured daily usage
// is spread over its hours by the same shape (server/capture/hours.ts).
export const DIURNAL = [
  0.55, 0.45, 0.38, 0.32, 0.3, 0.3, 0.32, 0.38, 0.45, 0.52, 0.6, 0.68, 0.76, 0.85, 0.95, 1, 1, 0.98, 0.95, 0.9, 0.85,
  0.78, 0.7, 0.62,
]

/** 0 is Sunday; 1970-01-01 (hour 0) was a Thursday. */
export function weekdayOf(hour: number): number {
  return (Math.floor(hour / 24) + 4) % 7
}

/** Traffic at an hour relative to the weekday peak. */
export function rhythm(hour: number): number {
  const weekday = weekdayOf(hour)
  return (DIURNAL[hour % 24] as number) * (weekday === 0 || weekday === 6 ? 0.45 : 1)
}

/**
 * Noise for (series, hour, salt): one hash picks one of 4096 standard normal values drawn once
 * from a fixed generator, and the log-normal factors exp(sigma * z) are tabled too. Same
 * determinism as drawing each time, without a log, a square root and a cosine per record.
 */
const NOISE_BITS = 12
export const NORMAL = (() => {
  const next = rng(0x9e3779b9)
  return Float64Array.from({ length: 1 << NOISE_BITS }, () => gaussian(next(), next()))
})()
const lognormal = (sigma: number) => NORMAL.map(z => Math.exp(sigma * z))
export const LOGNORMAL_30 = lognormal(0.3)
export const LOGNORMAL_25 = lognormal(0.25)
export const LOGNORMAL_20 = lognormal(0.2)
export const LOGNORMAL_10 = lognormal(0.1)

export function noiseIndex(seriesSeed: number, hour: number, salt: number): number {
  return mix(mix(seriesSeed, hour), salt) >>> (32 - NOISE_BITS)
}
