// Sessions: parallel test workers on one server, each with its own clock, usage lag, runtime
// accounts and records, fault rules, journal and rate-limit counters. A session is named by the client and
// created on first use from the start-up state; the world is shared, read-only, never copied.
// A request without a session uses the default one, which behaves as a server without sessions.
// Idle sessions expire (measured on the wall clock, not a session's pinned clock); at most
// MAX_SESSIONS exist, and one more is refused, never made room for by dropping a live one.

import type { Config } from '../config.js'
import { lagOf, type Lag, type UsageLag } from '../data/lag.js'
import { Store } from '../data/store.js'
import type { World } from '../data/world.js'
import { badSessionName, defaultSessionNotDroppable, tooManySessions } from '../messages.js'
import { Clock } from './clock.js'
import { Faults } from './faults.js'
import { Journal } from './journal.js'

export const DEFAULT_SESSION = 'default'
const NAME = /^[A-Za-z0-9._-]{1,64}$/

export class Session {
  readonly store: Store
  readonly clock: Clock
  readonly journal: Journal
  readonly faults: Faults
  /** Bumped by a reset so every rate-limit bucket of the session starts afresh. */
  rateLimitEpoch = 0
  /** Requests answered in the session. */
  requests = 0
  /** The usage lag set at runtime (PUT /_mock/usage-lag); null: the start-up one (USAGE_LAG). */
  private runtimeLag: UsageLag | null = null
  /** What the engine reads of the lag in force; undefined when it is off. */
  lag: Lag | undefined

  constructor(
    readonly name: string,
    private readonly world: World,
    private readonly config: Pick<Config, 'now' | 'journalSize' | 'usageLag'>,
    /** Wall-clock epoch ms. */
    readonly createdMs: number,
    public lastUsedMs: number = createdMs,
  ) {
    this.store = new Store(world)
    this.clock = new Clock(config.now)
    this.journal = new Journal(config.journalSize)
    this.faults = new Faults(world.seed)
    this.lag = lagOf(config.usageLag, world.seed)
  }

  /** The usage lag in force, and whether it was set at runtime or at start-up. */
  get usageLag(): { lag: UsageLag; source: 'runtime' | 'config' } {
    return this.runtimeLag
      ? { lag: this.runtimeLag, source: 'runtime' }
      : { lag: this.config.usageLag, source: 'config' }
  }

  /** Sets the session's usage lag; null returns to the start-up one. */
  setUsageLag(lag: UsageLag | null): void {
    this.runtimeLag = lag
    this.lag = lagOf(lag ?? this.config.usageLag, this.world.seed)
  }

  /** POST /_mock/reset: records, accounts, clock, usage lag, journal, faults and limits as at start-up. */
  reset(): void {
    this.store.reset()
    this.clock.unpin()
    this.setUsageLag(null)
    this.journal.clear()
    this.faults.clear()
    this.rateLimitEpoch++
  }
}

/** A session name from a header or path: 1-64 characters of [A-Za-z0-9._-]; anything else is a 400. */
export function checkSessionName(name: string, where: string): string {
  if (!NAME.test(name)) throw badSessionName(name, where)
  return name
}

export class Sessions {
  readonly default: Session
  private readonly named = new Map<string, Session>()

  constructor(
    private readonly world: World,
    private readonly config: Pick<Config, 'now' | 'journalSize' | 'usageLag' | 'sessionTtl' | 'maxSessions'>,
    /** The wall clock (tests move it instead of sleeping). */
    private readonly wall: () => number = Date.now,
  ) {
    this.default = new Session(DEFAULT_SESSION, world, config, wall())
  }

  /** The session of that name, created on first use; refused (429) past MAX_SESSIONS. */
  get(name: string): Session {
    if (name === DEFAULT_SESSION) return this.default
    const now = this.wall()
    let session = this.named.get(name)
    if (session && this.expired(session, now)) {
      this.named.delete(name)
      session = undefined
    }
    if (!session) {
      if (this.named.size >= this.config.maxSessions) this.sweep(now)
      if (this.named.size >= this.config.maxSessions)
        throw tooManySessions(this.config.maxSessions, this.config.sessionTtl.text)
      session = new Session(name, this.world, this.config, now)
      this.named.set(name, session)
    }
    return session
  }

  /** Marks a request answered in the session, at the wall clock's now. */
  use(session: Session): void {
    session.requests++
    session.lastUsedMs = this.wall()
  }

  /** Every live session, the default one first, then by name. */
  list(): Session[] {
    this.sweep(this.wall())
    return [this.default, ...[...this.named.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))]
  }

  /** Drops a named session; false when there is none of that name. */
  drop(name: string): boolean {
    if (name === DEFAULT_SESSION) throw defaultSessionNotDroppable()
    const session = this.named.get(name)
    if (!session || this.expired(session, this.wall())) {
      this.named.delete(name)
      return false
    }
    return this.named.delete(name)
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastUsedMs >= this.config.sessionTtl.ms
  }

  private sweep(now: number): void {
    for (const [name, session] of this.named) if (this.expired(session, now)) this.named.delete(name)
  }
}
