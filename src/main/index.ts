/**
 * The desktop app: one window on the Lab. The Lab itself is plain Node (src/main/lab); this file only adds what
 * Electron brings: the subject as a utilityProcess, the window, the menu, and IPC.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, Menu, utilityProcess } from 'electron'
import subjectEntry from './lab/subject/entry?modulePath'
import crowdEntry from './lab/crowd/entry?modulePath'
import { Lab } from './lab/lab'
import { keepRuns, runsDir } from './runs/data-dir'
import { Runs } from './runs/runs'
import { registerIpc, sendShellCommand, windowIpcOptions } from './ipc'
import { buildMenu } from './menu'
import { utilitySubjectSpawner } from './subject-utility'
import { createMainWindow, installSessionPolicy, lockDown } from './window'

const here = import.meta.dirname
const rendererFile = join(here, '../renderer/index.html')
const iconPath = join(app.isPackaged ? process.resourcesPath : join(here, '../..'), 'resources/icon.png')
// DevTools would let anyone at the keyboard run code with the page's bridge: development builds only.
const devTools = !app.isPackaged

app.setName('Loopscope')
app.setAboutPanelOptions({
  applicationName: 'Loopscope',
  applicationVersion: app.getVersion(),
  credits: 'A real evented server, a real crowd, charted live.'
})

// A second copy would start a second Lab and subject: focus the first window instead.
const isFirstInstance = app.requestSingleInstanceLock()
if (!isFirstInstance) app.quit()

let lab: Lab | null = null
let runs: Runs | null = null
let win: BrowserWindow | null = null
let disposeIpc: (() => void) | null = null

function openWindow(): void {
  const rendererUrl = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null
  const window = createMainWindow({
    preloadPath: join(here, '../preload/index.cjs'),
    iconPath,
    rendererUrl,
    rendererFile,
    devTools
  })
  win = window
  const pageUrl = rendererUrl ?? pathToFileURL(rendererFile).href
  disposeIpc?.()
  disposeIpc = registerIpc(ipcMain, lab!, window.webContents, windowIpcOptions(window.webContents, pageUrl, runs))
  window.on('closed', () => {
    if (win === window) {
      disposeIpc?.()
      disposeIpc = null
      win = null
    }
  })
}

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore()
    win.focus()
  }
})

app.on('web-contents-created', (_event, contents) => {
  lockDown(contents, () => contents.getURL())
})

void app.whenReady().then(() => {
  if (!isFirstInstance) return
  installSessionPolicy()
  Menu.setApplicationMenu(
    buildMenu({
      devTools,
      onPresenter: () => {
        if (win) sendShellCommand(win.webContents, 'presenter')
      }
    })
  )
  lab = new Lab({ spawnSubject: utilitySubjectSpawner(utilityProcess, subjectEntry), crowdEntry })
  // An error event with no listener would throw in main; the window shows errors through IPC.
  lab.on('error', () => {})
  // Every run is saved when it ends, in the runs folder of userData (or LOOPSCOPE_DATA_DIR).
  try {
    runs = new Runs({ dir: runsDir({ userData: app.getPath('userData') }), keep: keepRuns() })
    runs.on('error', () => {})
    runs.record(lab, app.getVersion())
  } catch (err) {
    console.error(`loopscope: runs will not be saved: ${(err as Error).message}`)
  }
  openWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

// Leave no subject process or crowd thread behind: close the Lab before quitting.
let closing = false
app.on('before-quit', (event) => {
  if (closing || !lab) return
  event.preventDefault()
  closing = true
  const done = (): void => app.quit()
  // the run that Stop ends is saved before the app goes
  lab
    .close()
    .then(() => runs?.settled())
    .then(done, done)
})
