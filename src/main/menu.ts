/** The application menu: the usual roles (Edit, View with zoom and full screen, Window, Help). */
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron'

export function buildMenu(): Menu {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        // Ctrl/Cmd + '=' as well as '+', which needs Shift on most keyboards: speakers press it under stress.
        { role: 'zoomIn', accelerator: 'CommandOrControl+=', visible: false },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
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
          click: () => void shell.openExternal('https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick')
        }
      ]
    }
  ]
  return Menu.buildFromTemplate(template)
}
