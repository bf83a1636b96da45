// The record model: one metered usage event of one stream. The fields every record has are
// here; what a stream's records hold besides is in that stream's description (server/streams/).

/** Annotation values; '' means the record has no such annotation (contract 1.4). */
export interface Annotations {
  team: string
  project: string
  environment: string
}
export const ANNOTATION_KEYS = ['team', 'project', 'environment'] as const

export interface UsageRecord {
  /** The stream: serverless, dedicated, training (its description's `kind`). */
  kind: string
  account: string
  /** Epoch milliseconds. */
  time: number
  /**
   * [ours] Epoch milliseconds before which only part of the record is visible (fixture records
   * only; see data/lag.ts). Absent: whole as soon as it exists.
   */
  settledAt?: number
  annotations: Annotations
}

/** [ours] A user's role in its account: an admin may ask for the whole account's costs. */
export type Role = 'admin' | 'user'
export const ROLES: readonly Role[] = ['admin', 'user']

export interface KeyDef {
  id: string
  name: string
  secret: string
  /** The user the key belongs to (`accounts/<acct>/users/<user>`), when a fixture names it. */
  user?: string
  /** That user's role, when a fixture names it. */
  role?: Role
}

/** [real] gatewayAccount.suspendState values. */
export const SUSPEND_STATES = [
  'UNSUSPENDED',
  'FAILED_PAYMENTS',
  'CREDIT_DEPLETED',
  'MONTHLY_SPEND_LIMIT_EXCEEDED',
  'BLOCKED_BY_ABUSE_RULE',
] as const

/** The account resource's fields a fixture may set [ours]; the rest are derived. */
export interface AccountFields {
  displayName?: string
  email?: string
  /** Epoch milliseconds. */
  createTime?: number
  suspendState?: (typeof SUSPEND_STATES)[number]
}

export interface AccountDef {
  account: string
  keys: KeyDef[]
  fields?: AccountFields
}
