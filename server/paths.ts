import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package root, found by walking up to package.json (the same from server/ and dist/server/). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  return dir
}

export const PACKAGE_ROOT = findRoot()
export const DEFAULT_WORLD_FILE = join(PACKAGE_ROOT, 'fixtures', 'world.json')
export const DEFAULT_FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures', 'default')
export const VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version
