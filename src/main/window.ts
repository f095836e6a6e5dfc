/**
 * The one window, locked down: isolated, sandboxed, no Node in the page, a strict Content-Security-Policy (the one of
 * src/shared/csp.ts, sent as a header too so it holds before parsing), no navigation away from the app, no new
 * windows, no DevTools in a packaged build. Remote content never loads; a link opens in the user's browser only if
 * it is one of Loopscope's own (external-links.ts).
 */
import { BrowserWindow, session, shell, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../shared/csp'
import { isAllowedExternalLink } from './external-links'

export const MIN_SIZE = { width: 1024, height: 700 } as const

export interface WindowOptions {
  preloadPath: string
  iconPath: string
  /** dev server URL (electron-vite dev) or null for the built file */
  rendererUrl: string | null
  rendererFile: string
  /** false in a packaged build: no DevTools, from the menu, a shortcut or code */
  devTools: boolean
}

export function installSessionPolicy(): void {
  const ses = session.defaultSession
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
  // No camera, microphone, notifications, geolocation…: the dashboard needs none.
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

/** Denies navigation, new windows and webviews for every web contents the app ever creates. */
export function lockDown(contents: WebContents, allowedUrl: () => string): void {
  const openOutside = (url: string): void => {
    // One of our own links opens in the user's browser, never inside the app; any other URL goes nowhere.
    if (isAllowedExternalLink(url)) void shell.openExternal(url)
  }
  contents.on('will-navigate', (event, url) => {
    if (url === allowedUrl()) return
    event.preventDefault()
    openOutside(url)
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Loopscope',
    width: 1440,
    height: 900,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    icon: options.iconPath,
    backgroundColor: '#111418',
    autoHideMenuBar: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: options.devTools,
      spellcheck: false,
      // A middle-click on a link would ask for a new window (denied anyway by setWindowOpenHandler): not even asked.
      disableBlinkFeatures: 'Auxclick'
    }
  })
  win.once('ready-to-show', () => win.show())
  if (options.rendererUrl) void win.loadURL(options.rendererUrl)
  else void win.loadFile(options.rendererFile)
  return win
}
