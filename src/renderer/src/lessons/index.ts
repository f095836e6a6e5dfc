/** Every lesson, in the order the Lesson tab offers them. */
import { DEPLOY } from './deploy'
import { FRIENDFEED } from './friendfeed'
import type { Lesson } from './lesson'
import { LIBUV_POOL } from './libuv-pool'
import { NODE_2009 } from './node-2009'
import { OPEN_CLOSED } from './open-closed'
import { THREE_WAYS } from './three-ways'

export const LESSONS: Lesson[] = [NODE_2009, OPEN_CLOSED, THREE_WAYS, FRIENDFEED, LIBUV_POOL, DEPLOY]
