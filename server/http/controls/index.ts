// The mock's controls, one file each. A new control is a file here and a line below.

import type { AppContext } from '../context.js'
import type { RouteSpec } from '../routes.js'
import { accountControls } from './accounts.js'
import { clockControls } from './clock.js'
import { faultControls } from './faults.js'
import { recordControls } from './records.js'
import { requestControls } from './requests.js'
import { resetControls } from './reset.js'

export function controlRoutes(ctx: AppContext): RouteSpec[] {
  return [accountControls, recordControls, clockControls, resetControls, requestControls, faultControls].flatMap(
    controls => controls(ctx),
  )
}
