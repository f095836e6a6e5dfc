/**
 * Presenter mode: tiles and charts only, in large type, full screen where the platform allows. Entering asks for
 * full screen (a key press or a click lets the page ask; a refusal leaves the mode on, windowed); leaving gives back
 * the full screen it took, never one the user had before. Leaving full screen by the browser's own Esc leaves the
 * mode too, so one Esc always gets the speaker back. The desktop app's menu (View → Presenter mode) toggles it as
 * the key does.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { LabClient } from '../client/lab-client'

export interface Presenter {
  on: boolean
  toggle(): void
  leave(): void
  /** the `f` key: full screen on or off, without leaving presenter mode */
  toggleFullscreen(): void
}

const exitFullscreen = (): void => {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined)
}

export function usePresenter(client: LabClient): Presenter {
  const [on, setOn] = useState(false)
  // whether the full screen on now is the one presenter mode asked for
  const ownsFullscreen = useRef(false)
  const onRef = useRef(on)
  onRef.current = on
  const enter = useCallback(() => {
    setOn(true)
    if (document.fullscreenElement || !document.documentElement.requestFullscreen) return
    document.documentElement.requestFullscreen().then(
      () => {
        // left again before the full screen came: give it back at once
        if (onRef.current) ownsFullscreen.current = true
        else exitFullscreen()
      },
      () => undefined
    )
  }, [])
  const leave = useCallback(() => {
    setOn(false)
    if (ownsFullscreen.current) exitFullscreen()
    ownsFullscreen.current = false
  }, [])
  const toggle = useCallback(() => (onRef.current ? leave() : enter()), [enter, leave])
  const toggleFullscreen = useCallback(() => {
    ownsFullscreen.current = false
    if (document.fullscreenElement) exitFullscreen()
    else void document.documentElement.requestFullscreen?.().catch(() => undefined)
  }, [])
  useEffect(() => {
    const onChange = (): void => {
      if (document.fullscreenElement || !ownsFullscreen.current) return
      ownsFullscreen.current = false
      setOn(false)
    }
    document.addEventListener('fullscreenchange', onChange)
    return () => document.removeEventListener('fullscreenchange', onChange)
  }, [])
  useEffect(() => client.onCommand((command) => command === 'presenter' && toggle()), [client, toggle])
  return { on, toggle, leave, toggleFullscreen }
}
