/**
 * A QR code as one SVG path, drawn with React elements rather than an <img> or injected markup (the dashboard's CSP
 * allows neither inline content nor anything but its own files, and needs no exception for this). The `qrcode`
 * package does the encoding; this only turns its module matrix into rectangles, one per run of dark modules in a row.
 */
import { create, type QRCodeErrorCorrectionLevel } from 'qrcode'

/** Modules of light margin on every side: the quiet zone ISO/IEC 18004 asks for, which scanners rely on. */
export const QR_QUIET_MODULES = 4

export interface QrDrawing {
  /** the viewBox's side, in modules, quiet zone included */
  side: number
  /** every dark module, as `M x y h n v 1 h -n z` runs */
  path: string
}

/** M (15% of the code may be damaged or glared) reads well off a projector screen and stays small for a short URL. */
export function qrDrawing(text: string, level: QRCodeErrorCorrectionLevel = 'M'): QrDrawing {
  const { size, data } = create(text, { errorCorrectionLevel: level }).modules
  const parts: string[] = []
  for (let y = 0; y < size; y++) {
    let x = 0
    while (x < size) {
      if (!data[y * size + x]) {
        x++
        continue
      }
      const from = x
      while (x < size && data[y * size + x]) x++
      parts.push(`M${from + QR_QUIET_MODULES} ${y + QR_QUIET_MODULES}h${x - from}v1h-${x - from}z`)
    }
  }
  return { side: size + 2 * QR_QUIET_MODULES, path: parts.join('') }
}
