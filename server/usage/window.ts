// The longest window a request may ask for, in one place: billingUsage, its companions and the
// mock's record export all allow at most 31 days [ours; the docs' own example, May 1 to June 1,
// is 31 days, so exactly 31 x 24 hours is allowed].

import { DAY_MS, type Instant } from '../time.js'

export const MAX_WINDOW_DAYS = 31
export const MAX_WINDOW_MS = MAX_WINDOW_DAYS * DAY_MS

/** More than 31 x 24 hours from start to end, to the nanosecond. */
export function longerThanAllowed(start: Instant, end: Instant): boolean {
  const spanMs = end.ms - start.ms
  return spanMs > MAX_WINDOW_MS || (spanMs === MAX_WINDOW_MS && end.subNs > start.subNs)
}
