// The mock's controls, one file each. A new control is a file here and a line below.

import type { AppContext } from '../../pipeline/context.js'
import type { RouteSpec } from '../routes.js'
import { accountControls } from './accounts.js'
import { clockControls } from './clock.js'
import { faultControls } from './faults.js'
import { recordControls } from './records.js'
import { requestControls } from './requests.js'
import { resetControls } from './reset.js'
import { sessionControls } from './sessions.js'
import { shutdownControls } from './shutdown.js'
import { usageLagControls } from './usage-lag.js'

export function controlRoutes(ctx: AppContext): RouteSpec[] {
  const controls: ((ctx: AppContext) => RouteSpec[])[] = [
    accountControls,
    recordControls,
    clockControls,
    resetControls,
    requestControls,
    faultControls,
    sessionControls,
    shutdownControls,
    usageLagControls,
  ]
  return controls.flatMap(control => control(ctx))
}
