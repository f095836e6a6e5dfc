/**
 * The application menu: the usual roles (Edit, View, Window, Help). View (view-menu.ts) has zoom, full screen and
 * Presenter mode, which asks the page to switch: the page owns the mode, and its key, its button and the item do
 * the same. Toggle Developer Tools is there only in development: a packaged build has no DevTools (its window is
 * created without them too).
 */
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron'
import { EXTERNAL_LINKS } from './external-links'
import { viewMenu, type ViewMenuOptions } from './view-menu'

export function buildMenu({ devTools, onPresenter }: ViewMenuOptions): Menu {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    viewMenu({ devTools, onPresenter }),
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
