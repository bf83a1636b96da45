// Serialized answers, kept by a key that names everything an answer depends on (operation,
// account, URL, the store's version, and what of the window exists at the request's clock),
// so a hit is the same bytes a fresh computation would give.
//
// Least recently used entries go first once the byte budget is spent, but only for an answer
// asked more often than they were (TinyLFU's admission, as in Caffeine): when a test cycles
// through more questions than fit, plain LRU would evict on every request and hit never, and
// the churn of short-lived buffers made the memory allocator hold 4x the budget under load.
// Counts are halved every ASKS_PER_AGING askings, so that what was popular long ago fades.

import { hashString } from './data/hash.js'

/** A serialized answer, with what computing it counted (for x-mock-explain). */
export interface CachedAnswer {
  body: Buffer
  records: number
  rows: number
}

export const ASKS_PER_AGING = 16_384

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>()
  private bytes = 0
  /** How often each question was asked (by a 32-bit hash of its key: a collision only adds a count). */
  private readonly asks = new Map<number, number>()
  private asksSinceAging = 0

  constructor(private readonly maxBytes: number) {}

  /** The answer kept for `key`, if any; counts the asking either way. */
  get(key: string): CachedAnswer | undefined {
    this.countAsk(key)
    const hit = this.entries.get(key)
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }

  /**
   * Keeps an answer if it fits in the budget's free part, or if every entry it would push out
   * was asked less often than it was. The bytes are copied only when kept.
   */
  set(key: string, json: string, counts: { records: number; rows: number }): void {
    const size = Buffer.byteLength(json)
    if (size > this.maxBytes) return
    const old = this.entries.get(key)
    if (old) {
      this.bytes -= old.body.length
      this.entries.delete(key)
    }
    const victims: string[] = []
    let freed = 0
    const asked = this.askCount(key)
    for (const [k, v] of this.entries) {
      if (this.bytes - freed + size <= this.maxBytes) break
      if (this.askCount(k) >= asked) return
      victims.push(k)
      freed += v.body.length
    }
    for (const k of victims) this.entries.delete(k)
    this.bytes += size - freed
    this.entries.set(key, { body: Buffer.from(json), records: counts.records, rows: counts.rows })
  }

  clear(): void {
    this.entries.clear()
    this.bytes = 0
    this.asks.clear()
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes }
  }

  private askCount(key: string): number {
    return this.asks.get(hashString(key)) ?? 0
  }

  private countAsk(key: string): void {
    if (this.maxBytes === 0) return
    const hash = hashString(key)
    this.asks.set(hash, (this.asks.get(hash) ?? 0) + 1)
    if (++this.asksSinceAging < ASKS_PER_AGING) return
    this.asksSinceAging = 0
    for (const [h, n] of this.asks) {
      if (n < 2) this.asks.delete(h)
      else this.asks.set(h, n >> 1)
    }
  }
}
