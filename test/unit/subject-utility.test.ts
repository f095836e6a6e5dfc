import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { utilitySubjectSpawner, type UtilityChildLike, type UtilityProcessLike } from '../../src/main/subject-utility'
import { DEFAULT_SETTINGS, pickSubject } from '../../src/shared/settings'

/**
 * Electron's utilityProcess, reduced to what subject-utility.ts uses, around a real child process: its kill() is
 * SIGTERM, as Electron's is, and the child ignores SIGTERM, so only a SIGKILL ends it.
 */
class UtilityChildStandIn extends EventEmitter implements UtilityChildLike {
  readonly child: ChildProcess
  exitSignal: NodeJS.Signals | null = null
  constructor() {
    super()
    this.child = spawn(
      process.execPath,
      ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')"],
      {
        stdio: ['ignore', 'pipe', 'inherit']
      }
    )
    this.child.once('exit', (code, signal) => {
      this.exitSignal = signal
      this.emit('exit', code ?? 1)
    })
  }
  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined
  }
  ready(): Promise<void> {
    return new Promise((resolve) => this.child.stdout!.once('data', () => resolve()))
  }
  postMessage(): void {}
  kill(): boolean {
    return this.child.kill('SIGTERM')
  }
}

const children: UtilityChildStandIn[] = []
const utilityProcess: UtilityProcessLike = {
  fork() {
    const child = new UtilityChildStandIn()
    children.push(child)
    return child
  }
}
const launch = { port: 0, settings: pickSubject(DEFAULT_SETTINGS), instrument: false }

afterEach(() => {
  for (const { child } of children.splice(0)) child.kill('SIGKILL')
})

// Each would wait forever without the behaviour it checks: fail in seconds rather than the suite's minute.
describe('the utilityProcess subject spawner', { timeout: 10_000 }, () => {
  it('kills the subject with SIGKILL, as the Node spawner does', async () => {
    const subject = utilitySubjectSpawner(utilityProcess, '/entry.js')(launch)
    await children[0]!.ready()
    const exited = new Promise<number | null>((resolve) => subject.onExit(resolve))
    subject.kill()
    await exited
    expect(children[0]!.exitSignal).toBe('SIGKILL')
  })

  it('reports an exit that happened before its listener was attached', async () => {
    const subject = utilitySubjectSpawner(utilityProcess, '/entry.js')(launch)
    await children[0]!.ready()
    const gone = new Promise((resolve) => children[0]!.once('exit', resolve))
    children[0]!.child.kill('SIGKILL')
    await gone
    const code = await new Promise<number | null>((resolve) => subject.onExit(resolve))
    expect(code).toBe(1)
  })
})
