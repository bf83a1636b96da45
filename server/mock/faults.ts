// Fault injection: rules that answer matching real-API requests with an error (in the real
// envelope, with the gRPC code for the status) and/or a delay. Probability draws are a pure
// function of (seed, rule, match number), so a run repeats exactly.

import { grpcCodeForStatus, GrpcCode, type ApiError } from '../errors.js'
import {
  faultRuleBadPath,
  faultRuleBadProbability,
  faultRuleCodeWithoutStatus,
  faultRuleDoesNothing,
  faultRuleNotIntegerIn,
  faultRuleNotObject,
  faultRuleNotString,
  faultRulesNotList,
  faultRuleUnknownCode,
  faultRuleUnknownField,
  injectedFault,
} from '../messages.js'
import { didYouMean } from '../did-you-mean.js'
import { hashString, mix, unit } from '../data/hash.js'

export interface FaultRule {
  /** URL path to match; `*` matches within one segment, `**` across segments. Default: every path. */
  path?: string
  account?: string
  /** HTTP status 400-599 to answer with; omitted: the request only waits delayMs, then runs. */
  status?: number
  code?: number
  message?: string
  delayMs?: number
  probability?: number
  /** How many times the rule may fire; omitted: unlimited. */
  times?: number
}

export interface FaultState {
  rule: FaultRule
  matched: number
  fired: number
}

export const MAX_DELAY_MS = 60_000
const FIELDS = ['path', 'account', 'status', 'code', 'message', 'delayMs', 'probability', 'times']
const GRPC_CODES = new Set<number>(Object.values(GrpcCode))

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  // `**` first becomes a placeholder no path holds, so that the single `*` rule cannot touch it.
  const placeholder = '\u0000'
  return new RegExp(`^${escaped.replaceAll('**', placeholder).replaceAll('*', '[^/]*').replaceAll(placeholder, '.*')}$`)
}

/** Validates rules from a request body; every problem names the rule index and field. */
export function parseFaultRules(body: unknown): FaultRule[] {
  const list = Array.isArray(body) ? body : (body as { rules?: unknown } | null)?.rules
  if (!Array.isArray(list)) throw faultRulesNotList()
  return list.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw faultRuleNotObject(i)
    const r = raw as Record<string, unknown>
    for (const k of Object.keys(r)) if (!FIELDS.includes(k)) throw faultRuleUnknownField(i, k, didYouMean(k, FIELDS))
    const int = (k: string, min: number, max: number) => {
      const v = r[k]
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max))
        throw faultRuleNotIntegerIn(i, k, min, max)
    }
    const str = (k: string) => {
      if (r[k] !== undefined && typeof r[k] !== 'string') throw faultRuleNotString(i, k)
    }
    str('path')
    // Rules match the request's path alone, which starts with / (a rule that could never match
    // would sit there silently).
    if (typeof r.path === 'string' && (!r.path.startsWith('/') || r.path.includes('?'))) throw faultRuleBadPath(i)
    str('account')
    str('message')
    int('status', 400, 599)
    int('delayMs', 0, MAX_DELAY_MS)
    int('times', 1, Number.MAX_SAFE_INTEGER)
    if (r.code !== undefined && !GRPC_CODES.has(r.code as number)) throw faultRuleUnknownCode(i, [...GRPC_CODES])
    if (
      r.probability !== undefined &&
      (typeof r.probability !== 'number' || !(r.probability >= 0 && r.probability <= 1))
    )
      throw faultRuleBadProbability(i)
    if (r.status === undefined && r.delayMs === undefined) throw faultRuleDoesNothing(i)
    if (r.status === undefined && (r.code !== undefined || r.message !== undefined)) throw faultRuleCodeWithoutStatus(i)
    return r
  })
}

export interface FaultDecision {
  delayMs: number
  error?: ApiError
  status?: number
}

export class Faults {
  private states: (FaultState & { pattern: RegExp | null })[] = []

  constructor(private readonly seed: number) {}

  install(rules: FaultRule[]): void {
    this.states = rules.map(rule => ({
      rule,
      matched: 0,
      fired: 0,
      pattern: rule.path === undefined ? null : globToRegExp(rule.path),
    }))
  }

  clear(): void {
    this.states = []
  }

  list(): FaultState[] {
    return this.states.map(({ rule, matched, fired }) => ({ rule, matched, fired }))
  }

  /**
   * How rules compose, in their order: every rule that matches and fires adds its delay, and
   * the first one that fires with a status decides the answer. Once a status is decided, later
   * rules with a status are not tried (a request another rule already failed does not use up
   * their `times` or count as their match); later delay-only rules still apply. So
   * `[{delayMs: 200}, {status: 500, probability: 0.1}]` delays every call and fails 10% of them.
   * A rule past its `times` no longer matches.
   */
  decide(path: string, account: string | null): FaultDecision | null {
    let delayMs = 0
    let failure: FaultRule | undefined
    let fired = false
    for (const [index, s] of this.states.entries()) {
      const { rule } = s
      if (failure && rule.status !== undefined) continue
      if (rule.times !== undefined && s.fired >= rule.times) continue
      if (s.pattern && !s.pattern.test(path)) continue
      if (rule.account !== undefined && rule.account !== account) continue
      s.matched++
      const draw = unit(mix(mix(hashString(`faults|${this.seed}`), index), s.matched))
      if (draw >= (rule.probability ?? 1)) continue
      s.fired++
      fired = true
      delayMs += rule.delayMs ?? 0
      if (rule.status !== undefined) failure = rule
    }
    if (!fired) return null
    return faultDecision(failure?.status, Math.min(delayMs, MAX_DELAY_MS), failure?.code, failure?.message)
  }
}

export function faultDecision(
  status: number | undefined,
  delayMs: number,
  code?: number,
  message?: string,
): FaultDecision {
  if (status === undefined) return { delayMs }
  const grpc = (code ?? grpcCodeForStatus(status)) as GrpcCode
  return { delayMs, status, error: injectedFault(grpc, status, message) }
}
