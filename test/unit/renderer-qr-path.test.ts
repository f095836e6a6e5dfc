/** The QR code drawn as SVG runs covers exactly the dark modules that qrcode encodes, inside a 4-module quiet zone. */
import { create } from 'qrcode'
import { describe, expect, it } from 'vitest'
import { QR_QUIET_MODULES, qrDrawing } from '../../src/renderer/src/qr-path'

/** the modules a path paints, from its `M x y h n v 1 h -n z` runs */
function painted(path: string, side: number): Uint8Array {
  const grid = new Uint8Array(side * side)
  for (const [, x, y, n] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let i = 0; i < Number(n); i++) grid[Number(y) * side + Number(x) + i] = 1
  }
  return grid
}

describe('the QR code of the attendee address', () => {
  it('paints every dark module and nothing else, with the quiet zone around', () => {
    const url = 'http://192.168.1.20:4242/live'
    const { size, data } = create(url, { errorCorrectionLevel: 'M' }).modules
    const { side, path } = qrDrawing(url)
    expect(side).toBe(size + 2 * QR_QUIET_MODULES)
    const grid = painted(path, side)
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const inCode =
          x >= QR_QUIET_MODULES && y >= QR_QUIET_MODULES && x < size + QR_QUIET_MODULES && y < size + QR_QUIET_MODULES
        const dark = inCode ? data[(y - QR_QUIET_MODULES) * size + (x - QR_QUIET_MODULES)] : 0
        expect(grid[y * side + x], `module ${x},${y}`).toBe(dark ? 1 : 0)
      }
    }
  })

  it('is a different code for a different address', () => {
    expect(qrDrawing('http://10.0.0.2:4242/live').path).not.toBe(qrDrawing('http://10.0.0.3:4242/live').path)
  })
})
