/** Matches BROADCAST_TEXT in src/main/control.ts (main validates; this only guides typing). */
export const BROADCAST_MAX_CHARS = 280
/** The WebSocket path of the browser-mode host (src/main/web/host.ts). */
export const WS_PATH = '/ws'
