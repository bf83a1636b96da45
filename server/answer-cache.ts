// Serialized answers, kept by a key that names everything an answer depends on (operation,
// account, URL, the store's version, and what of the window exists at the request's clock),
// so a hit is the same bytes a fresh computation would give. Least recently used entries go
// first once the byte budget is spent.

/** A serialized answer, with what computing it counted (for x-mock-explain). */
export interface CachedAnswer {
  body: Buffer
  records: number
  rows: number
}

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>()
  private bytes = 0

  constructor(private readonly maxBytes: number) {}

  get(key: string): CachedAnswer | undefined {
    const hit = this.entries.get(key)
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }

  set(key: string, value: CachedAnswer): void {
    if (value.body.length > this.maxBytes) return
    const old = this.entries.get(key)
    if (old) {
      this.bytes -= old.body.length
      this.entries.delete(key)
    }
    this.entries.set(key, value)
    this.bytes += value.body.length
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(k)
      this.bytes -= v.body.length
    }
  }

  clear(): void {
    this.entries.clear()
    this.bytes = 0
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes }
  }
}
