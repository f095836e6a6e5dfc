/**
 * The one generic helper behind every state hook (Kap style): a small store per LabClient, fed by the client's
 * events, read with useSyncExternalStore, and a hook that returns `{ state, actions }`. The store lives outside React
 * so ten frames a second re-render only the components that read that state.
 */
import { createContext, useContext, useSyncExternalStore } from 'react'
import type { LabClient } from '../client/lab-client'

export interface Store<S> {
  get(): S
  set(next: S | ((prev: S) => S)): void
  subscribe(listener: () => void): () => void
}

export function createStore<S>(initial: S): Store<S> {
  let state = initial
  const listeners = new Set<() => void>()
  return {
    get: () => state,
    set(next) {
      const value = typeof next === 'function' ? (next as (prev: S) => S)(state) : next
      if (Object.is(value, state)) return
      state = value
      for (const l of listeners) l()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

export const LabClientContext = createContext<LabClient | null>(null)

export function useLabClient(): LabClient {
  const client = useContext(LabClientContext)
  if (!client) throw new Error('useLabClient needs a <LabClientContext.Provider>')
  return client
}

export interface StateSpec<S, A> {
  initial: () => S
  /** subscribes the store to the client's events, once per client */
  connect?: (client: LabClient, store: Store<S>) => void
  actions: (client: LabClient, store: Store<S>) => A
}

export interface ClientState<S, A> {
  (): { state: S; actions: A }
  /** the store for a client, created (and connected) on first use */
  storeFor(client: LabClient): { store: Store<S>; actions: A }
}

export function createClientState<S, A>(spec: StateSpec<S, A>): ClientState<S, A> {
  const entries = new WeakMap<LabClient, { store: Store<S>; actions: A }>()
  function storeFor(client: LabClient): { store: Store<S>; actions: A } {
    let entry = entries.get(client)
    if (!entry) {
      const store = createStore(spec.initial())
      entry = { store, actions: spec.actions(client, store) }
      entries.set(client, entry)
      spec.connect?.(client, store)
    }
    return entry
  }
  function useClientState(): { state: S; actions: A } {
    const { store, actions } = storeFor(useLabClient())
    const state = useSyncExternalStore(store.subscribe, store.get)
    return { state, actions }
  }
  return Object.assign(useClientState, { storeFor })
}
