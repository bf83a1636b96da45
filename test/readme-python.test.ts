// The README's pytest examples, run by pytest as a user would run them: the session-per-worker
// conftest in a serial run without pytest-xdist (and as an xdist worker would), and the conftest
// that starts the mock itself on a free port. The Fireworks SDK and httpx are replaced by small
// stand-ins of their own calls (urllib), so that nothing is installed; pytest itself must be
// there, or the tests are skipped saying so.
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { buildApp } from '../server/app.js'
import { configWith } from '../server/config.js'
import { installInto } from './user-project.js'

const pytest = spawnSync('python3', ['-c', 'import pytest'], { encoding: 'utf8' })
const skip = pytest.status === 0 ? false : `python3 with pytest is not installed: ${pytest.stderr || pytest.error}`

const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```python\n([\s\S]*?)```/g)].map(m => m[1] as string)
const sessions = blocks.find(b => b.includes('PYTEST_XDIST_WORKER'))
const selfStarted = blocks.find(b => b.includes('--ready-file'))

/** httpx.post / httpx.put, as the conftest calls them. */
const HTTPX = `import json as _json
import urllib.request

def _send(method, url, json=None):
    data = None if json is None else _json.dumps(json).encode()
    headers = {} if data is None else {"content-type": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers)) as r:
        return r.read()

def post(url, json=None):
    return _send("POST", url, json)

def put(url, json=None):
    return _send("PUT", url, json)
`

/** The SDK's client.accounts.billing.get_summary, as the README's test calls it. */
const FIREWORKS_AI = `import json
import urllib.parse
import urllib.request

class _Summary:
    def __init__(self, body):
        self.line_items = body["lineItems"]

class _Billing:
    def __init__(self, client):
        self._client = client

    def get_summary(self, account_id, start_time, end_time):
        query = urllib.parse.urlencode({"startTime": start_time, "endTime": end_time})
        url = f"{self._client.base_url}/v1/accounts/{account_id}/billing/summary?{query}"
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self._client.api_key}"})
        with urllib.request.urlopen(request) as r:
            return _Summary(json.load(r))

class _Accounts:
    def __init__(self, client):
        self.billing = _Billing(client)

class Fireworks:
    def __init__(self, api_key, base_url):
        self.api_key = api_key
        self.base_url = base_url
        self.accounts = _Accounts(self)
`

function folder(t: { teardown: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fum-pytest-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** pytest in `dir`, with the environment given and no other (no PYTEST_XDIST_WORKER of ours). */
async function runPytest(dir: string, env: Record<string, string>) {
  return promisify(execFile)('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', dir], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: '1', ...env },
  })
}

t.test('the session-per-worker conftest runs serially, without pytest-xdist, and as its workers', { skip }, async t => {
  if (!sessions) throw new Error('no python block with PYTEST_XDIST_WORKER in the README')
  const [conftest, testFile] = sessions.split('# test_billing.py\n')
  t.ok(testFile, 'the block holds conftest.py, then test_billing.py')
  const dir = folder(t)
  writeFileSync(join(dir, 'conftest.py'), conftest!)
  writeFileSync(join(dir, 'test_billing.py'), testFile!)
  writeFileSync(join(dir, 'httpx.py'), HTTPX)
  writeFileSync(join(dir, 'fireworks_ai.py'), FIREWORKS_AI)
  const app = buildApp(configWith({ logLevel: 'silent', validateResponses: true }))
  t.teardown(() => app.close())
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const names = async () =>
    ((await (await fetch(`${url}/_mock/sessions`)).json()) as { sessions: { name: string }[] }).sessions.map(
      s => s.name,
    )

  const serial = await runPytest(dir, { FIREWORKS_MOCK_URL: url })
  t.match(serial.stdout, /\b1 passed\b/)
  t.same(await names(), ['default', 'pytest-main'], 'a serial run is the one session pytest-main')
  // what pytest-xdist sets in each worker process
  const worker = await runPytest(dir, { FIREWORKS_MOCK_URL: url, PYTEST_XDIST_WORKER: 'gw1' })
  t.match(worker.stdout, /\b1 passed\b/)
  t.same(await names(), ['default', 'pytest-gw1', 'pytest-main'], 'a worker has a session of its own')
})

t.test('the conftest that starts the mock itself learns its port from --ready-file', { skip }, async t => {
  if (!selfStarted) throw new Error('no python block with --ready-file in the README')
  const dir = folder(t)
  installInto(dir) // the project, as npm installs the package into it
  writeFileSync(join(dir, 'conftest.py'), selfStarted)
  writeFileSync(
    join(dir, 'test_health.py'),
    `import json
import urllib.request

def test_health(mock_url):
    with open("seen-url.txt", "w") as f:
        f.write(mock_url)
    with urllib.request.urlopen(f"{mock_url}/_mock/health") as r:
        assert json.load(r)["status"] == "ok"
`,
  )
  const run = await runPytest(dir, {})
  t.match(run.stdout, /\b1 passed\b/)
  const seen = new URL(readFileSync(join(dir, 'seen-url.txt'), 'utf8'))
  t.ok(Number(seen.port) > 0, `it listened on ${seen}`)
  const after = await new Promise<string>(resolve => {
    const socket = connect(Number(seen.port), '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message))
  })
  t.equal(after, 'ECONNREFUSED', 'stopped by the fixture before pytest ended')
})
