// The world: accounts, their keys, the synthetic usage generators and the explicit fixture
// records. Built once at start-up from fixtures/world.json, fixtures/default/ and FIXTURES.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { closestName } from '../did-you-mean.js'
import { roleConflicts } from './directory.js'
import { DEFAULT_FIXTURES_DIR, DEFAULT_WORLD_FILE } from '../paths.js'
import { parseRfc3339 } from '../time.js'
import { FixtureError, parseFixtures, type FixtureFile } from './fixtures.js'
import { allStreams } from '../streams/registry.js'
import type { AccountFields, KeyDef, UsageRecord } from '../model/records.js'
import {
  buildSyntheticAccount,
  deployableModels,
  type AccountProfile,
  type SyntheticAccount,
} from './synthetic/plan.js'

export interface WorldSpec {
  /** The instant synthetic history begins. */
  start: string
  accounts: AccountProfile[]
}

export interface WorldAccount {
  account: string
  keys: KeyDef[]
  /** The account resource's fields that fixtures set (the rest are derived: data/directory.ts). */
  fields?: AccountFields
  synthetic?: SyntheticAccount
  /** Explicit fixture records by stream kind, each list sorted by time (stable for equal times). */
  records: ReadonlyMap<string, readonly UsageRecord[]>
}

export interface KeyOwner {
  account: string
  keyId: string
  keyName: string
}

export interface World {
  seed: number
  startMs: number
  accounts: ReadonlyMap<string, WorldAccount>
  keysBySecret: ReadonlyMap<string, KeyOwner>
}

export interface WorldInput {
  seed: number
  spec: WorldSpec
  /** Files of the default world (fixtures/default/) then the user's FIXTURES folder. */
  files: FixtureFile[]
  /** Multiplies each synthetic account's keys, deployments and jobs. */
  multiplier?: number
}

/** The world's start, once every problem of the spec is known: all of them are reported at once. */
function checkSpec(spec: WorldSpec, where: string): number {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new FixtureError([`${where}: must be an object with start and accounts`])
  const problems: string[] = []
  const start = typeof spec.start === 'string' ? parseRfc3339(spec.start) : null
  if (!start) problems.push(`${where}: start: must be an RFC 3339 timestamp`)
  if (!Array.isArray(spec.accounts)) problems.push(`${where}: accounts: must be an array`)
  else {
    const seen = new Set<string>()
    spec.accounts.forEach((p, i) => {
      problems.push(...profileProblems(p, `${where}: accounts[${i}]`))
      const account: unknown = p?.account
      if (typeof account !== 'string') return
      if (seen.has(account)) problems.push(`${where}: accounts[${i}]: account: ${account} is listed twice`)
      seen.add(account)
    })
  }
  if (!start || problems.length > 0) throw new FixtureError(problems)
  return start.ms
}

/** Every field of a profile (the type makes sure none is missing here or extra). */
const PROFILE_FIELDS: Record<keyof AccountProfile, true> = {
  account: true,
  scale: true,
  keys: true,
  models: true,
  deployments: true,
  trainingJobsPerMonth: true,
}

/** What is wrong with one account profile (a wrong type would otherwise fail deep in the generator). */
function profileProblems(p: AccountProfile, where: string): string[] {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return [`${where}: must be an object`]
  const problems: string[] = []
  const check = (field: keyof AccountProfile, ok: boolean, text: string) => {
    if (!ok) problems.push(`${where}: ${field}: ${text}`)
  }
  // A misspelt field would otherwise show only as the right one missing.
  const known = Object.keys(PROFILE_FIELDS)
  for (const field of Object.keys(p)) {
    if (Object.hasOwn(PROFILE_FIELDS, field)) continue
    const meant = closestName(field, known)
    const hint = meant === undefined ? `known: ${known.join(', ')}` : `did you mean ${JSON.stringify(meant)}?`
    problems.push(`${where}: ${field}: unknown field (${hint})`)
  }
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0
  check('account', typeof p.account === 'string' && p.account !== '', 'must be a non-empty string')
  check('scale', typeof p.scale === 'number' && Number.isFinite(p.scale) && p.scale >= 0, 'must be a number >= 0')
  check('keys', count(p.keys), 'must be an integer >= 0')
  const models = Array.isArray(p.models) && p.models.every(m => typeof m === 'string' && m !== '')
  check('models', models, 'must be an array of model ids')
  check('deployments', count(p.deployments), 'must be an integer >= 0')
  if (models && count(p.deployments) && p.deployments > 0)
    check('deployments', deployableModels(p).length > 0, 'need a text model in models to serve')
  const jobs = p.trainingJobsPerMonth
  check('trainingJobsPerMonth', typeof jobs === 'number' && Number.isFinite(jobs) && jobs >= 0, 'must be a number >= 0')
  return problems
}

export function buildWorld(input: WorldInput, specPath = 'world.json'): World {
  const startMs = checkSpec(input.spec, specPath)
  const profiles = new Map(input.spec.accounts.map(p => [p.account, p]))
  const parsed = parseFixtures(input.files, new Set(profiles.keys()))

  const accounts = new Map<string, WorldAccount>()
  const records = new Map<string, Map<string, UsageRecord[]>>()
  const ensure = (account: string): WorldAccount => {
    let a = accounts.get(account)
    if (!a) {
      const lists = new Map(allStreams().map(s => [s.kind, [] as UsageRecord[]]))
      records.set(account, lists)
      a = { account, keys: [], records: lists }
      accounts.set(account, a)
    }
    return a
  }
  for (const def of parsed.accounts) {
    const a = ensure(def.account)
    a.keys.push(...def.keys)
    if (def.fields) a.fields = { ...a.fields, ...def.fields }
  }
  for (const profile of input.spec.accounts) {
    const a = ensure(profile.account)
    a.synthetic = buildSyntheticAccount({
      seed: input.seed,
      startMs,
      profile,
      explicitKeys: a.keys,
      multiplier: input.multiplier ?? 1,
    })
    a.keys = a.synthetic.keys.map(keyDefOf)
  }
  for (const record of parsed.records) {
    ensure(record.account)
    records.get(record.account)?.get(record.kind)?.push(record)
  }
  for (const lists of records.values()) for (const list of lists.values()) list.sort((x, y) => x.time - y.time)

  const keysBySecret = new Map<string, KeyOwner>()
  const keyIds = new Map<string, string>()
  const problems: string[] = []
  for (const a of accounts.values()) {
    problems.push(...roleConflicts(a.account, a.keys))
    for (const key of a.keys) {
      const owner = keyIds.get(key.id)
      if (owner !== undefined && owner !== a.account)
        problems.push(`keys: key id ${JSON.stringify(key.id)} is defined for both ${owner} and ${a.account}`)
      keyIds.set(key.id, a.account)
      const bySecret = keysBySecret.get(key.secret)
      if (bySecret && (bySecret.account !== a.account || bySecret.keyId !== key.id))
        problems.push(
          `keys: secret of key ${JSON.stringify(key.id)} (${a.account}) is also the secret of ${bySecret.keyId} (${bySecret.account})`,
        )
      keysBySecret.set(key.secret, { account: a.account, keyId: key.id, keyName: key.name })
    }
  }
  if (problems.length > 0) throw new FixtureError(problems)
  return { seed: input.seed, startMs, accounts, keysBySecret }
}

/** A synthetic key as the account lists it: the fields of a fixture key (a fixture's user and role kept). */
export function keyDefOf({ id, name, secret, user, role }: KeyDef): KeyDef {
  return { id, name, secret, ...(user !== undefined ? { user } : {}), ...(role !== undefined ? { role } : {}) }
}
const isFixtureFile = (name: string) => name.endsWith('.json') || name.endsWith('.ndjson')

/** Reads every *.json and *.ndjson file of a folder, sorted by name. */
export function readFixtureDir(dir: string): FixtureFile[] {
  let names: string[]
  try {
    if (!statSync(dir).isDirectory()) throw new FixtureError([`${dir}: not a folder`])
    names = readdirSync(dir)
  } catch (err) {
    if (err instanceof FixtureError) throw err
    throw new FixtureError([`${dir}: ${(err as Error).message}`])
  }
  return names
    .filter(isFixtureFile)
    .sort()
    .map(n => ({ path: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }))
}

export function readWorldSpec(path: string): WorldSpec {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as WorldSpec
  } catch (err) {
    throw new FixtureError([`${path}:1: json: ${(err as Error).message}`])
  }
}

/**
 * What is wrong with a folder of the user's fixture files, in words, or undefined. A relative
 * folder is resolved against the working directory, and the message says where it looked. A
 * folder that holds no fixture file (only `.jsonl` files, say) would start the server without
 * its accounts, so it is a problem too. The FIXTURES setting checks its value with this, so the
 * error names the setting as the user gave it (FIXTURES, --fixtures or the fixtures option).
 */
export function fixtureFolderProblem(dir: string): string | undefined {
  const where = resolve(dir)
  let names: string[]
  try {
    if (!statSync(where).isDirectory()) return `not a folder: ${where}`
    names = readdirSync(where).sort()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return `no such folder: ${where}`
    if (code === 'ENOTDIR') return `no such folder: ${where} (a part of the path is a file)`
    return `cannot read the folder ${where}: ${(err as Error).message}`
  }
  if (names.some(isFixtureFile)) return undefined
  const found =
    names.length > 0 ? `found only ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}` : 'it is empty'
  return `no *.json or *.ndjson fixture file in ${where} (${found})`
}

/** The user's fixture folder, checked again for a Config not made from the settings (configWith). */
function userFixtures(dir: string): FixtureFile[] {
  const problem = fixtureFolderProblem(dir)
  if (problem) throw new FixtureError([`fixtures ${JSON.stringify(dir)}: ${problem}`])
  return readFixtureDir(dir)
}

/**
 * The default world (fixtures/world.json and fixtures/default/) plus the user's fixture folder.
 * With `synthetic: 'off'` only the user's folder [ours]: a captured account then stands alone,
 * and a test's numbers are exactly its records' (world.json still gives the world's start).
 */
export function loadWorld(options: {
  seed: number
  fixtures: string | null
  worldScale: number
  synthetic?: 'on' | 'off'
}): World {
  const off = options.synthetic === 'off'
  const files = off ? [] : readFixtureDir(DEFAULT_FIXTURES_DIR)
  if (options.fixtures) files.push(...userFixtures(options.fixtures))
  const spec = readWorldSpec(DEFAULT_WORLD_FILE)
  return buildWorld(
    { seed: options.seed, spec: off ? { ...spec, accounts: [] } : spec, files, multiplier: options.worldScale },
    DEFAULT_WORLD_FILE,
  )
}
