// What a conformance run finds, as plain data: each probe's verdict with its checks, and the run's
// totals. probe.ts reaches the verdicts, run.ts gathers them, report.ts formats them; this file
// imports nothing, so that the three need not import one another for the types they share.

export type Tag = 'real' | 'gw' | 'ours'
export type Result = 'pass' | 'differs' | 'info' | 'n/a'

export interface Check {
  tag: Tag
  what: string
  expected: string
  got: string
  ok: boolean
}

export interface ProbeReport {
  id: string
  rule: string
  tag: Tag
  result: Result
  /** One line: the first difference, the finding, or why it does not apply. */
  summary: string
  checks: Check[]
  requests: string[]
}

export interface Totals {
  passed: number
  differ: number
  notApplicable: number
  informational: number
}

export interface RunReport {
  target: string
  account: string
  now: string
  lookBack: { startTime: string; endTime: string }
  requestsSent: number
  probes: ProbeReport[]
  totals: Totals
}
