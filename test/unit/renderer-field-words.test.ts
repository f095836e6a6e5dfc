import { describe, expect, it } from 'vitest'
import { bannerWords } from '../../src/renderer/src/banner-words'
import { acceptsTyped, refusalInWords } from '../../src/renderer/src/field-words'

describe("a refused value in the form's words", () => {
  it('names the field by its label, with its unit and range as a person writes them', () => {
    expect(refusalInWords('delayMs', -5)).toBe(
      'Delay must be a whole number of milliseconds from 0 to 60,000 (you typed -5)'
    )
  })

  it('says "empty (no limit)" for the request budget, never "null"', () => {
    expect(refusalInWords('requests', 0)).toBe(
      'Stop after requests must be empty (no limit) or a whole number from 1 to 10,000,000 (you typed 0)'
    )
  })

  it('says a value that is not a number is not one, never "(got null)"', () => {
    expect(refusalInWords('threads', Number.NaN)).toBe(
      'Threads must be a whole number from 0 to 64 (that is not a number)'
    )
    expect(refusalInWords('concurrency', Number.POSITIVE_INFINITY)).toMatch(/\(that is not a number\)$/)
  })

  it('accepts a typed value only when the field would', () => {
    expect(acceptsTyped('delayMs', '400')).toBe(true)
    expect(acceptsTyped('delayMs', '-5')).toBe(false)
    expect(acceptsTyped('delayMs', '60001')).toBe(false)
    expect(acceptsTyped('delayMs', '1.5')).toBe(false)
    expect(acceptsTyped('delayMs', 'NaN')).toBe(false)
    expect(acceptsTyped('delayMs', '')).toBe(false)
    expect(acceptsTyped('requests', '')).toBe(true)
  })
})

describe('a banner', () => {
  it('says a dead subject once, in words, and a signal as a signal', () => {
    const words = bannerWords({
      code: 'LOOPSCOPE_ERR_SUBJECT_EXITED',
      message: "the subject server's process ended unexpectedly (killed by SIGKILL); start the run again to restart it",
      exit: { code: null, signal: 'SIGKILL' }
    })
    expect(words.title).toBe('The subject server stopped unexpectedly (killed by a signal).')
    expect(words.detail).toBe('Restart starts a new run with the same settings.')
  })

  it('gives an exit code as a number', () => {
    // read from the exit the error carries, never from the message's text
    expect(
      bannerWords({
        code: 'LOOPSCOPE_ERR_SUBJECT_EXITED',
        message: '… (exit code 7); …',
        exit: { code: 1, signal: null }
      }).title
    ).toBe('The subject server stopped unexpectedly (exit code 1).')
  })

  it("keeps the code's summary and the host's message for other errors", () => {
    expect(bannerWords({ code: 'LOOPSCOPE_ERR_CROWD_FAILED', message: 'boom' })).toEqual({
      title: 'The load generator (the crowd) failed.',
      detail: 'boom'
    })
  })
})
