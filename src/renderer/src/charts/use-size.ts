/** An element's size, kept up to date by a ResizeObserver (null before the first layout). */
import { useLayoutEffect, useState } from 'react'

export function useSize(ref: React.RefObject<Element | null>): { w: number; h: number } | null {
  const [size, setSize] = useState<{ w: number; h: number } | null>(null)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = (): void => {
      const { width, height } = el.getBoundingClientRect()
      setSize((s) => (s && s.w === width && s.h === height ? s : { w: width, h: height }))
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return size
}
