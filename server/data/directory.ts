// Who is who in an account [ours, costs-and-accounts.md sections 1 and 2]: every API key belongs
// to a user (`accounts/<acct>/users/<user>`) with a role, and the account itself is a resource
// (`gatewayAccount`) with fields derived from the world. Pure: a function of the account view and
// the world's start, remembered per view (views are replaced, never changed, when a store edits
// an account).

import { formatUtc, HOUR_MS } from '../time.js'
import { hashString } from './hash.js'
import type { AccountDef, KeyDef, Role } from '../model/records.js'

/**
 * What the directory reads of an account: its keys and fields, and whether it is synthetic (a
 * world's account, data/world.ts, is one; named here so that the world may import the directory).
 */
export interface DirectoryAccount extends AccountDef {
  synthetic?: { keys: readonly { createdHour: number }[] }
}

export interface User {
  /** The last segment of the user's resource name. */
  id: string
  role: Role
}

export interface Directory {
  /** Admins first, then by id. */
  users: readonly User[]
  /** The user id of a key of the account; undefined for a key id the account does not list. */
  userOf(keyId: string): string | undefined
  /** The ids of the keys that belong to a user. */
  keysOf(userId: string): readonly string[]
  roleOf(userId: string): Role | undefined
}

/**
 * [ours] The users of a synthetic account: a few per account, more for accounts with many keys;
 * the first is an admin. The fixed keys of the default world name theirs (fixtures/default/).
 */
const SYNTHETIC_USERS = ['ada', 'grace', 'alan', 'barbara', 'edsger', 'frances'] as const
const KEYS_PER_USER = 10

/** [ours] A fixture account's keys that name no user belong to its one admin user. */
export const DEFAULT_ADMIN = 'admin'

export const userName = (account: string, user: string) => `accounts/${account}/users/${user}`

const directories = new WeakMap<DirectoryAccount, Directory>()

export function directoryOf(account: DirectoryAccount): Directory {
  let d = directories.get(account)
  if (!d) directories.set(account, (d = buildDirectory(account)))
  return d
}

function buildDirectory(account: DirectoryAccount): Directory {
  const roles = new Map<string, Role>()
  const users = new Map<string, string>()
  const synthetic = account.synthetic
    ? SYNTHETIC_USERS.slice(
        0,
        Math.min(SYNTHETIC_USERS.length, Math.max(2, Math.ceil(account.keys.length / KEYS_PER_USER))),
      )
    : []
  synthetic.forEach((u, i) => roles.set(u, i === 0 ? 'admin' : 'user'))
  for (const key of account.keys) {
    // A synthetic key is a user's by a hash of its id: stable however many keys the account has.
    const hashed = synthetic[hashString(`user|${account.account}|${key.id}`) % Math.max(1, synthetic.length)]
    const user: string = key.user ?? hashed ?? DEFAULT_ADMIN
    users.set(key.id, user)
    // A key's named role is its user's (fixtures are checked for agreement); otherwise the
    // default admin is an admin, and a user named without a role is a plain user.
    if (key.role) roles.set(user, key.role)
    else if (!roles.has(user)) roles.set(user, user === DEFAULT_ADMIN && !key.user ? 'admin' : 'user')
  }
  const list = [...roles]
    .map(([id, role]) => ({ id, role }))
    .sort((a, b) => (a.role === b.role ? (a.id < b.id ? -1 : 1) : a.role === 'admin' ? -1 : 1))
  const byUser = new Map<string, string[]>()
  for (const [key, user] of users) byUser.set(user, [...(byUser.get(user) ?? []), key])
  return {
    users: list,
    userOf: keyId => users.get(keyId),
    keysOf: userId => byUser.get(userId) ?? [],
    roleOf: userId => roles.get(userId),
  }
}

/** The problems of keys that give one user two roles (fixture files are checked with these). */
export function roleConflicts(account: string, keys: readonly KeyDef[]): string[] {
  const named = new Map<string, Role>()
  const problems: string[] = []
  for (const key of keys) {
    if (!key.user || !key.role) continue
    const role = named.get(key.user)
    if (role && role !== key.role)
      problems.push(`keys: user ${JSON.stringify(key.user)} of ${account} is given both roles ${role} and ${key.role}`)
    named.set(key.user, key.role)
  }
  return problems
}

/** [real] gatewayAccount, as Gateway_GetAccount and Gateway_ListAccounts answer it. */
export interface GatewayAccount {
  name: string
  displayName: string
  email: string
  createTime: string
  updateTime: string
  accountType: 'ACCOUNT_TYPE_UNSPECIFIED'
  state: 'READY'
  status: { code: 'OK'; message: '' }
  suspendState: string
}

/** An account id as words: `acme-ai` is "Acme Ai". */
const displayNameOf = (id: string) =>
  id
    .split('-')
    .map(w => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ')

/**
 * [ours] The account resource: fixture fields as given, the rest derived from the world.
 * `createTime` is when the account's first key appears (the world's start for fixture keys).
 */
export function accountResource(account: DirectoryAccount, worldStartMs: number): GatewayAccount {
  const f = account.fields ?? {}
  const firstKeyHour = account.synthetic ? Math.min(...account.synthetic.keys.map(k => k.createdHour)) : Infinity
  const created = f.createTime ?? (Number.isFinite(firstKeyHour) ? firstKeyHour * HOUR_MS : worldStartMs)
  const time = formatUtc(created)
  return {
    name: `accounts/${account.account}`,
    displayName: f.displayName ?? displayNameOf(account.account),
    email: f.email ?? `billing@${account.account}.example.com`,
    createTime: time,
    updateTime: time,
    accountType: 'ACCOUNT_TYPE_UNSPECIFIED',
    state: 'READY',
    status: { code: 'OK', message: '' },
    suspendState: f.suspendState ?? 'UNSUSPENDED',
  }
}
