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
  /** Upper-case HTTP method. */
  method?: string
  status?: number
  limit?: number
}

function matches(e: JournalEntry, filter: JournalFilter): boolean {
  return (
    (filter.path === undefined || e.path === filter.path) &&
    (filter.account === undefined || e.account === filter.account) &&
    (filter.method === undefined || e.method === filter.method) &&
    (filter.status === undefined || e.status === filter.status)
  )
}

export class Journal {
  /** Grows up to the capacity, then wraps: a session that is never used costs nothing. */
  private ring: JournalEntry[] = []
  private next = 0

  constructor(readonly capacity: number) {}

  add(entry: JournalEntry): void {
    if (this.capacity === 0) return
    this.ring[this.next] = entry
    this.next = (this.next + 1) % this.capacity
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = []
    const limit = filter.limit ?? this.capacity
    const count = this.ring.length
    for (let i = 1; i <= count && out.length < limit; i++) {
      const e = this.ring[(this.next - i + count) % count] as JournalEntry
      if (matches(e, filter)) out.push(e)
    }
    return out
  }

  /** How many kept entries match (limit does not apply). */
  count(filter: JournalFilter = {}): number {
    let n = 0
    for (const e of this.ring) if (matches(e, filter)) n++
    return n
  }

  clear(): void {
    this.ring = []
    this.next = 0
  }

  get size(): number {
    return this.ring.length
  }
}
