// A project that installed this package, laid out as npm lays it out: the package in
// node_modules (a link to this clone, as `npm install <folder>` makes), and its bin linked in
// node_modules/.bin and made executable, as npm's linker does (tsc does not).
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export function installInto(dir: string): void {
  writeFileSync(join(dir, 'package.json'), '{"name": "a-user-project", "private": true}\n')
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true })
  symlinkSync(process.cwd(), join(dir, 'node_modules', 'fireworks-usage-mock'))
  symlinkSync('../fireworks-usage-mock/dist/server/main.js', join(dir, 'node_modules', '.bin', 'fireworks-usage-mock'))
  chmodSync(resolve('dist/server/main.js'), 0o755)
}
