// POST /_mock/reset: records, accounts, clock, journal, faults and rate limits as at start-up.

import { resetContext, type AppContext } from '../context.js'
import type { RouteSpec } from '../routes.js'
import { clockBody } from './clock.js'

export function resetControls(ctx: AppContext): RouteSpec[] {
  return [
    {
      method: 'POST',
      url: '/_mock/reset',
      handler: async () => {
        resetContext(ctx)
        return { status: 'reset', ...clockBody(ctx) }
      },
    },
  ]
}
