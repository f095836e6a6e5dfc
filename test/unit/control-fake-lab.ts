/** A stand-in for the Lab: records calls, keeps settings like the real one (a refused patch changes nothing). */
import { EventEmitter } from 'node:events'
import type { LabStatus } from '../../src/shared/contract'
import type { Summary } from '../../src/shared/frame'
import { applyPatch, DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../src/shared/settings'
import type { LabLike } from '../../src/main/control'

export class FakeLab extends EventEmitter implements LabLike {
  calls: { name: string; args: unknown }[] = []
  settings: Settings = DEFAULT_SETTINGS
  running = false
  failNext: Error | null = null
  /** the labels starts were given */
  labels: (string | null | undefined)[] = []

  private check(name: string, args: unknown): void {
    this.calls.push({ name, args })
    if (this.failNext) {
      const err = this.failNext
      this.failNext = null
      throw err
    }
  }
  status(): LabStatus {
    return {
      running: this.running,
      settings: this.settings,
      subjectUrl: this.running ? 'http://127.0.0.1:1' : null,
      subjectPid: null,
      sharedUrls: []
    }
  }
  async start(patch: SettingsPatch = {}, label?: string | null): Promise<LabStatus> {
    this.check('start', patch)
    if (label !== undefined) this.labels.push(label)
    this.settings = applyPatch(DEFAULT_SETTINGS, patch)
    this.running = true
    return this.status()
  }
  async update(patch: SettingsPatch): Promise<LabStatus> {
    this.check('update', patch)
    this.settings = applyPatch(this.settings, patch)
    return this.status()
  }
  async stop(): Promise<Summary | null> {
    this.check('stop', null)
    this.running = false
    return null
  }
  async broadcast(text: string): Promise<null> {
    this.check('broadcast', text)
    return null
  }
  async restartApp(): Promise<LabStatus> {
    this.check('restartApp', null)
    return this.status()
  }
}
