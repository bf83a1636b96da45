// The package's in-process API, for Node test suites that want the mock without a separate process.

export { buildApp, type AppDeps } from './app.js'
export { configWith, loadConfig, type Config } from './config.js'
export { loadWorld, buildWorld, type World } from './data/world.js'
