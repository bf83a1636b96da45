// The records and keys the server answers from: the world built at start-up, plus what tests
// add at runtime (accounts, keys, records) and, with AUTH=any, placeholder accounts derived
// from the seed. The world itself is never changed, so a reset is dropping the overlay.

import { sha256 } from '../digest.js'
import { allStreams } from '../streams/registry.js'
import { FixtureError, type ParsedFixtures } from './fixtures.js'
import type { AccountDef, KeyDef, UsageRecord } from './records.js'
import { buildSyntheticAccount, type AccountProfile } from './synthetic/plan.js'
import type { KeyOwner, World, WorldAccount } from './world.js'

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

export class Store {
  /** Accounts changed or created at runtime, as complete views. */
  private readonly overlay = new Map<string, WorldAccount>()
  /**
   * Keys by the SHA-256 of their secret, so the time a lookup takes depends on the digest,
   * never on how much of a secret matches.
   */
  private keys = new Map<string, KeyOwner>()
  /** Changes whenever the data changes, so cached answers of older data are never served. */
  version = 0

  constructor(readonly base: World) {
    this.reset()
  }

  reset(): void {
    this.version++
    this.overlay.clear()
    this.keys = new Map([...this.base.keysBySecret].map(([secret, owner]) => [sha256(secret), owner]))
  }

  account(id: string): WorldAccount | undefined {
    return this.overlay.get(id) ?? this.base.accounts.get(id)
  }

  accounts(): WorldAccount[] {
    const ids = new Set([...this.base.accounts.keys(), ...this.overlay.keys()])
    return [...ids].map(id => this.account(id) as WorldAccount)
  }

  ownerOf(secret: string): KeyOwner | undefined {
    return this.keys.get(sha256(secret))
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
    for (const def of defs)
      for (const k of def.keys) {
        const owner = this.ownerOf(k.secret)
        if (owner && (owner.account !== def.account || owner.keyId !== k.id))
          problems.push(`keys: the secret of key ${JSON.stringify(k.id)} already belongs to key ${owner.keyId}`)
        const idOwner = ids.get(k.id)
        if (idOwner !== undefined && idOwner !== def.account)
          problems.push(`keys: key id ${JSON.stringify(k.id)} already belongs to account ${idOwner}`)
      }
    return problems
  }

  /** Accounts merge their keys into an existing account; records join the account's own. */
  private add(parsed: ParsedFixtures): void {
    this.version++
    for (const def of parsed.accounts) {
      const view = this.editable(def.account)
      const known = new Set(view.keys.map(k => k.id))
      const fresh: KeyDef[] = def.keys.filter(k => !known.has(k.id))
      view.keys = [...view.keys, ...fresh]
      for (const k of fresh) this.keys.set(sha256(k.secret), { account: def.account, keyId: k.id, keyName: k.name })
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
    if (!view) return 0
    this.version++
    const base = this.base.accounts.get(id)
    const removed = recordCount(view) - (base ? recordCount(base) : 0)
    view.records = base ? base.records : noRecords()
    return removed
  }

  /** AUTH=any: an account nobody defined is a placeholder account derived from the seed. */
  placeholder(id: string): WorldAccount {
    const existing = this.account(id)
    if (existing) return existing
    const synthetic = buildSyntheticAccount({
      seed: this.base.seed,
      startMs: this.base.startMs,
      profile: { account: id, ...PLACEHOLDER_PROFILE },
      explicitKeys: [],
      multiplier: 1,
    })
    const view: WorldAccount = {
      account: id,
      keys: synthetic.keys.map(({ id: keyId, name, secret }) => ({ id: keyId, name, secret })),
      synthetic,
      records: noRecords(),
    }
    this.overlay.set(id, view)
    return view
  }

  /** A view of the account that may be changed without touching the world. */
  private editable(id: string): WorldAccount {
    let view = this.overlay.get(id)
    if (!view) {
      const base = this.base.accounts.get(id)
      view = base ? { ...base, keys: [...base.keys] } : { account: id, keys: [], records: noRecords() }
      this.overlay.set(id, view)
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
