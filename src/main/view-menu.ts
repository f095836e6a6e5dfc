/**
 * The View menu: reload, zoom, Presenter mode and full screen. Apart from menu.ts, and with no Electron import but
 * its types, so a unit test reads the items as they are built.
 */
import type { MenuItemConstructorOptions } from 'electron'

export interface ViewMenuOptions {
  devTools: boolean
  /** View → Presenter mode was chosen */
  onPresenter(): void
}

export function viewMenu({ devTools, onPresenter }: ViewMenuOptions): MenuItemConstructorOptions {
  return {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(devTools ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      // Ctrl/Cmd + '=' as well as '+', which needs Shift on most keyboards: speakers press it under stress.
      { role: 'zoomIn', accelerator: 'CommandOrControl+=', visible: false },
      { role: 'zoomOut' },
      { type: 'separator' },
      {
        label: 'Presenter mode',
        // shown, not registered: a registered bare "V" would be taken from every text field of the page; the page's
        // own key handler answers V (never while typing), and a click sends the same command
        accelerator: 'V',
        registerAccelerator: false,
        click: () => onPresenter()
      },
      { role: 'togglefullscreen', label: 'Full screen' }
    ]
  }
}
