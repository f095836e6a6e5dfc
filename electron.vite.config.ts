import { readFileSync } from 'node:fs'
import { dirname, posix, resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'

/**
 * The subject's thread pool loads `pool-task.js` from next to the code that starts it (work-pool.ts), and piscina
 * needs it as a file of its own: copy it, unchanged, beside every built chunk that refers to it.
 */
function poolTaskBesideSubject(): Plugin {
  const source = resolve('src/main/lab/subject/pool-task.js')
  return {
    name: 'loopscope:pool-task',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        const code = file.type === 'chunk' ? file.code : String(file.source)
        if (!code.includes('"./pool-task.js"')) continue
        const fileName = posix.join(dirname(file.fileName), 'pool-task.js')
        if (!bundle[fileName]) this.emitFile({ type: 'asset', fileName, source: readFileSync(source, 'utf8') })
      }
    }
  }
}

export default defineConfig({
  main: {
    plugins: [poolTaskBesideSubject()]
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
