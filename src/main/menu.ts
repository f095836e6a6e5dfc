/**
 * The application menu: the usual roles (Edit, View with zoom and full screen, Window, Help), and View → Presenter
 * mode, which asks the page to switch (the page owns the mode: its key, its button and this item do the same).
 * Toggle Developer Tools is there only in development: a packaged build has no DevTools (its window is created
 * without them too).
 */
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron'
import { EXTERNAL_LINKS } from './external-links'

export interface MenuOptions {
  devTools: boolean
  /** View → Presenter mode was chosen */
  onPresenter(): void
}

export function buildMenu({ devTools, onPresenter }: MenuOptions): Menu {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
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
          // shown, not registered: a registered bare "V" would be taken from every text field of the page; the
          // page's own key handler answers V (never while typing) and this item's click sends the same command
          accelerator: 'V',
          registerAccelerator: false,
          click: onPresenter
        },
        { role: 'togglefullscreen', label: 'Full screen' }
      ]
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: `About ${app.getName()}`,
          click: () => app.showAboutPanel()
        },
        {
          label: 'Node.js: the event loop',
          click: () => void shell.openExternal(EXTERNAL_LINKS.eventLoopGuide)
        }
      ]
    }
  ]
  return Menu.buildFromTemplate(template)
}
