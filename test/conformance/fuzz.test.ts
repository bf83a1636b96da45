// The probe against a server that misbehaves at random (test/conformance/mutating-proxy.ts in
// front of the mock: fields dropped, types changed, bodies truncated or cut, error pages,
// redirects, stalls), seeded, many runs of the CLI in process. Whatever the answers, the CLI
// never throws and never prints a stack trace; a run whose discovery answer was broken is exit 2
// with one sentence; otherwise every probe that read a mutated answer (the proxy records which
// requests it mutated, each probe's report lists the requests it read) does not pass: it differs,
// or, an [ours] probe (the companions: a 502 to billing/summary), only informs. A probe that read
// no mutated answer passes, or is n/a because another probe's answer could not be read.
// PROBE_FUZZ_RUNS=<n> for a longer run (each run is a whole conformance run, about half a second).
import t from 'tap'
import { runConformanceCli } from '../../server/conformance/cli.js'
import { formatTable } from '../../server/conformance/report.js'
import type { RunReport } from '../../server/conformance/finding.js'
import { startMockServer, type MockServer } from '../../server/index.js'
import { KINDS, startMutatingProxy, type Kind } from './mutating-proxy.js'

const RUNS = Number(process.env.PROBE_FUZZ_RUNS ?? 21)
const NOW = '2026-11-25T00:00:00Z'
const KEY = 'fw_mockAcmeProdEng01'
/** The first request of every run: the discovery of usage (its answer places every window). */
const DISCOVERY =
  'key GET /v1/accounts/acme-ai/billingUsage?startTime=2026-10-25T00:00:00Z&endTime=2026-11-24T00:00:00Z'
/** Each request is mutated with this probability, besides the one chosen per run. */
const RATE = 0.08
/**
 * The requests numbered 1 to 14 (0 is the discovery) are sent whatever the answers: those of the
 * error and auth probes, then of the first bucket probes. The one mutation each run is sure of is among them.
 */
const FORCED_FROM = 1
const FORCED_TO = 14

/** mulberry32: a small seeded generator, so that a failing seed can be run again. */
function generator(seed: number): () => number {
  // Spread first: mulberry32's first outputs for seeds 1, 2, 3 ... are far from independent.
  let a = Math.imul(seed, 0x9e3779b9) >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), a | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** A probe report's request entry back to the proxy's form: `key GET /v1/...`. */
function requestOf(entry: string): string {
  let line = entry.replace(/ \(reused\)$/, '')
  let credentials = 'key'
  if (line.endsWith(' (no credentials)')) [line, credentials] = [line.slice(0, -' (no credentials)'.length), 'none']
  if (line.endsWith(' (a key nobody has)'))
    [line, credentials] = [line.slice(0, -' (a key nobody has)'.length), 'wrong-key']
  return `${credentials} ${line}`
}

/** The n/a reasons of a probe that read no mutated answer: another probe's answer was unreadable. */
const DEPENDENT_NA = /see filters\.applied|match(ed|ing) the document/

let mock: MockServer
t.before(async () => {
  mock = await startMockServer({ now: NOW })
})
t.teardown(() => mock.close())

t.test(`${RUNS} runs against answers mutated at random: no crash, no mutated probe passes`, async t => {
  const cache = new Map()
  /** (kind, probe) pairs seen: what the runs covered. */
  const covered = new Map<Kind, Set<string>>(KINDS.map(k => [k, new Set()]))
  let exitTwo = 0
  for (let run = 0; run < RUNS; run++) {
    const random = generator(run + 1)
    // One mutation per run among the requests every run sends, its kind in turn, and others at random.
    const forcedKind = KINDS[run % KINDS.length] as Kind
    const forcedAt = FORCED_FROM + Math.floor(random() * (FORCED_TO - FORCED_FROM + 1))
    const controllers: AbortController[] = []
    const proxy = await startMutatingProxy(mock.url, {
      cache,
      random,
      choose: n =>
        n === forcedAt ? forcedKind : random() < RATE ? (KINDS[Math.floor(random() * KINDS.length)] as Kind) : null,
      // The stalled request is the one in flight: its timeout fires now rather than in a minute.
      onStall: () => controllers.at(-1)?.abort(),
    })
    const out = { stdout: '', stderr: '', files: new Map<string, string>() }
    let code: number
    try {
      code = await runConformanceCli(
        [
          ...['--target', proxy.url, '--account', 'acme-ai', '--now', NOW, '--interval-ms', '0'],
          ...['--json', '--report', 'r.md', '--junit', 'r.xml'],
        ],
        {
          stdout: text => (out.stdout += text),
          stderr: text => (out.stderr += text),
          env: { FIREWORKS_API_KEY: KEY },
          writeFile: (path, text) => out.files.set(path, text),
          client: {
            timeoutSignal: () => {
              const controller = new AbortController()
              controllers.push(controller)
              return controller.signal
            },
          },
        },
      )
    } finally {
      await proxy.close()
    }
    // One assertion per run (a run is ~35 facts): the problems found, with the seed and its mutations.
    const problems: string[] = []
    const expect = (ok: boolean, what: string) => void (ok || problems.push(what))
    const all = `${out.stdout}${out.stderr}${[...out.files.values()].join('')}`
    expect(!/^\s+at \S/m.test(all), 'no stack trace')
    expect(
      new Set(proxy.requests).size === proxy.requests.length,
      'each request sent once, so a mutation has one reader',
    )
    const mutated = new Set(proxy.mutations.map(m => m.request))
    if (mutated.has(DISCOVERY)) {
      exitTwo++
      expect(code === 2, `a broken discovery answer: exit code 2, not ${code}`)
      expect(out.stdout === '', 'nothing on stdout')
      expect(
        /^Probing [^\n]+\nfireworks-usage-mock conformance: cannot probe: [^\n]+\n$/.test(out.stderr),
        `one sentence on stderr: ${out.stderr}`,
      )
    } else {
      const report = JSON.parse(out.stdout) as RunReport
      formatTable(report) // the table of the run can be printed
      expect(Boolean(out.files.get('r.md') && out.files.get('r.xml')), 'both reports written')
      expect(code === (report.totals.differ > 0 ? 1 : 0), `exit code ${code} for ${report.totals.differ} differing`)
      for (const probe of report.probes) {
        const read = probe.requests.map(requestOf).filter(r => mutated.has(r))
        const verdict = `${probe.id} (${probe.result}: ${probe.summary})`
        if (read.length > 0) {
          for (const m of proxy.mutations.filter(m => read.includes(m.request))) covered.get(m.kind)?.add(probe.id)
          const ok = probe.result === 'differs' || (probe.result === 'info' && probe.tag === 'ours')
          expect(ok, `read a mutated answer, yet ${verdict}`)
        } else {
          const ok = probe.result === 'pass' || (probe.result === 'n/a' && DEPENDENT_NA.test(probe.summary))
          expect(ok, `read no mutated answer, yet ${verdict}`)
        }
      }
    }
    const mutations = proxy.mutations.map(m => `${m.kind} ${m.detail} on ${m.request}`).join('; ')
    t.same(problems, [], `seed ${run + 1}: ${mutations}`)
  }
  const coverage = [...covered].map(([kind, probes]) => `${kind} ${probes.size}`).join(', ')
  t.comment(`probes that read a mutated answer, by kind: ${coverage}; ${exitTwo} runs with a broken discovery`)
  if (RUNS >= KINDS.length)
    for (const [kind, probes] of covered) t.ok(probes.size > 0, `a ${kind} mutation reached at least one probe`)
})
