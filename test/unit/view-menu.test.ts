import { describe, expect, it } from 'vitest'
import { viewMenu } from '../../src/main/view-menu'

const items = (devTools = false, onPresenter = (): void => {}) =>
  viewMenu({ devTools, onPresenter }).submenu as {
    label?: string
    role?: string
    accelerator?: string
    registerAccelerator?: boolean
    click?: () => void
  }[]

describe('the View menu', () => {
  it('has Presenter mode, showing V without taking it from the page, and asks the page when chosen', () => {
    let asked = 0
    const presenter = items(false, () => asked++).find((i) => i.label === 'Presenter mode')!
    expect(presenter).toMatchObject({ accelerator: 'V', registerAccelerator: false })
    presenter.click!()
    expect(asked).toBe(1)
  })

  it('has Full screen, the window toggle role', () => {
    expect(items().find((i) => i.role === 'togglefullscreen')).toMatchObject({ label: 'Full screen' })
  })

  it('offers DevTools only in development', () => {
    expect(items(false).some((i) => i.role === 'toggleDevTools')).toBe(false)
    expect(items(true).some((i) => i.role === 'toggleDevTools')).toBe(true)
  })
})
