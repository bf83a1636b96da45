// package.json decides what a clean install does: npm 11 blocks the install scripts of
// dependencies that `allowScripts` does not name, and ends `npm ci` with a notice listing them.
// Every dependency of the lockfile that has an install script is named there, so that a clean
// `npm ci` prints nothing to wonder about, and a new one fails here until it is decided.
import { readFileSync } from 'node:fs'
import t from 'tap'

interface Lock {
  packages: Record<string, { hasInstallScript?: boolean }>
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> }
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock

t.test('every dependency with an install script is allowed or denied in allowScripts', async t => {
  const withScripts = Object.entries(lock.packages)
    .filter(([, p]) => p.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
  t.ok(withScripts.includes('esbuild'), `install scripts in the lockfile: ${withScripts.join(', ')}`)
  t.same(
    withScripts.filter(name => typeof pkg.allowScripts?.[name] !== 'boolean'),
    [],
    'each is decided',
  )
  // esbuild's postinstall checks and links the platform binary that npm already installed as an
  // optional dependency; tsx calls esbuild's JavaScript API, which finds that binary by itself.
  t.equal(pkg.allowScripts?.esbuild, false)
})
