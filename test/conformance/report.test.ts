// The conformance report's formats over a hand-built RunReport: the terminal table, the summary
// line, Markdown and JUnit XML (with escaping), written out in full by hand.
import t from 'tap'
import type { ProbeReport, RunReport } from '../../server/conformance/finding.js'
import { formatJson, formatJunit, formatMarkdown, formatTable, totalsLine } from '../../server/conformance/report.js'

const REQUEST = 'GET /v1/accounts/acme/billingUsage?endTime=2026-11-24T00:00:00Z'
const PROBES: ProbeReport[] = [
  {
    id: 'errors.missing-start',
    rule: 'startTime is required',
    tag: 'real',
    result: 'pass',
    summary: '1 check',
    checks: [{ tag: 'real', what: 'status', expected: '400', got: '400', ok: true }],
    requests: [REQUEST],
  },
  {
    id: 'filters.or-values',
    rule: 'values of one | dimension are ORed',
    tag: 'gw',
    result: 'differs',
    summary: `rows: expected 3 & <b>; got 5 "x" 'y'`,
    checks: [
      { tag: 'gw', what: 'rows\nper value', expected: '3 & <b>', got: `5 "x" 'y'`, ok: false },
      { tag: 'ours', what: 'order', expected: 'a|b', got: 'a|b', ok: true },
    ],
    requests: [`${REQUEST}&filter[model_name][values]=a`, `${REQUEST} (reused)`],
  },
  {
    id: 'buckets.kathmandu',
    rule: 'days start at 18:15Z',
    tag: 'real',
    result: 'n/a',
    summary: 'no usage found',
    checks: [],
    requests: [],
  },
  {
    id: 'ordering.rows-sorted',
    rule: 'rows sorted',
    tag: 'ours',
    result: 'info',
    summary: '[ours] bell\u0007 tab\t vt\u000b nul\u0000 end',
    checks: [{ tag: 'ours', what: 'order', expected: 'a', got: 'b\u001f', ok: false }],
    requests: ['the 30 answers of this run'],
  },
]
const REPORT: RunReport = {
  target: 'http://127.0.0.1:8080',
  account: 'acme',
  now: '2026-11-25T00:00:00Z',
  lookBack: { startTime: '2026-10-25T00:00:00Z', endTime: '2026-11-24T00:00:00Z' },
  requestsSent: 7,
  probes: PROBES,
  totals: { passed: 1, differ: 1, notApplicable: 1, informational: 1 },
}
const HEADER =
  'Conformance of http://127.0.0.1:8080 (account acme) at 2026-11-25T00:00:00Z; usage looked for from 2026-10-25T00:00:00Z to 2026-11-24T00:00:00Z; 7 requests.'

t.test('the summary line: passed, differ, n/a, and informational only when there is any', async t => {
  t.equal(totalsLine({ passed: 31, differ: 0, notApplicable: 0, informational: 0 }), '31 passed, 0 differ, 0 n/a')
  t.equal(
    totalsLine({ passed: 2, differ: 3, notApplicable: 4, informational: 1 }),
    '2 passed, 3 differ, 4 n/a, 1 informational ([ours] outcomes that differ)',
  )
})

t.test('the table: columns padded to the widest cell, a note per probe that did not pass, the totals', async t => {
  t.equal(
    formatTable(REPORT),
    [
      HEADER,
      '',
      'probe                 tag     result   rule',
      'errors.missing-start  [real]  pass     startTime is required',
      'filters.or-values     [gw]    differs  values of one | dimension are ORed',
      'buckets.kathmandu     [real]  n/a      days start at 18:15Z',
      'ordering.rows-sorted  [ours]  info     rows sorted',
      '',
      `filters.or-values (differs): rows: expected 3 & <b>; got 5 "x" 'y'`,
      'buckets.kathmandu (n/a): no usage found',
      'ordering.rows-sorted (info): [ours] bell\u0007 tab\t vt\u000b nul\u0000 end',
      '',
      '1 passed, 1 differ, 1 n/a, 1 informational ([ours] outcomes that differ)',
      '',
    ].join('\n'),
  )
})

t.test('the table of a run where everything passed has no notes', async t => {
  const passing = {
    ...REPORT,
    probes: [PROBES[0]!],
    totals: { passed: 1, differ: 0, notApplicable: 0, informational: 0 },
  }
  t.equal(
    formatTable(passing),
    [
      HEADER,
      '',
      'probe                 tag     result  rule',
      'errors.missing-start  [real]  pass    startTime is required',
      '',
      '1 passed, 0 differ, 0 n/a',
      '',
    ].join('\n'),
  )
})

t.test('Markdown: the totals in bold, a table of probes, then each probe with its requests and checks', async t => {
  t.equal(
    formatMarkdown(REPORT),
    [
      '# Fireworks usage API conformance',
      '',
      HEADER,
      '',
      '**1 passed, 1 differ, 1 n/a, 1 informational ([ours] outcomes that differ)**',
      '',
      '| probe | rule | tag | result |',
      '|---|---|---|---|',
      '| `errors.missing-start` | startTime is required | [real] | pass |',
      '| `filters.or-values` | values of one \\| dimension are ORed | [gw] | differs |',
      '| `buckets.kathmandu` | days start at 18:15Z | [real] | n/a |',
      '| `ordering.rows-sorted` | rows sorted | [ours] | info |',
      '',
      '## Details',
      '',
      '### `errors.missing-start`: pass',
      '',
      'startTime is required [real]. 1 check',
      '',
      'Requests:',
      '',
      `- \`${REQUEST}\``,
      '',
      '| check | tag | expected | got | |',
      '|---|---|---|---|---|',
      '| status | [real] | 400 | 400 | ok |',
      '',
      '### `filters.or-values`: differs',
      '',
      `values of one \\| dimension are ORed [gw]. rows: expected 3 & <b>; got 5 "x" 'y'`,
      '',
      'Requests:',
      '',
      `- \`${REQUEST}&filter[model_name][values]=a\``,
      `- \`${REQUEST} (reused)\``,
      '',
      '| check | tag | expected | got | |',
      '|---|---|---|---|---|',
      `| rows per value | [gw] | 3 & <b> | 5 "x" 'y' | differs |`,
      '| order | [ours] | a\\|b | a\\|b | ok |',
      '',
      '### `buckets.kathmandu`: n/a',
      '',
      'days start at 18:15Z [real]. no usage found',
      '',
      '',
      '### `ordering.rows-sorted`: info',
      '',
      'rows sorted [ours]. [ours] bell\u0007 tab\t vt\u000b nul\u0000 end',
      '',
      'Requests:',
      '',
      '- `the 30 answers of this run`',
      '',
      '| check | tag | expected | got | |',
      '|---|---|---|---|---|',
      '| order | [ours] | a | b\u001f | differs |',
      '',
    ].join('\n'),
  )
})

t.test('JUnit: differs is a failure, n/a skipped, pass and info plain; text escaped', async t => {
  const out = (lines: string[]) => `<system-out>${lines.join('\n')}</system-out>`
  // A failing check's text is both the failure's body and the test case's output.
  const orValues = [
    'values of one | dimension are ORed [gw]',
    `request: ${REQUEST}&amp;filter[model_name][values]=a`,
    `request: ${REQUEST} (reused)`,
    'DIFFERS [gw] rows',
    'per value: expected 3 &amp; &lt;b&gt;; got 5 &quot;x&quot; &apos;y&apos;',
    'ok [ours] order: expected a|b; got a|b',
  ]
  t.equal(
    formatJunit(REPORT),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="fireworks-usage-mock conformance" tests="4" failures="1" skipped="1">',
      '  <testsuite name="conformance of http://127.0.0.1:8080" tests="4" failures="1" skipped="1" errors="0">',
      '    <testcase classname="conformance.errors" name="errors.missing-start [real]">' +
        out(['startTime is required [real]', `request: ${REQUEST}`, 'ok [real] status: expected 400; got 400']) +
        '</testcase>',
      '    <testcase classname="conformance.filters" name="filters.or-values [gw]">' +
        '<failure message="rows: expected 3 &amp; &lt;b&gt;; got 5 &quot;x&quot; &apos;y&apos;" type="differs">' +
        orValues.join('\n') +
        '</failure>' +
        out(orValues) +
        '</testcase>',
      '    <testcase classname="conformance.buckets" name="buckets.kathmandu [real]">' +
        '<skipped message="no usage found"/>' +
        out(['days start at 18:15Z [real]']) +
        '</testcase>',
      '    <testcase classname="conformance.ordering" name="ordering.rows-sorted [ours]">' +
        out([
          'rows sorted [ours]',
          'request: the 30 answers of this run',
          'DIFFERS [ours] order: expected a; got b\\u001f',
        ]) +
        '</testcase>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'),
  )
})

t.test('XML keeps tab and newline, and shows every other control character as a \\u escape', async t => {
  const every = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f\u009b'
  const probe: ProbeReport = { ...PROBES[2]!, summary: `<${every}>` }
  const xml = formatJunit({ ...REPORT, probes: [probe] })
  const shown =
    '\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\t\n\\u000b\\u000c\\u000d\\u000e\\u000f' +
    '\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f' +
    '\\u007f\\u009b'
  t.ok(xml.includes(`<skipped message="&lt;${shown}&gt;"/>`), 'the summary, every character visible')
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  t.notMatch(xml, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, 'no control character left anywhere')
})

t.test('JSON is the report itself, indented, with a final newline', async t => {
  const json = formatJson(REPORT)
  t.strictSame(JSON.parse(json), REPORT)
  t.ok(json.startsWith('{\n  "target": "http://127.0.0.1:8080",\n'), 'two-space indentation')
  t.ok(json.endsWith('}\n'), 'a final newline')
})
