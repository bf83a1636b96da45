// The mock's clock: the configured NOW (or the wall clock), which PUT /_mock/clock can pin and
// DELETE returns to. A single request can bring its own instant in the x-mock-now header.

export class Clock {
  private pinned: number | null = null

  constructor(
    private readonly configured: number | null,
    private readonly wall: () => number = Date.now,
  ) {}

  now(): number {
    return this.pinned ?? this.configured ?? this.wall()
  }

  pin(ms: number): void {
    this.pinned = ms
  }

  unpin(): void {
    this.pinned = null
  }

  /** 'runtime' (PUT /_mock/clock), 'config' (NOW) or 'wall'. */
  source(): 'runtime' | 'config' | 'wall' {
    return this.pinned !== null ? 'runtime' : this.configured !== null ? 'config' : 'wall'
  }
}
