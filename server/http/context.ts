import { AnswerCache } from '../answer-cache.js'
import type { Config } from '../config.js'
import { Store } from '../data/store.js'
import type { World, WorldAccount } from '../data/world.js'
import { Clock } from '../mock/clock.js'
import { Faults } from '../mock/faults.js'
import { Journal } from '../mock/journal.js'

/** The server's state and settings, built once per app and shared by the routes. */
export interface AppContext {
  config: Config
  store: Store
  clock: Clock
  journal: Journal
  faults: Faults
  cache: AnswerCache
  /** Bumped by a reset so every rate-limit bucket starts afresh. */
  rateLimitEpoch: number
}

export function createContext(config: Config, world: World): AppContext {
  return {
    config,
    store: new Store(world),
    clock: new Clock(config.now),
    journal: new Journal(config.journalSize),
    faults: new Faults(world.seed),
    cache: new AnswerCache(config.cacheMb * 1024 * 1024),
    rateLimitEpoch: 0,
  }
}

/** POST /_mock/reset: records, accounts, clock, journal, faults and limits as at start-up. */
export function resetContext(ctx: AppContext): void {
  ctx.store.reset()
  ctx.clock.unpin()
  ctx.journal.clear()
  ctx.faults.clear()
  ctx.cache.clear()
  ctx.rateLimitEpoch++
}

/** The account an authenticated caller asked for; under AUTH=any one nobody defined is invented. */
export function accountOf(ctx: AppContext, account: string): WorldAccount {
  const a = ctx.store.account(account) ?? (ctx.config.auth === 'any' ? ctx.store.placeholder(account) : undefined)
  if (!a) throw new Error(`authenticated account ${account} is missing from the store`)
  return a
}
