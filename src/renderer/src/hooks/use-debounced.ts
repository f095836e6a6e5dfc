import { useEffect, useMemo, useRef } from 'react'

/** A function that runs `fn` once `ms` after the last call; `flush` runs a pending call now. */
export function useDebounced<T>(
  fn: (value: T) => void,
  ms: number
): { call(value: T): void; flush(): void; cancel(): void } {
  const fnRef = useRef(fn)
  fnRef.current = fn
  const debounced = useMemo(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let pending: { value: T } | null = null
    const run = (): void => {
      timer = null
      if (pending) {
        const { value } = pending
        pending = null
        fnRef.current(value)
      }
    }
    return {
      call(value: T) {
        pending = { value }
        if (timer) clearTimeout(timer)
        timer = setTimeout(run, ms)
      },
      flush() {
        if (timer) clearTimeout(timer)
        run()
      },
      cancel() {
        if (timer) clearTimeout(timer)
        timer = null
        pending = null
      }
    }
  }, [ms])
  useEffect(() => () => debounced.flush(), [debounced])
  return debounced
}
