// The Docker image cannot be built on the development machine (no Docker engine), so what can
// be checked from the files is checked here: it runs the Node version CI tests, as a non-root
// user, and copies everything the published package needs at run time.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import t from 'tap'

// One full `npm run build` (tsc) runs here: on a busy shared machine it took over tap's 120 s
// per file (load average 20, the suite running beside other work). The bound only guards hangs.
t.setTimeout(600_000)

const dockerfile = readFileSync('Dockerfile', 'utf8')
const ci = readFileSync('.ci/run', 'utf8')
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] }

t.test('the image runs the Node 24 release that CI tests, on a slim Debian base', async t => {
  const image = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-(\w+)-slim$/m.exec(dockerfile)
  t.ok(image, 'ARG NODE_IMAGE=node:<version>-<debian>-slim')
  const tested = /^OTHER_RUNTIMES=\(([^)]*)\)$/m.exec(ci)?.[1]?.split(/\s+/) ?? []
  t.ok(
    tested.includes(image?.[1] as string),
    `node ${image?.[1]} is among the runtimes CI tests (${tested.join(', ')})`,
  )
  t.match(image?.[1], /^24\./, 'Node 24, the current LTS')
  t.same(dockerfile.match(/^FROM .*$/gm), ['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE}'], 'both stages use it')
})

t.test('the runtime stage runs as the unprivileged node user, with a health check', async t => {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '))
  t.match(runtime, /^USER node$/m)
  t.match(runtime, /^HEALTHCHECK .*\/_mock\/health/ms)
})

t.test('the runtime stage copies every folder the package ships', async t => {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '))
  const copied = [...runtime.matchAll(/^COPY (?:--from=build \/app\/)?(\S+) /gm)].map(m => m[1] as string)
  for (const entry of pkg.files.filter(f => f !== 'README.md')) t.ok(copied.includes(entry), `${entry} is copied`)
})

t.test('the build stage builds from what it copies', async t => {
  // What the build stage holds before `RUN npm run build`: its COPY lines, and the dependencies
  // that its `npm ci` installs (linked from this checkout's).
  const build = dockerfile.slice(0, dockerfile.lastIndexOf('FROM '))
  const dir = t.testdir({})
  for (const [, sources] of build.matchAll(/^COPY (?!--)(.+) \S+$/gm))
    for (const source of sources!.split(' ')) cpSync(source, join(dir, source), { recursive: true })
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir')
  execFileSync('npm', ['run', 'build'], { cwd: dir, stdio: 'pipe' })
  for (const built of ['dist/server/main.js', 'dist/openapi/fireworks-usage.json'])
    t.ok(existsSync(join(dir, built)), `${built} is built`)
})
