// One conformance run: discover data, run every probe in order, total the results. The probes
// that read the answers of the whole run (shape, grouping, ordering) go last.

import { formatUtc } from '../time.js'
import { createClient, type ClientOptions } from './client.js'
import { CannotProbe, discover, type Plan } from './plan.js'
import type { ProbeReport, Result, RunReport, Totals } from './finding.js'
import { runProbe, Session, type Probe } from './probe.js'
import { accountProbes } from './probes/accounts.js'
import { additivityProbes } from './probes/additivity.js'
import { bucketProbes } from './probes/buckets.js'
import { companionProbes } from './probes/companions.js'
import { costProbes } from './probes/costs.js'
import { costErrorProbes, errorProbes } from './probes/errors.js'
import { filterProbes } from './probes/filters.js'
import { groupingProbes } from './probes/grouping.js'
import { shapeProbes } from './probes/shape.js'

/** How many requests without an answer, and none with one, after the discovery end the run. */
const STOPPED_AFTER = 3

export interface RunOptions extends Omit<ClientOptions, 'target'> {
  target: string
  account: string
  /** How far back to look for usage, in days. */
  days: number
  /** The probe's clock (epoch ms); the look-back period ends a day before it. */
  nowMs: number
}

/** Every probe of a run, in report order (each run gets fresh probes: the filter probes share state). */
export function allProbes(): Probe<Plan>[] {
  return [
    ...errorProbes(),
    ...bucketProbes(),
    ...additivityProbes(),
    ...filterProbes(),
    ...companionProbes(),
    ...accountProbes(),
    ...costProbes(),
    ...costErrorProbes(),
    ...shapeProbes(),
    ...groupingProbes(),
  ]
}

export function totalsOf(probes: readonly { result: Result }[]): Totals {
  const count = (r: Result) => probes.filter(p => p.result === r).length
  return { passed: count('pass'), differ: count('differs'), notApplicable: count('n/a'), informational: count('info') }
}

export async function runConformance(options: RunOptions): Promise<RunReport> {
  const client = createClient(options)
  const session = new Session(client, options.account)
  const plan = await discover(session, options.nowMs, options.days)
  const discovered = session.exchanges.length
  const probes: ProbeReport[] = []
  for (const probe of allProbes()) {
    probes.push(await runProbe(probe, session, plan))
    // A target that answers the discovery, then none of three requests (a minute each when they
    // time out), cannot be probed: one sentence rather than every probe differing, an hour later.
    const [failure] = session.failures
    if (session.failures.length >= STOPPED_AFTER && session.exchanges.length === discovered)
      throw new CannotProbe(
        `the target stopped answering after ${discovered} ${discovered === 1 ? 'request' : 'requests'}: ${failure?.message}`,
      )
  }
  return {
    target: options.target,
    account: options.account,
    now: formatUtc(options.nowMs),
    lookBack: { startTime: formatUtc(plan.lookBack.startMs), endTime: formatUtc(plan.lookBack.endMs) },
    requestsSent: client.sent,
    probes,
    totals: totalsOf(probes),
  }
}
