// The records and keys the server answers from: the world built at start-up, plus what tests
// add at runtime (accounts, keys, records) and, with AUTH=any, placeholder accounts derived
// from the seed. The world itself is never changed, so a reset is dropping the overlay.

import { sha256 } from '../digest.js'
import { roleConflicts } from './directory.js'
import { allStreams } from '../streams/registry.js'
import { FixtureError, type ParsedFixtures } from './fixtures.js'
import type { AccountDef, KeyDef, UsageRecord } from '../model/records.js'
import { buildSyntheticAccount, type AccountProfile } from './synthetic/plan.js'
import { keyDefOf, type KeyOwner, type World, type WorldAccount } from './world.js'

/** [ours] The profile of an account invented under AUTH=any: a small, busy account. */
const PLACEHOLDER_PROFILE: Omit<AccountProfile, 'account'> = {
  scale: 0.05,
  keys: 4,
  models: ['deepseek-v3p1', 'gpt-oss-120b', 'llama-v3p1-8b-instruct', 'kimi-k2p6'],
  deployments: 2,
  trainingJobsPerMonth: 3,
}

/** Explicit record lists of a new account: one empty list per stream. */
const noRecords = () => new Map(allStreams().map(s => [s.kind, [] as UsageRecord[]]))

function mergeSorted<T extends { time: number }>(existing: readonly T[], added: readonly T[]): T[] {
  // A stable sort of the concatenation keeps equal times in the order they arrived.
  return [...existing, ...added].sort((a, b) => a.time - b.time)
}

/**
 * Versions of stores that changed at runtime, unique across every store of the process (each
 * session has its own store): an answer cached for one state is never served for another.
 * Every store in its start-up state has version 0, so they all share those cached answers.
 */
let lastVersion = 0

/**
 * Keys by the SHA-256 of their secret, so the time a lookup takes depends on the digest, never
 * on how much of a secret matches. The world's keys are digested once and shared by all stores.
 */
const worldKeys = new WeakMap<World, ReadonlyMap<string, KeyOwner>>()
function keysOf(world: World): ReadonlyMap<string, KeyOwner> {
  let keys = worldKeys.get(world)
  if (!keys) {
    keys = new Map([...world.keysBySecret].map(([secret, owner]) => [sha256(secret), owner]))
    worldKeys.set(world, keys)
  }
  return keys
}

/** AUTH=any: invented accounts are derived from (seed, account) alone, so all stores share them. */
const worldPlaceholders = new WeakMap<World, Map<string, WorldAccount>>()

export class Store {
  /** Accounts changed or created at runtime, as complete views. */
  private readonly overlay = new Map<string, WorldAccount>()
  /** The overlay's views this store made (placeholders are shared, and copied before a change). */
  private readonly owned = new WeakSet<WorldAccount>()
  /** Keys added at runtime, by digest. */
  private readonly addedKeys = new Map<string, KeyOwner>()
  /** 0 in the start-up state; a new unique number whenever the data changes. */
  version = 0

  constructor(readonly base: World) {}

  reset(): void {
    this.version = 0
    this.overlay.clear()
    this.addedKeys.clear()
  }

  private changed(): void {
    this.version = ++lastVersion
  }

  account(id: string): WorldAccount | undefined {
    return this.overlay.get(id) ?? this.base.accounts.get(id)
  }

  accounts(): WorldAccount[] {
    const ids = new Set([...this.base.accounts.keys(), ...this.overlay.keys()])
    return [...ids].map(id => this.account(id) as WorldAccount)
  }

  ownerOf(secret: string): KeyOwner | undefined {
    const digest = sha256(secret)
    return this.addedKeys.get(digest) ?? keysOf(this.base).get(digest)
  }

  /**
   * Adds validated fixtures at runtime, all or nothing: keys that clash with existing ones
   * (a secret of another key, a key id of another account) reject the whole load.
   */
  load(parsed: ParsedFixtures): void {
    const conflicts = this.keyConflicts(parsed.accounts)
    if (conflicts.length > 0) throw new FixtureError(conflicts)
    this.add(parsed)
  }

  private keyConflicts(defs: readonly AccountDef[]): string[] {
    const problems: string[] = []
    const ids = new Map<string, string>()
    for (const a of this.accounts()) for (const k of a.keys) ids.set(k.id, a.account)
    for (const def of defs) {
      problems.push(...roleConflicts(def.account, [...(this.account(def.account)?.keys ?? []), ...def.keys]))
      for (const k of def.keys) {
        const owner = this.ownerOf(k.secret)
        if (owner && (owner.account !== def.account || owner.keyId !== k.id))
          problems.push(`keys: the secret of key ${JSON.stringify(k.id)} already belongs to key ${owner.keyId}`)
        const idOwner = ids.get(k.id)
        if (idOwner !== undefined && idOwner !== def.account)
          problems.push(`keys: key id ${JSON.stringify(k.id)} already belongs to account ${idOwner}`)
      }
    }
    return problems
  }

  /** Accounts merge their keys into an existing account; records join the account's own. */
  private add(parsed: ParsedFixtures): void {
    this.changed()
    for (const def of parsed.accounts) {
      const view = this.editable(def.account)
      const known = new Set(view.keys.map(k => k.id))
      const fresh: KeyDef[] = def.keys.filter(k => !known.has(k.id))
      view.keys = [...view.keys, ...fresh]
      if (def.fields) view.fields = { ...view.fields, ...def.fields }
      for (const k of fresh)
        this.addedKeys.set(sha256(k.secret), { account: def.account, keyId: k.id, keyName: k.name })
    }
    const byAccount = new Map<string, UsageRecord[]>()
    for (const r of parsed.records) {
      const list = byAccount.get(r.account)
      if (list) list.push(r)
      else byAccount.set(r.account, [r])
    }
    for (const [id, records] of byAccount) {
      const view = this.editable(id)
      const lists = new Map(view.records)
      for (const [kind, list] of lists) {
        const added = records.filter(r => r.kind === kind)
        if (added.length > 0) lists.set(kind, mergeSorted(list, added))
      }
      view.records = lists
    }
  }

  /** Drops the records added at runtime to an account; returns how many there were. */
  clearAddedRecords(id: string): number {
    const view = this.overlay.get(id)
    if (!view || !this.owned.has(view)) return 0
    const base = this.base.accounts.get(id)
    const removed = recordCount(view) - (base ? recordCount(base) : 0)
    if (removed === 0) return 0
    this.changed()
    view.records = base ? base.records : noRecords()
    return removed
  }

  /** AUTH=any: an account nobody defined is a placeholder account derived from the seed. */
  placeholder(id: string): WorldAccount {
    const existing = this.account(id)
    if (existing) return existing
    let shared = worldPlaceholders.get(this.base)
    if (!shared) worldPlaceholders.set(this.base, (shared = new Map<string, WorldAccount>()))
    let view = shared.get(id)
    if (!view) {
      const synthetic = buildSyntheticAccount({
        seed: this.base.seed,
        startMs: this.base.startMs,
        profile: { account: id, ...PLACEHOLDER_PROFILE },
        explicitKeys: [],
        multiplier: 1,
      })
      const keys = synthetic.keys.map(keyDefOf)
      view = { account: id, keys, synthetic, records: noRecords() }
      shared.set(id, view)
    }
    // The same in every store; its answers depend on the seed alone, so the version stays.
    this.overlay.set(id, view)
    return view
  }

  /** How many records were added at runtime, over every account. */
  addedRecords(): number {
    let n = 0
    for (const [id, view] of this.overlay) {
      const base = this.base.accounts.get(id)
      n += recordCount(view) - (base ? recordCount(base) : 0)
    }
    return n
  }

  /** A view of the account this store may change, without touching the world or a shared placeholder. */
  private editable(id: string): WorldAccount {
    let view = this.overlay.get(id)
    if (!view || !this.owned.has(view)) {
      const base = view ?? this.base.accounts.get(id)
      view = base ? { ...base, keys: [...base.keys] } : { account: id, keys: [], records: noRecords() }
      this.overlay.set(id, view)
      this.owned.add(view)
    }
    return view
  }
}

/** How many explicit records an account holds, over every stream. */
export function recordCount(account: WorldAccount): number {
  let n = 0
  for (const list of account.records.values()) n += list.length
  return n
}
