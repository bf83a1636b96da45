// The README's shell examples are part of the product: every `curl` command in its sh blocks is
// run, in order, by curl itself, against a server started with the settings the README gives
// just before it (`npm start`, `FIXTURES=... npm start`, `npx fireworks-usage-mock --port ...`),
// and must answer 2xx (or the status it asks for with x-mock-status). Every answer is also
// checked against the OpenAPI document (VALIDATE_RESPONSES).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { buildApp } from '../server/app.js'
import { loadConfig, type Config } from '../server/config.js'
import { SETTINGS } from '../server/settings.js'

interface Step {
  line: number
  /** The settings of the server the README started last, as flags and environment. */
  start: { argv: string[]; env: Record<string, string> }
  /** Shell lines before the command in its block that set variables (M=...). */
  setup: string[]
  command: string
}

const START =
  /^\s*((?:[A-Z_]+=\S+\s+)*)(?:npm ci && )?(npm start|npx fireworks-usage-mock(?! conformance| capture))([^&#;]*)/

/** Every curl command of the README's sh blocks, with the server settings in force there. */
function readmeSteps(text: string): Step[] {
  const steps: Step[] = []
  let start: Step['start'] | undefined
  let block: string[] | null = null
  let setup: string[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string
    if (block === null) {
      if (raw === '```sh') [block, setup] = [[], []]
      continue
    }
    if (raw === '```') {
      block = null
      continue
    }
    let line = raw
    const first = i + 1
    while (line.endsWith('\\')) line = `${line.slice(0, -1)} ${(lines[++i] as string).trim()}`
    const started = START.exec(line)
    if (started) {
      const env = Object.fromEntries(
        (started[1] ?? '')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(a => a.split('=') as [string, string]),
      )
      start = { argv: (started[3] ?? '').trim().split(/\s+/).filter(Boolean), env }
      continue
    }
    if (/^[A-Z]+=\S+$/.test(line.trim())) setup.push(line.trim())
    // A readiness loop (`until curl ... >/dev/null; do ...`) holds a command too.
    for (const m of line.matchAll(/curl\s[^;|>]*/g)) {
      if (!start) throw new Error(`README.md:${first}: a curl command before any start command`)
      steps.push({ line: first, start, setup: [...setup], command: m[0].trim() })
    }
  }
  return steps
}

const steps = readmeSteps(readFileSync('README.md', 'utf8'))

t.test('the README has curl examples, each after a start command', async t => {
  t.ok(steps.length >= 15, `${steps.length} curl commands`)
})

const servers = new Map<string, { url: string; close: () => Promise<unknown> }>()
t.teardown(async () => {
  for (const s of servers.values()) await s.close()
})

async function serverFor(start: Step['start']): Promise<string> {
  const key = JSON.stringify(start)
  const running = servers.get(key)
  if (running) return running.url
  const result = loadConfig(start.argv, start.env)
  if (result.help) throw new Error('a start command asked for --help')
  const config: Config = { ...result.config, port: 0, host: '127.0.0.1', logLevel: 'silent', validateResponses: true }
  const app = buildApp(config)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  servers.set(key, { url, close: () => app.close() })
  return url
}

for (const step of steps) {
  t.test(`README.md:${step.line}: ${step.command.slice(0, 90)}`, async t => {
    const url = await serverFor(step.start)
    const port = new URL(url).port
    // The README's documented ports become the test server's own.
    const command = step.command
      .replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`)
      .replace(/^curl /, `curl -w '\\n%{http_code}' --max-time 20 `)
    const setup = step.setup.map(s => s.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`))
    // Asynchronously: the server answering curl runs in this very process.
    const run = await promisify(execFile)('bash', ['-c', [...setup, command].join('\n')], {
      encoding: 'utf8',
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
    })
    // POST /_mock/shutdown closed that server: the next step of the same settings starts another.
    if (step.command.includes('/_mock/shutdown')) servers.delete(JSON.stringify(step.start))
    const status = Number(run.stdout.trim().split('\n').at(-1))
    const asked = /x-mock-status: (\d{3})/.exec(step.command)?.[1]
    if (asked) t.equal(status, Number(asked), `answers the status it asks for: ${run.stdout.slice(0, 300)}`)
    else t.ok(status >= 200 && status < 300, `answers 2xx, got ${status}: ${run.stdout.slice(0, 300)}${run.stderr}`)
  })
}

t.test("the README's settings table lists every setting, with its flag, variable and default", async t => {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.slice(
    readme.indexOf('## Settings'),
    readme.indexOf('\n## ', readme.indexOf('## Settings') + 1),
  )
  const rows = new Map(
    section
      .split('\n')
      .filter(l => l.startsWith('| `--'))
      .map(l => l.split('|').map(c => c.trim().replace(/^`|`$/g, '')))
      .map(cells => [cells[1], cells] as const),
  )
  for (const s of SETTINGS) {
    const row = rows.get(s.flag)
    if (!row) {
      t.fail(`${s.flag} is missing from the README's settings table`)
      continue
    }
    t.equal(row[2], s.env, `${s.flag}: its variable`)
    // an empty default is written in words there ("none", "wall clock")
    if (s.default !== '') t.equal(row[3], s.default, `${s.flag}: its default`)
  }
  t.equal(rows.size, SETTINGS.length, 'and no row for a setting that does not exist')
})

/** The text of the README's fenced blocks of a language, in order. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```', 'g'))].map(m => m[1] as string)
}

t.test("the cost tool flow in Python: the README's script runs and prints what the API says", async t => {
  const [script] = blocks(readFileSync('README.md', 'utf8'), 'python')
  if (!script) return t.fail('no python block in the README')
  const url = await serverFor({ argv: [], env: {} })
  const run = await promisify(execFile)('python3', ['-c', script.replaceAll('http://127.0.0.1:8080', url)], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  const printed = /^acme-ai (\d+) usage rows, (\d+) cost rows, \$(\d+\.\d\d)$/.exec(run.stdout.trim())
  t.ok(printed, `prints a line of counts and dollars: ${run.stdout}${run.stderr}`)
  // The staging key is a plain user's: the script fell back to SELF; the same question by hand.
  const res = await fetch(`${url}/v1/accounts/acme-ai/usageCosts:query`, {
    method: 'POST',
    headers: { authorization: 'Bearer fw_mockAcmeStaging01' },
    body: JSON.stringify({ startTime: '2026-06-01T00:00:00Z', endTime: '2026-07-01T00:00:00Z', scope: 'SELF' }),
  })
  const { subtotal } = (await res.json()) as { subtotal: { units: string; nanos: number } }
  t.equal(printed?.[3], (Number(subtotal.units) + subtotal.nanos / 1e9).toFixed(2), 'the SELF subtotal')
})

t.test("the quick start's first question prints a table a person can read, one line per model", async t => {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.slice(readme.indexOf('## On a fresh machine'), readme.indexOf('## The default world'))
  const block = /```sh\n(curl [\s\S]*?)\n```/.exec(section)?.[1]
  if (!block) throw new Error('no curl block in "On a fresh machine"')
  t.match(block, /\| node -e /, 'piped to a tool every machine running the mock has')
  const url = await serverFor({ argv: [], env: {} }) // `npm start`
  const run = await promisify(execFile)('bash', ['-c', block.replace(/127\.0\.0\.1:8080/g, new URL(url).host)], {
    encoding: 'utf8',
    timeout: 30_000,
  })
  const lines = run.stdout.trimEnd().split('\n')
  // console.table: a border, the header, a separator, the rows, a border
  const models = (JSON.parse(readFileSync('fixtures/world.json', 'utf8')) as { accounts: { models: string[] }[] })
    .accounts[0]!.models
  t.equal(lines.length, models.length + 4, `one row per model of acme-ai (${models.length}):\n${run.stdout}`)
  t.same(
    lines.filter(l => l.length > 120),
    [],
    'no line wider than a terminal',
  )
  for (const model of models)
    t.ok(
      lines.some(l => l.includes(`'${model}'`)),
      model,
    )
})
