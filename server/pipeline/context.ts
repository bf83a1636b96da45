// The server's state and settings, built once per app and shared by the pipeline and the routes:
// the world (read-only), the answer cache, and the sessions, each with its own mutable state.

import { setTimeout as timer } from 'node:timers/promises'
import { AnswerCache } from '../answer-cache.js'
import type { Config } from '../config.js'
import type { World, WorldAccount } from '../data/world.js'
import { Sessions, type Session } from '../mock/sessions.js'
import { HourlySums } from '../usage/hourly-sums.js'

export interface AppContext {
  config: Config
  world: World
  cache: AnswerCache
  /** Hourly sums of synthetic usage, reused by every question (SUMS_MB). */
  sums: HourlySums
  sessions: Sessions
  /** What POST /_mock/shutdown does once it has answered: main.ts exits the process, in process the app closes. */
  shutdown: () => void
  /** How injected delays (x-mock-delay-ms, fault rules) wait. */
  sleep: (ms: number) => Promise<void>
}

export function createContext(
  config: Config,
  world: World,
  wall: (() => number) | undefined,
  shutdown: () => void,
  sleep: (ms: number) => Promise<void> = ms => timer(ms),
): AppContext {
  return {
    config,
    world,
    cache: new AnswerCache(config.cacheMb * 1024 * 1024),
    sums: new HourlySums(config.sumsMb * 1024 * 1024),
    sessions: new Sessions(world, config, wall),
    shutdown,
    sleep,
  }
}

/** The account an authenticated caller asked for; under AUTH=any one nobody defined is invented. */
export function accountOf(config: Config, session: Session, account: string): WorldAccount {
  const a = session.store.account(account) ?? (config.auth === 'any' ? session.store.placeholder(account) : undefined)
  if (!a) throw new Error(`authenticated account ${account} is missing from the store`)
  return a
}
