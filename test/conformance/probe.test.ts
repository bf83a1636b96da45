// runProbe's verdicts, with small inline probes over a fake client (no server): a failed [real]
// or [gw] check differs, a failed [ours] check informs, a probe with nothing to work on is n/a,
// and a probe that crashes differs without stopping the run; a request without an answer is a
// failed check. Also the Session, request lines, and how answers are quoted in findings.
import t from 'tap'
import {
  NoAnswer,
  RequestNotAnswered,
  type Answer,
  type Credentials,
  type ProbeClient,
} from '../../server/conformance/client.js'
import type { Check } from '../../server/conformance/finding.js'
import {
  describeAnswer,
  excerpt,
  requestLine,
  runProbe,
  Session,
  shown,
  type Probe,
  type Scope,
} from '../../server/conformance/probe.js'

const OK: Answer = { status: 200, contentType: 'application/json', json: {}, text: '{}' }

/** A client that answers from `answers` by path (200 {} otherwise) and records what it was asked. */
function fakeClient(answers: Record<string, Answer | Error> = {}) {
  const calls: string[] = []
  const client: ProbeClient & { calls: string[] } = {
    calls,
    get sent() {
      return calls.length
    },
    async get(pathAndQuery: string, credentials: Credentials) {
      calls.push(`${credentials} ${pathAndQuery}`)
      const answer = answers[pathAndQuery] ?? OK
      if (answer instanceof Error) throw answer
      return answer
    },
    async post(pathAndQuery: string, body: string, credentials: Credentials) {
      calls.push(`${credentials} POST ${pathAndQuery} ${body}`)
      return OK
    },
  }
  return client
}
const probe = (run: (scope: Scope) => Promise<void> | void): Probe<null> => ({
  id: 'family.name',
  rule: 'a rule',
  tag: 'real',
  run: async scope => run(scope),
})
const verdict = async (run: (scope: Scope) => Promise<void> | void, client = fakeClient()) => {
  const report = await runProbe(probe(run), new Session(client, 'acme'), null)
  return [report.result, report.summary]
}
/** A step of a probe: one check, expected E, got G. */
const check =
  (tag: Check['tag'], what: string, ok: boolean) =>
  (scope: Scope): void => {
    scope.check(tag, what, 'E', 'G', ok)
  }

t.test('checks that all hold: pass, with the report carrying the probe, its checks and requests', async t => {
  const report = await runProbe(
    probe(async scope => {
      await scope.get('billingUsage', [['startTime', '2026-05-01T00:00:00Z']])
      scope.check('real', 'status', '200', '200', true)
      scope.check('ours', 'order', 'a', 'a', true)
    }),
    new Session(fakeClient(), 'acme'),
    null,
  )
  t.strictSame(report, {
    id: 'family.name',
    rule: 'a rule',
    tag: 'real',
    checks: [
      { tag: 'real', what: 'status', expected: '200', got: '200', ok: true },
      { tag: 'ours', what: 'order', expected: 'a', got: 'a', ok: true },
    ],
    requests: ['GET /v1/accounts/acme/billingUsage?startTime=2026-05-01T00:00:00Z'],
    result: 'pass',
    summary: '2 checks hold',
  })
})

t.test('a failed [real] or [gw] check differs, summarised by the first such failure', async t => {
  t.strictSame(
    await verdict(scope => {
      check('ours', 'ours first', false)(scope)
      check('real', 'fine', true)(scope)
      check('gw', 'gateway rule', false)(scope)
      check('real', 'documented rule', false)(scope)
    }),
    ['differs', 'gateway rule: expected E; got G'],
  )
  t.strictSame(await verdict(check('real', 'documented rule', false)), [
    'differs',
    'documented rule: expected E; got G',
  ])
})

t.test("a probe's finding replaces the first difference as the summary, only when it differs", async t => {
  t.strictSame(
    await verdict(scope => {
      check('real', 'rows', false)(scope)
      scope.finding = 'The target ignores filter'
    }),
    ['differs', 'The target ignores filter'],
  )
  t.strictSame(
    await verdict(scope => {
      check('real', 'rows', true)(scope)
      scope.finding = 'unused'
    }),
    ['pass', '1 check holds'],
  )
})

t.test('a failed [ours] check only informs', async t => {
  t.strictSame(
    await verdict(scope => {
      check('real', 'fine', true)(scope)
      check('ours', 'our order', false)(scope)
      check('ours', 'our other rule', false)(scope)
    }),
    ['info', '[ours] our order: expected E; got G'],
  )
})

t.test('not applicable: the reason; but a difference found before still counts', async t => {
  t.strictSame(await verdict(scope => scope.notApplicable('no usage found')), ['n/a', 'no usage found'])
  t.strictSame(
    await verdict(scope => {
      check('ours', 'our rule', false)(scope)
      scope.notApplicable('ran out of data')
    }),
    ['n/a', 'ran out of data'],
    'a failed [ours] check does not outrank n/a',
  )
  t.strictSame(
    await verdict(scope => {
      check('gw', 'gateway rule', false)(scope)
      scope.notApplicable('ran out of data')
    }),
    ['differs', 'gateway rule: expected E; got G'],
  )
})

t.test('a request the client could not send makes the probe n/a with its reason', async t => {
  const client = fakeClient({
    '/v1/accounts/acme/billingUsage?a=1': new RequestNotAnswered('the budget of 12 requests is spent'),
  })
  t.strictSame(
    await verdict(async scope => {
      await scope.get('billingUsage', [['a', '1']])
      check('real', 'never reached', false)(scope)
    }, client),
    ['n/a', 'the budget of 12 requests is spent'],
  )
})

t.test('a probe that checks nothing is n/a: nothing to check', async t => {
  t.strictSame(await verdict(() => undefined), ['n/a', 'nothing to check'])
})

t.test('a crash inside a probe is a difference, not the end of the run', async t => {
  t.strictSame(
    await verdict(scope => {
      check('real', 'fine', true)(scope)
      throw new TypeError('rows.map is not a function')
    }),
    ['differs', 'the probe could not read the answers: rows.map is not a function'],
  )
  const client = fakeClient({ '/v1/accounts/acme/billingUsage?a=1': new Error('socket hang up') })
  t.strictSame(await verdict(async scope => void (await scope.get('billingUsage', [['a', '1']])), client), [
    'differs',
    'the probe could not read the answers: socket hang up',
  ])
  t.strictSame(
    await verdict(() => {
      throw 'not an Error' // eslint-disable-line @typescript-eslint/only-throw-error -- what a bug might throw
    }),
    ['differs', 'the probe could not read the answers: not an Error'],
  )
})

t.test('a request without an answer is a failed [real] check naming why; it is not asked again', async t => {
  const client = fakeClient({ '/v1/accounts/acme/billingUsage?a=1': new NoAnswer('no answer within 60 s') })
  const session = new Session(client, 'acme')
  const ask = probe(async scope => {
    await scope.get('billingUsage', [['a', '1']])
    check('real', 'never reached', true)(scope)
  })
  const first = await runProbe(ask, session, null)
  t.strictSame(
    [first.result, first.summary, first.requests],
    [
      'differs',
      'the request is answered: expected a complete answer; got no answer within 60 s',
      ['GET /v1/accounts/acme/billingUsage?a=1'],
    ],
  )
  const again = await runProbe(ask, session, null)
  t.strictSame(
    [again.result, again.requests],
    ['differs', ['GET /v1/accounts/acme/billingUsage?a=1 (reused)']],
    'a later probe gets the same outcome',
  )
  t.equal(client.calls.length, 1, 'asked once: a timeout would cost a minute each time')
  t.strictSame(
    session.failures.map(f => f.message),
    ['no answer within 60 s'],
  )
  t.equal(session.exchanges.length, 0)
})

t.test('answers a probe reads without sending them are listed as its requests', async t => {
  const session = new Session(fakeClient(), 'acme')
  await runProbe(
    probe(async scope => {
      await scope.get('billingUsage', [['a', '1']])
      await scope.get('billingUsage', [['a', '2']], { credentials: 'none' })
    }),
    session,
    null,
  )
  const reader = await runProbe(
    probe(scope => {
      scope.uses(session.exchanges)
      check('real', 'x', true)(scope)
    }),
    session,
    null,
  )
  t.strictSame(reader.requests, [
    'GET /v1/accounts/acme/billingUsage?a=1 (reused)',
    'GET /v1/accounts/acme/billingUsage?a=2 (no credentials) (reused)',
  ])
})

t.test("findings quote a target's answer shortened, on one line, control characters escaped", async t => {
  t.equal(excerpt('plain'), '"plain"')
  t.equal(excerpt('a\tb\nc\r\u001b[2J\u009b'), '"a\\u0009b\\u000ac\\u000d\\u001b[2J\\u009b"')
  t.equal(excerpt('x'.repeat(81)), `"${'x'.repeat(80)}..."`, 'at most 80 characters, then ...')
  t.equal(excerpt('x'.repeat(80)), `"${'x'.repeat(80)}"`)
  t.equal(shown(undefined), 'absent')
  t.equal(shown(null), 'null')
  t.equal(shown({ code: '3' }), '{"code":"3"}')
  t.equal(shown(['y'.repeat(100)]), `["${'y'.repeat(78)}...`)
  const answer = (a: Partial<Answer>): Answer => ({ status: 200, contentType: '', json: undefined, text: '', ...a })
  t.equal(
    describeAnswer(answer({ status: 302, location: 'https://login.example/\u001b' })),
    '302, a redirect to "https://login.example/\\u001b" (not followed)',
  )
  t.equal(describeAnswer(answer({ status: 307 })), '307, a redirect to nowhere (no Location) (not followed)')
  t.equal(describeAnswer(answer({ status: 500, json: { code: 13, message: 'boom' } })), '500 "boom"')
  t.equal(describeAnswer(answer({ status: 500, json: { code: 13 } })), '500 {"code":13}')
  t.equal(describeAnswer(answer({ status: 500, json: null })), '500 null')
  t.equal(describeAnswer(answer({ status: 502 })), '502 with an empty body')
  t.equal(
    describeAnswer(answer({ status: 502, contentType: 'text/html', text: '<html>\n<h1>Bad Gateway</h1>' })),
    '502 text/html "<html>\\u000a<h1>Bad Gateway</h1>"',
  )
  t.equal(describeAnswer(answer({ status: 503, text: 'down' })), '503 without Content-Type "down"')
})

t.test('require ends the probe at a failed check; require200 names the status, message and request', async t => {
  const report = await runProbe(
    probe(scope => {
      scope.require('real', 'first', 'E', 'G', false)
      check('real', 'never reached', true)(scope)
    }),
    new Session(fakeClient(), 'acme'),
    null,
  )
  t.strictSame([report.result, report.checks.map(c => c.what)], ['differs', ['first']])

  const client = fakeClient({
    '/v1/accounts/acme/billingUsage?startTime=x': {
      status: 500,
      contentType: 'application/json',
      json: { code: 13, message: 'boom' },
      text: '',
    },
    '/v1/accounts/acme/billingUsage?startTime=y': { status: 502, contentType: 'text/html', json: undefined, text: '' },
  })
  const failed = await runProbe(
    probe(async scope => {
      scope.require200(await scope.get('billingUsage', [['startTime', 'x']]))
    }),
    new Session(client, 'acme'),
    null,
  )
  t.strictSame(failed.checks, [
    {
      tag: 'real',
      what: 'a valid request is answered 200',
      expected: '200',
      got: '500 "boom" to GET /v1/accounts/acme/billingUsage?startTime=x',
      ok: false,
    },
  ])
  t.equal(failed.result, 'differs')
  const html = await runProbe(
    probe(async scope => scope.require200(await scope.get('billingUsage', [['startTime', 'y']]))),
    new Session(client, 'acme'),
    null,
  )
  t.equal(html.checks[0]?.got, '502 with an empty body to GET /v1/accounts/acme/billingUsage?startTime=y')
  const fine = await runProbe(
    probe(async scope => scope.require200(await scope.get('billingUsage', [['startTime', 'z']]))),
    new Session(client, 'acme'),
    null,
  )
  t.strictSame([fine.result, fine.checks[0]?.got], ['pass', '200'])
})

t.test('a session sends each distinct request once; later probes reuse the answer and say so', async t => {
  const client = fakeClient()
  const session = new Session(client, 'acme')
  const requests: string[][] = []
  for (const credentials of ['key', 'key', 'none', 'wrong-key'] as const)
    requests.push(
      (
        await runProbe(
          probe(async scope => {
            await scope.get('billingUsage', [['a', '1']], { credentials })
            await scope.get('accountUsageFilterOptions', [], { account: 'other-co' })
            check('real', 'x', true)(scope)
          }),
          session,
          null,
        )
      ).requests,
    )
  t.strictSame(requests, [
    ['GET /v1/accounts/acme/billingUsage?a=1', 'GET /v1/accounts/other-co/accountUsageFilterOptions'],
    ['GET /v1/accounts/acme/billingUsage?a=1 (reused)', 'GET /v1/accounts/other-co/accountUsageFilterOptions (reused)'],
    [
      'GET /v1/accounts/acme/billingUsage?a=1 (no credentials)',
      'GET /v1/accounts/other-co/accountUsageFilterOptions (reused)',
    ],
    [
      'GET /v1/accounts/acme/billingUsage?a=1 (a key nobody has)',
      'GET /v1/accounts/other-co/accountUsageFilterOptions (reused)',
    ],
  ])
  t.strictSame(client.calls, [
    'key /v1/accounts/acme/billingUsage?a=1',
    'key /v1/accounts/other-co/accountUsageFilterOptions',
    'none /v1/accounts/acme/billingUsage?a=1',
    'wrong-key /v1/accounts/acme/billingUsage?a=1',
  ])
  t.equal(session.exchanges.length, 4)
})

t.test('a request that could not be sent is not remembered: a later probe may send it', async t => {
  let refuse = true
  const calls: string[] = []
  const client: ProbeClient = {
    sent: 0,
    async get(pathAndQuery) {
      calls.push(pathAndQuery)
      if (refuse) throw new RequestNotAnswered('rate limited')
      return OK
    },
    post: () => Promise.reject(new Error('not used here')),
  }
  const session = new Session(client, 'acme')
  const once = async () =>
    runProbe(
      probe(async scope => {
        await scope.get('billingUsage', [['a', '1']])
        check('real', 'x', true)(scope)
      }),
      session,
      null,
    )
  t.equal((await once()).result, 'n/a')
  refuse = false
  t.strictSame((await once()).requests, ['GET /v1/accounts/acme/billingUsage?a=1'], 'sent again, not "(reused)"')
  t.equal(calls.length, 2)
  t.equal(session.exchanges.length, 1, 'only answered requests are exchanges')
})

t.test('request lines keep brackets, colons, slashes and commas readable and encode the rest', async t => {
  t.equal(
    requestLine('billingUsage', 'acme', [
      ['filter[annotations.team][values]', 'a b+c&d=e'],
      ['startTime', '2026-05-01T00:00:00+05:45'],
      ['groupBy', 'a,b'],
      ['groupBy', 'accounts/x/models/y'],
    ]),
    'GET /v1/accounts/acme/billingUsage?filter[annotations.team][values]=a%20b%2Bc%26d%3De' +
      '&startTime=2026-05-01T00:00:00%2B05:45&groupBy=a,b&groupBy=accounts/x/models/y',
  )
  t.equal(requestLine('billing/summary', 'a/b c', []), 'GET /v1/accounts/a%2Fb%20c/billing/summary')
})

t.test(
  'the accounts operations and the POST of usageCosts:query: lines, the body sent, each body asked once',
  async t => {
    t.equal(requestLine('accounts', 'acme', [['pageSize', '200']]), 'GET /v1/accounts?pageSize=200')
    t.equal(requestLine('account', 'acme', []), 'GET /v1/accounts/acme')
    const body = { startTime: '2026-05-01T00:00:00Z', groupBy: ['DAY', 'MODEL'], note: 'a b' }
    const line =
      'POST /v1/accounts/acme/usageCosts:query {"startTime":"2026-05-01T00:00:00Z","groupBy":["DAY","MODEL"],"note":"a b"}'
    t.equal(requestLine('usageCosts:query', 'acme', [], body), line)
    const client = fakeClient()
    const session = new Session(client, 'acme')
    const report = await runProbe(
      probe(async scope => {
        await scope.get('usageCosts:query', [], { body })
        await scope.get('usageCosts:query', [], { body })
        await scope.get('usageCosts:query', [], { body: { ...body, pageSize: 3 } })
        scope.note = 'scope SELF'
        check('real', 'x', true)(scope)
      }),
      session,
      null,
    )
    t.strictSame(client.calls, [
      `key POST /v1/accounts/acme/usageCosts:query ${JSON.stringify(body)}`,
      `key POST /v1/accounts/acme/usageCosts:query ${JSON.stringify({ ...body, pageSize: 3 })}`,
    ])
    t.strictSame(report.requests, [line, `${line} (reused)`, line.replace('"a b"}', '"a b","pageSize":3}')])
    t.equal(report.summary, '1 check holds (scope SELF)', 'the note is added to the summary')
    t.same(session.exchanges[0]?.body, body)
  },
)
