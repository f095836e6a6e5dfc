// Starts a TypeScript worker thread under tsx: Node 20 does not apply `--import tsx` to a worker's own entry, so
// the worker runs this file, which registers tsx and then imports the real entry. Only for plain-Node runs (CLI,
// tests, browser-mode host); the desktop app starts built .js entries directly.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.tsEntry)
