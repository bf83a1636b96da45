// The run's results as a terminal table, a Markdown report, JUnit XML for CI, or JSON. Nothing
// here sees the API key; cli.ts also redacts every text it writes, in case a target echoes it.

import type { ProbeReport, Result, RunReport, Totals } from './finding.js'

const TAG = { real: '[real]', gw: '[gw]', ours: '[ours]' } as const

export function totalsLine(t: Totals): string {
  const line = `${t.passed} passed, ${t.differ} differ, ${t.notApplicable} n/a`
  return t.informational > 0 ? `${line}, ${t.informational} informational ([ours] outcomes that differ)` : line
}

function header(report: RunReport): string {
  return `Conformance of ${report.target} (account ${report.account}) at ${report.now}; usage looked for from ${report.lookBack.startTime} to ${report.lookBack.endTime}; ${report.requestsSent} requests.`
}

export function formatTable(report: RunReport): string {
  const rows = report.probes.map(p => [p.id, TAG[p.tag], p.result, p.rule])
  const widths = [0, 1, 2].map(i =>
    Math.max(...[['probe', 'tag', 'result'][i]!.length, ...rows.map(r => r[i]!.length)]),
  )
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c))
      .join('  ')
      .trimEnd()
  const notes = report.probes.filter(p => p.result !== 'pass').map(p => `${p.id} (${p.result}): ${p.summary}`)
  return [
    header(report),
    '',
    line(['probe', 'tag', 'result', 'rule']),
    ...rows.map(line),
    '',
    ...(notes.length ? [...notes, ''] : []),
    totalsLine(report.totals),
    '',
  ].join('\n')
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function formatMarkdown(report: RunReport): string {
  const out = [
    '# Fireworks usage API conformance',
    '',
    header(report),
    '',
    `**${totalsLine(report.totals)}**`,
    '',
    '| probe | rule | tag | result |',
    '|---|---|---|---|',
    ...report.probes.map(p => `| \`${p.id}\` | ${cell(p.rule)} | ${TAG[p.tag]} | ${p.result} |`),
    '',
    '## Details',
  ]
  for (const p of report.probes) {
    out.push('', `### \`${p.id}\`: ${p.result}`, '', `${cell(p.rule)} ${TAG[p.tag]}. ${cell(p.summary)}`, '')
    if (p.requests.length) out.push('Requests:', '', ...p.requests.map(r => `- \`${r}\``), '')
    if (p.checks.length) {
      out.push('| check | tag | expected | got | |', '|---|---|---|---|---|')
      for (const c of p.checks)
        out.push(
          `| ${cell(c.what)} | ${TAG[c.tag]} | ${cell(c.expected)} | ${cell(c.got)} | ${c.ok ? 'ok' : 'differs'} |`,
        )
    }
  }
  return `${out.join('\n')}\n`
}

/**
 * Control characters a target sent (in a message, a header) shown as \u escapes: written raw, an
 * escape sequence would move the cursor, recolour or retitle the user's terminal. Tabs and line
 * breaks are the reports' own layout.
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

// XML 1.0 cannot carry most control characters, even escaped: they are shown as in every output.
const xml = (text: string) =>
  printable(text).replace(
    /[&<>"']/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  )

function details(p: ProbeReport): string {
  return [
    `${p.rule} ${TAG[p.tag]}`,
    ...p.requests.map(r => `request: ${r}`),
    ...p.checks.map(c => `${c.ok ? 'ok' : 'DIFFERS'} ${TAG[c.tag]} ${c.what}: expected ${c.expected}; got ${c.got}`),
  ].join('\n')
}

/** JUnit XML: one test case per probe; differs is a failure, n/a is skipped, info passes with output. */
export function formatJunit(report: RunReport): string {
  const outcome: Record<Result, (p: ProbeReport) => string> = {
    pass: () => '',
    info: () => '',
    differs: p => `<failure message="${xml(p.summary)}" type="differs">${xml(details(p))}</failure>`,
    'n/a': p => `<skipped message="${xml(p.summary)}"/>`,
  }
  const cases = report.probes.map(p => {
    const family = p.id.split('.')[0]
    return `    <testcase classname="conformance.${xml(family as string)}" name="${xml(`${p.id} ${TAG[p.tag]}`)}">${outcome[p.result](p)}<system-out>${xml(details(p))}</system-out></testcase>`
  })
  const t = report.totals
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fireworks-usage-mock conformance" tests="${report.probes.length}" failures="${t.differ}" skipped="${t.notApplicable}">`,
    `  <testsuite name="${xml(`conformance of ${report.target}`)}" tests="${report.probes.length}" failures="${t.differ}" skipped="${t.notApplicable}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}

export function formatJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
