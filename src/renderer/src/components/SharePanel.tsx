/**
 * While the subject is shared: a compact pill in the run bar that opens a small "Hand out" panel with the attendee
 * page's address as large text and as a QR code a phone can scan, and a Copy button. Esc, ✕ or a click outside
 * closes it, and focus goes back to the pill.
 */
import { memo, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react'
import { qrDrawing } from '../qr-path'

/** "http://192.168.1.20:4242/live" → "192.168.1.20:4242": what the pill has room for. */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

function QrCode({ url }: { url: string }): ReactNode {
  const { side, path } = useMemo(() => qrDrawing(url), [url])
  // Dark on light in both themes: that is what scanners expect.
  return (
    <svg
      className="share-qr"
      data-testid="share-qr"
      data-url={url}
      viewBox={`0 0 ${side} ${side}`}
      role="img"
      aria-label={`QR code of ${url}`}
      shapeRendering="crispEdges"
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}

type Copied = 'idle' | 'copied' | 'failed'

export const SharePanel = memo(function SharePanel({ urls }: { urls: string[] }): ReactNode {
  const [open, setOpen] = useState(false)
  const [chosen, setChosen] = useState(0)
  const [copied, setCopied] = useState<Copied>('idle')
  const pillRef = useRef<HTMLButtonElement>(null)
  const panelRef = useRef<HTMLDivElement>(null)
  const urlRef = useRef<HTMLParagraphElement>(null)
  const copyRef = useRef<HTMLButtonElement>(null)
  const panelId = useId()
  const url = urls[Math.min(chosen, urls.length - 1)] ?? ''

  const close = (): void => {
    setOpen(false)
    pillRef.current?.focus()
  }

  useEffect(() => {
    if (!open) return
    copyRef.current?.focus()
    // Capture, ahead of the dashboard's own keys: Esc here closes this panel, not the run summary behind it.
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return
      e.preventDefault()
      e.stopPropagation()
      close()
    }
    const onPointer = (e: PointerEvent): void => {
      const target = e.target as Node
      if (!panelRef.current?.contains(target) && !pillRef.current?.contains(target)) setOpen(false)
    }
    window.addEventListener('keydown', onKey, true)
    window.addEventListener('pointerdown', onPointer, true)
    return () => {
      window.removeEventListener('keydown', onKey, true)
      window.removeEventListener('pointerdown', onPointer, true)
    }
  }, [open])

  useEffect(() => setCopied('idle'), [url, open])

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(url)
      setCopied('copied')
    } catch {
      // No clipboard (permission, an old browser): select the address so that Ctrl+C copies it.
      const range = document.createRange()
      if (urlRef.current) range.selectNodeContents(urlRef.current)
      window.getSelection()?.removeAllRanges()
      window.getSelection()?.addRange(range)
      setCopied('failed')
    }
  }

  return (
    <span className="share">
      <button
        ref={pillRef}
        type="button"
        className="pill pill-shared"
        data-testid="shared"
        aria-expanded={open}
        aria-controls={panelId}
        title="The subject is shared on this network: anyone on it can open its attendee page. Click for the address and a QR code."
        onClick={() => setOpen((v) => !v)}
      >
        Shared
        <span className="share-host">
          {' · '}
          {url ? `${hostOf(url)}${urls.length > 1 ? ` +${urls.length - 1}` : ''}` : 'no network address'}
        </span>{' '}
        ▾
      </button>
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          className="share-panel"
          role="dialog"
          aria-labelledby={`${panelId}-h`}
          data-testid="share-panel"
        >
          <header>
            <h2 id={`${panelId}-h`}>Hand out</h2>
            <button type="button" className="ghost" aria-label="Close" data-testid="share-close" onClick={close}>
              ✕
            </button>
          </header>
          {url ? (
            <>
              <p className="muted">Phones on this network open this page, or scan the code:</p>
              <p className="share-url" ref={urlRef} data-testid="share-url">
                {url}
              </p>
              <QrCode url={url} />
            </>
          ) : (
            <p data-testid="share-url">
              This machine has no network address other than its own (127.0.0.1): connect it to the room&apos;s network,
              then stop and start the run.
            </p>
          )}
          {urls.length > 1 && (
            <div className="share-choices" role="group" aria-label="This machine's addresses">
              {urls.map((u, i) => (
                <button key={u} type="button" aria-pressed={i === chosen} onClick={() => setChosen(i)}>
                  {hostOf(u)}
                </button>
              ))}
            </div>
          )}
          <div className="share-actions">
            <button
              ref={copyRef}
              type="button"
              className="primary"
              data-testid="share-copy"
              disabled={!url}
              onClick={() => void copy()}
            >
              Copy address
            </button>
            <span role="status" className="muted" data-testid="share-copied">
              {copied === 'copied' ? 'Copied.' : copied === 'failed' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
            </span>
          </div>
        </div>
      )}
    </span>
  )
})
