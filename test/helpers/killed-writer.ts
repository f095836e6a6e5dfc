/** A process that saves a run and stops just before the rename, says so, and waits to be killed (runs-store test). */
import { RunStore } from '../../src/main/runs/store'
import { fixtureRun } from './run-fixture'

const dir = process.argv[2]!
const store = new RunStore({
  dir,
  hooks: {
    beforeRename: async (temp) => {
      process.send!({ temp })
      await new Promise(() => {})
    }
  }
})
void store.save(fixtureRun({ id: '20261202-010000-000-dead' }))
