/** The broadcast log as the user reads it: the line under the tiles, the CLI's row, and the Redis URL field's password. */
import { describe, expect, it } from 'vitest'
import { logNote, storeBack } from '../../src/renderer/src/frames/log-note'
import { hidePassword, restorePassword } from '../../src/shared/settings'
import { messageLogWords } from '../../src/shared/run-words'
import { pushFrame } from './renderer-fixtures'

describe('the message log in words', () => {
  it('says what the log started with, and where the next ids go on from', () => {
    expect(messageLogWords('redis', 40, { up: true, lost: 0 })).toBe(
      "on Redis: 40 messages kept from earlier runs (this run's ids go on from 41)"
    )
    expect(messageLogWords('redis', 1)).toBe("on Redis: 1 message kept from earlier runs (this run's ids go on from 2)")
    expect(messageLogWords('redis', 12_000)).toContain('12,000 messages kept')
    expect(messageLogWords('redis', 0)).toBe('on Redis: started empty')
    expect(messageLogWords('memory', 0)).toBe('in memory: started empty (a restart of the server loses it)')
  })

  it('says Redis is unreachable while it is, and how often it went away', () => {
    expect(messageLogWords('redis', 5, { up: false, lost: 1 })).toBe(
      'on Redis: unreachable — publishes are refused and held long polls answered [] until it is back; went away 1× during the run'
    )
    expect(messageLogWords('redis', 5, { up: true, lost: 2 })).toMatch(
      /kept from earlier runs .*; went away 2× during the run$/
    )
    // a summary has no "up": the run is over
    expect(messageLogWords('redis', 5, { lost: 0 })).not.toContain('unreachable')
  })

  it('reads a run saved before the figure without inventing one', () => {
    expect(messageLogWords('redis', undefined)).toBe('on Redis: kept across restarts')
    expect(messageLogWords('memory', undefined)).toBe('in memory: lost at a restart')
  })
})

describe('the line under the tiles', () => {
  it('shows only with the log on Redis, red while it is away, and says when it is back', () => {
    expect(logNote(pushFrame({ logStartId: 0 }))).toBeNull()
    const away = pushFrame({ logStartId: 3, redis: { up: false, lost: 1 } })
    expect(logNote(away)).toMatchObject({
      down: true,
      text: expect.stringMatching(/^Message log on Redis: unreachable/)
    })
    expect(storeBack(away)).toBe(false)
    const back = pushFrame({ logStartId: 3, redis: { up: true, lost: 1 } })
    expect(logNote(back)).toEqual({
      down: false,
      text: "Message log on Redis: 3 messages kept from earlier runs (this run's ids go on from 4); went away 1× during the run"
    })
    expect(storeBack(back)).toBe(true)
    expect(storeBack(null)).toBe(false)
  })
})

describe('the Redis URL field', () => {
  const url = 'redis://:s3cr$t@127.0.0.1:6379'
  it('shows the password as *** and keeps it when the user edits the rest', () => {
    expect(hidePassword(url)).toBe('redis://:***@127.0.0.1:6379')
    expect(hidePassword('rediss://admin:pw@10.0.0.1:6380/2')).toBe('rediss://admin:***@10.0.0.1:6380/2')
    expect(hidePassword('redis://10.0.0.1:6379')).toBe('redis://10.0.0.1:6379')
    expect(restorePassword('redis://:***@127.0.0.1:6379/2', url)).toBe('redis://:s3cr$t@127.0.0.1:6379/2')
    expect(restorePassword('redis://user:***@10.0.0.1:6379', 'redis://user:pw@10.0.0.1:6379/1')).toBe(
      'redis://user:pw@10.0.0.1:6379'
    )
  })

  it('never hands the old password to another server or user: the *** stays as typed', () => {
    expect(restorePassword('redis://:***@127.0.0.1:6380', url)).toBe('redis://:***@127.0.0.1:6380')
    expect(restorePassword('redis://:***@db-new.example:6379', url)).toBe('redis://:***@db-new.example:6379')
    expect(restorePassword('redis://other:***@127.0.0.1:6379', url)).toBe('redis://other:***@127.0.0.1:6379')
    expect(restorePassword('rediss://:***@127.0.0.1:6379', url)).toBe('rediss://:***@127.0.0.1:6379')
  })

  it('takes a new password, or a URL with none, as typed', () => {
    expect(restorePassword('redis://:other@127.0.0.1:6379', url)).toBe('redis://:other@127.0.0.1:6379')
    expect(restorePassword('redis://127.0.0.1:6379', url)).toBe('redis://127.0.0.1:6379')
    expect(restorePassword('redis://:***@127.0.0.1:6379', null)).toBe('redis://:***@127.0.0.1:6379')
  })
})
