/**
 * The one window, locked down: isolated, sandboxed, no Node in the page, a strict Content-Security-Policy, no
 * navigation away from the app and no new windows. Remote content never loads.
 */
import { BrowserWindow, session, shell, type WebContents } from 'electron'

/** Same policy as the meta tag in src/renderer/index.html; sent as a header too so it holds before parsing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'"
].join('; ')

export const MIN_SIZE = { width: 1024, height: 700 } as const

export interface WindowOptions {
  preloadPath: string
  iconPath: string
  /** dev server URL (electron-vite dev) or null for the built file */
  rendererUrl: string | null
  rendererFile: string
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
  contents.on('will-navigate', (event, url) => {
    if (url !== allowedUrl()) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // A link to documentation opens in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url)
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
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  if (options.rendererUrl) void win.loadURL(options.rendererUrl)
  else void win.loadFile(options.rendererFile)
  return win
}
