// A bucket: the span of time one row of an answer covers (a local day, or an hour). Types only.

export interface Bucket {
  startMs: number
  endMs: number
  /** The bounds as rows print them [ours]: RFC 3339 UTC, Z, no fraction (formatted once). */
  startTime: string
  endTime: string
}
