import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { connectLabClient } from './client/connect'
import { LabClientContext } from './hooks/client-state'
import { useFrames } from './hooks/use-frames'
import { useRun } from './hooks/use-run'
import { installProbe } from './probe'
import './styles.css'

const client = connectLabClient()
// Subscribe before the first render so no early frame or status is missed.
useRun.storeFor(client)
useFrames.storeFor(client)
installProbe(client)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LabClientContext.Provider value={client}>
      <App />
    </LabClientContext.Provider>
  </StrictMode>
)
