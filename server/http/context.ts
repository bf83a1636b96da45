import type { Config } from '../config.js'
import type { World, WorldAccount } from '../data/world.js'
import type { KeyRing } from './auth.js'

/** What the routes share: built once per app by buildApp. */
export interface AppContext {
  config: Config
  world: World
  keys: KeyRing
  /** The clock in epoch ms: the pinned NOW, else the wall clock. */
  now: () => number
}

export function accountOf(ctx: AppContext, account: string): WorldAccount {
  const a = ctx.world.accounts.get(account)
  if (!a) throw new Error(`authenticated account ${account} is missing from the world`)
  return a
}
