// Serialized answers, kept by a key that names everything an answer depends on (operation,
// account, the parsed query's meaning, the store's version, and what of the window exists at the
// request's clock: pipeline/pipeline.ts), so a hit is the same bytes a fresh computation would give.
//
// The budget has two parts, as in Caffeine's W-TinyLFU. A new answer of up to WINDOW_SHARE of the
// budget enters the window, so a question asked again soon hits, however popular earlier answers
// were: a test that changes the store, then asks twice. Answers leaving the window, least
// recently used first, and answers larger than the window, enter the main part only if every
// entry they would push out was asked less often than they were (TinyLFU's admission): when a
// test cycles through more questions than fit, plain LRU would evict on every request and hit
// never. Answers arrive as the Buffers the server sends and are kept as they are; the soak's peak
// RSS (see WINDOW_SHARE) is what says that this churn is affordable. Counts are halved every
// ASKS_PER_AGING askings, so that what was popular long ago fades.

import { hashString } from './data/hash.js'

/** A serialized answer, with what computing it counted (for x-mock-explain). */
export interface CachedAnswer {
  body: Buffer
  records: number
  rows: number
}

export const ASKS_PER_AGING = 16_384
/**
 * The window's share of the budget; an answer larger than the window competes for the main part
 * at once. (npm run soak, CACHE_MB=16, three runs each: with a 20% window ~15-20% fewer req/s
 * than without one; with 5%, 1,440-1,630 req/s and a peak RSS of 145 MB, against 1,670-1,990
 * req/s and 160-170 MB without a window.)
 */
export const WINDOW_SHARE = 0.05

/** Entries in least recently used order (a Map keeps insertion order), and their bytes. */
class Lru {
  readonly entries = new Map<string, { answer: CachedAnswer; size: number }>()
  bytes = 0

  constructor(readonly maxBytes: number) {}

  /** The entry, marked as most recently used. */
  touch(key: string): CachedAnswer | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    this.entries.delete(key)
    this.entries.set(key, e)
    return e.answer
  }

  add(key: string, answer: CachedAnswer, size: number): void {
    this.entries.set(key, { answer, size })
    this.bytes += size
  }

  delete(key: string): void {
    const e = this.entries.get(key)
    if (!e) return
    this.entries.delete(key)
    this.bytes -= e.size
  }
}

export class AnswerCache {
  private readonly window: Lru
  private readonly main: Lru
  /** How often each question was asked (by a 32-bit hash of its key: a collision only adds a count). */
  private readonly asks = new Map<number, number>()
  private asksSinceAging = 0

  constructor(maxBytes: number) {
    const windowBytes = Math.floor(maxBytes * WINDOW_SHARE)
    this.window = new Lru(windowBytes)
    this.main = new Lru(maxBytes - windowBytes)
  }

  /** The answer kept for `key`, if any; counts the asking either way. */
  get(key: string): CachedAnswer | undefined {
    this.countAsk(key)
    return this.window.touch(key) ?? this.main.touch(key)
  }

  /**
   * Offers a computed answer, replacing any kept for the key: into the window, or, larger than
   * the window, straight to admission into the main part. The answer's Buffer is kept as it is:
   * it must not be changed afterwards.
   */
  set(key: string, answer: CachedAnswer): void {
    const size = answer.body.length
    this.window.delete(key)
    this.main.delete(key)
    if (size > this.window.maxBytes) {
      this.admit(key, size, answer)
      return
    }
    this.window.add(key, answer, size)
    for (const [k, e] of this.window.entries) {
      if (this.window.bytes <= this.window.maxBytes) break
      this.window.delete(k)
      this.admit(k, e.size, e.answer)
    }
  }

  get size(): { entries: number; bytes: number } {
    return {
      entries: this.window.entries.size + this.main.entries.size,
      bytes: this.window.bytes + this.main.bytes,
    }
  }

  /**
   * Into the main part if it fits in its free part, or if every entry it would push out was
   * asked less often than it was.
   */
  private admit(key: string, size: number, answer: CachedAnswer): void {
    const main = this.main
    if (size > main.maxBytes) return
    const victims: string[] = []
    let freed = 0
    const asked = this.askCount(key)
    for (const [k, e] of main.entries) {
      if (main.bytes - freed + size <= main.maxBytes) break
      if (this.askCount(k) >= asked) return
      victims.push(k)
      freed += e.size
    }
    for (const k of victims) main.delete(k)
    main.add(key, answer, size)
  }

  private askCount(key: string): number {
    return this.asks.get(hashString(key)) ?? 0
  }

  private countAsk(key: string): void {
    if (this.main.maxBytes === 0) return
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
