import { readFileSync } from 'node:fs'
import { dirname, posix, resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'

/**
 * The subject starts two kinds of threads from plain-JavaScript files next to the code that starts them: its pool's
 * `pool-task.js` (work-pool.ts; piscina needs a file of its own), which imports `sync-http.js`, and its
 * `control-thread.js` (control.ts), which imports `settings-block.js` and the stall watch's files; and, for work
 * "upstream", the backend's process from `backend.js` (upstream.ts). Copy each, unchanged, beside every built chunk that
 * refers to it.
 */
const THREAD_FILES: Record<string, string[]> = {
  'pool-task.js': ['pool-task.js', 'sync-http.js'],
  'backend.js': ['backend.js'],
  'control-thread.js': [
    'control-thread.js',
    'settings-block.js',
    'beat-cell.js',
    'stall-watch.js',
    'stack-capture.js',
    'stack-frames.js'
  ]
}

function threadFilesBesideSubject(): Plugin {
  return {
    name: 'loopscope:subject-thread-files',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        const code = file.type === 'chunk' ? file.code : String(file.source)
        for (const [entry, files] of Object.entries(THREAD_FILES)) {
          if (!code.includes(`"./${entry}"`)) continue
          for (const name of files) {
            const fileName = posix.join(dirname(file.fileName), name)
            const source = readFileSync(resolve('src/main/lab/subject', name), 'utf8')
            if (!bundle[fileName]) this.emitFile({ type: 'asset', fileName, source })
          }
        }
      }
    }
  }
}

export default defineConfig({
  main: {
    plugins: [threadFilesBesideSubject()]
  },
  preload: {
    // A sandboxed preload cannot be an ES module.
    build: { rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } } }
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: { minify: true, chunkSizeWarningLimit: 1024 }
  }
})
