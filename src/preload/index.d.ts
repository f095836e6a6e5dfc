import type { LabApi } from '../shared/contract'

declare global {
  interface Window {
    /** present in the desktop app (the preload); absent in browser mode */
    loopscope?: LabApi
  }
}

export {}
