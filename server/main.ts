#!/usr/bin/env node
// Entry point only: read configuration, build the app, listen, say where, and close gracefully on
// SIGTERM/SIGINT or POST /_mock/shutdown (in-flight requests finish, new connections are refused).

import type { FastifyInstance } from 'fastify'
import { setFlagsFromString } from 'node:v8'
import { buildApp } from './app.js'
import { ConfigError, helpText, loadConfig, type Config } from './config.js'
import { FixtureError } from './data/fixtures.js'
import { loadWorld, type World } from './data/world.js'
import { readableLogs, readableStream } from './http/logging.js'
import { VERSION } from './paths.js'
import { readyInfo, removeReadyFile, writeReadyFile } from './ready-file.js'
import { DAY_MS, formatUtc, formatUtcSeconds } from './time.js'
import { billingUsageJson } from './usage/billing-usage.js'
import { parseUsageQuery } from './usage/query.js'

const SHUTDOWN_TIMEOUT_MS = 10_000
const KEYS_SHOWN = 3

/** The clock at start-up: the instant itself, as "wall clock" alone does not tell which data exists. */
const nowText = (config: Config) => (config.now === null ? formatUtcSeconds(Date.now()) : formatUtc(config.now))

/** The start-up line: where, which world, which clock. */
function headline(config: Config, url: string, now: string): string {
  const clock = config.now === null ? 'the wall clock' : 'pinned by NOW'
  return `fireworks-usage-mock ${VERSION} listening on ${url} (seed ${config.seed}, now ${now}, ${clock})`
}

/** For a person at a terminal: the headline, the keys to try, the pages and how to stop. */
function banner(config: Config, world: World, url: string, now: string): string {
  // With ADMIN_TOKEN the list answers 401 without the header; with ADMIN=off it is not there.
  const moreKeys =
    config.admin === 'off'
      ? ', not listed: ADMIN=off removes GET /_mock/accounts'
      : `: GET ${url}/_mock/accounts${config.adminToken === null ? '' : ' with the header "x-mock-admin-token: <ADMIN_TOKEN>"'}`
  const lines = [headline(config, url, now), 'Accounts and API keys (send "Authorization: Bearer <secret>"):']
  for (const a of world.accounts.values()) {
    for (const k of a.keys.slice(0, KEYS_SHOWN))
      lines.push(`  ${a.account.padEnd(14)} ${k.id.padEnd(22)} ${k.name.padEnd(16)} ${k.secret}`)
    if (a.keys.length > KEYS_SHOWN)
      lines.push(`  ${a.account.padEnd(14)} (+${a.keys.length - KEYS_SHOWN} more keys${moreKeys})`)
  }
  lines.push(`Usage explorer: ${url}/explorer   API docs: ${url}/docs`)
  lines.push(`Stop: Ctrl-C or SIGTERM${config.admin === 'on' ? `, or POST ${url}/_mock/shutdown` : ''}`)
  return lines.join('\n')
}

/**
 * Says where the server listens, once: the banner for a person, one JSON log line (no secrets,
 * as every log line) where logs are JSON, so that every line of stdout parses; nothing when
 * LOG_LEVEL=silent. Shown at every other level: it is what tells a script the URL.
 */
function announce(app: FastifyInstance, config: Config, world: World, url: string, readable: boolean): void {
  if (config.logLevel === 'silent') return
  const now = nowText(config)
  if (readable) {
    console.log(banner(config, world, url, now))
    return
  }
  const { port } = readyInfo(url)
  app.log
    .child({}, { level: 'info' })
    .info({ url, port, version: VERSION, seed: config.seed, now }, headline(config, url, now))
}

/**
 * Fastify logs "Server listening at <url>" on listen, with no option to turn it off: the
 * announcement says it instead. Its maintainers' way (fastify/help#641): silence the logger
 * for the listen call.
 */
async function listenQuietly(app: FastifyInstance, config: Config): Promise<string> {
  const level = app.log.level
  app.log.level = 'silent'
  try {
    return await app.listen({ port: config.port, host: config.host })
  } finally {
    app.log.level = level
  }
}

/**
 * Answers one small query right after listening: V8 parses and compiles functions on first
 * use, so without this the first real request pays ~20 ms for compiling the rules it runs.
 * Done after listening, not before, so that start-up (to the first answer of /_mock/health) does
 * not wait for it; a request that arrives meanwhile waits the same ~20 ms instead.
 */
function warmUp(world: World): void {
  const account = [...world.accounts.values()].find(a => a.synthetic)
  if (!account) return
  const start = formatUtc(world.startMs)
  const end = formatUtc(world.startMs + DAY_MS)
  const { query } = parseUsageQuery({
    startTime: start,
    endTime: end,
    timezone: 'America/Los_Angeles',
    groupBy: 'model_name',
  })
  billingUsageJson(account, query, world.startMs + 2 * DAY_MS).release?.()
}

/**
 * V8 sizes its heap for throughput by default: under 50 busy connections the server's heap grew
 * to ~120 MB for ~25 MB of live objects, and freed buffers piled up between collections.
 * Favouring size makes it collect sooner (when added: soak peak ~250 MB without, 160-180 MB with,
 * at the same req/s). Its price on the largest computed answers (W3 one at a time 28 ms against
 * 18-22 ms without, when answers were built as objects and stringified) is gone since answers are
 * written as bytes: measured again, with and without, W3 one at a time and W1 computed req/s
 * differ by less than this machine's noise. Set here, for the server process only:
 * startMockServer() runs inside the user's own process, whose flags are not ours.
 */
function favourHeapSize(): void {
  setFlagsFromString('--optimize-for-size')
}

async function main(): Promise<void> {
  favourHeapSize()
  // `fireworks-usage-mock conformance ...` probes a server instead of serving (server/conformance/).
  if (process.argv[2] === 'conformance')
    return (await import('./conformance/cli.js')).conformanceMain(process.argv.slice(3))
  // `fireworks-usage-mock capture ...` reads an account into fixtures (server/capture/).
  if (process.argv[2] === 'capture') return (await import('./capture/cli.js')).captureMain(process.argv.slice(3))
  let config: Config
  try {
    const result = loadConfig(process.argv.slice(2), process.env)
    if (result.help) {
      console.log(helpText())
      return
    }
    config = result.config
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`fireworks-usage-mock: ${err.message}`)
    process.exit(2)
  }
  let world: World
  try {
    world = loadWorld(config)
  } catch (err) {
    if (!(err instanceof FixtureError)) throw err
    console.error(err.problems.map(p => `fireworks-usage-mock: ${p}`).join('\n'))
    process.exit(2)
  }
  const readable = readableLogs(config.logFormat, process.stdout.isTTY === true)
  const app = buildApp(config, {
    world,
    logStream: readable ? readableStream() : undefined,
    shutdown: () => shutdown('POST /_mock/shutdown'),
  })
  let address: string
  try {
    address = await listenQuietly(app, config)
  } catch (err) {
    // An address that does not resolve or is not this machine's, a port in use or not allowed.
    console.error(
      `fireworks-usage-mock: cannot listen on --host ${config.host} --port ${config.port}: ${(err as Error).message}`,
    )
    process.exit(2)
  }
  const { readyFile } = config
  if (readyFile !== null) {
    try {
      writeReadyFile(readyFile, readyInfo(address))
    } catch (err) {
      console.error(`fireworks-usage-mock: cannot write --ready-file ${readyFile}: ${(err as Error).message}`)
      process.exit(2)
    }
    // Every way out but SIGKILL: a graceful close, the shutdown timeout, a crash.
    process.on('exit', () => removeReadyFile(readyFile))
  }
  announce(app, config, world, address, readable)
  setImmediate(() => {
    // Optional work: a failure must not stop a server that already said it is listening.
    try {
      warmUp(world)
    } catch (err) {
      app.log.warn({ err }, 'the warm-up query failed; the same question asked over HTTP will say why')
    }
  })

  let closing = false
  function shutdown(reason: string) {
    if (closing) return
    closing = true
    app.log.info({ reason }, 'closing: finishing in-flight requests')
    setTimeout(() => {
      console.error(`fireworks-usage-mock: in-flight requests did not finish within ${SHUTDOWN_TIMEOUT_MS} ms`)
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS).unref()
    // close() ends idle keep-alive connections once; a connection whose request finishes
    // later becomes idle afterwards and would hold the process until its keep-alive timeout.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100)
    sweep.unref()
    app.close().then(
      () => process.exit(0),
      err => {
        console.error(err)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch(err => {
  console.error(`fireworks-usage-mock: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
