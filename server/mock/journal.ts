// The request journal: the last N requests to the real API, newest first. A fixed-size ring, so
// a long run never grows memory. Only key ids are kept, never secrets.

export interface JournalEntry {
  id: string
  time: string
  method: string
  path: string
  query: unknown
  account: string | null
  keyId: string | null
  status: number
  durationMs: number
}

export interface JournalFilter {
  path?: string
  account?: string
  limit?: number
}

export class Journal {
  private ring: (JournalEntry | undefined)[]
  private next = 0
  private count = 0

  constructor(readonly capacity: number) {
    this.ring = new Array<JournalEntry | undefined>(capacity)
  }

  add(entry: JournalEntry): void {
    if (this.capacity === 0) return
    this.ring[this.next] = entry
    this.next = (this.next + 1) % this.capacity
    this.count = Math.min(this.count + 1, this.capacity)
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = []
    const limit = filter.limit ?? this.capacity
    for (let i = 1; i <= this.count && out.length < limit; i++) {
      const e = this.ring[(this.next - i + this.capacity) % this.capacity] as JournalEntry
      if (filter.path !== undefined && e.path !== filter.path) continue
      if (filter.account !== undefined && e.account !== filter.account) continue
      out.push(e)
    }
    return out
  }

  clear(): void {
    this.ring = new Array<JournalEntry | undefined>(this.capacity)
    this.next = 0
    this.count = 0
  }

  get size(): number {
    return this.count
  }
}
