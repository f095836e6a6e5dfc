/**
 * The width of a label in px with its own font (canvas measureText), for laying out the change labels; cached,
 * since a chart asks for the same few labels on every layout.
 */
const widths = new Map<string, number>()
let context: CanvasRenderingContext2D | null | undefined

export function textWidth(text: string, font: string): number {
  const key = `${font}|${text}`
  let w = widths.get(key)
  if (w === undefined) {
    if (context === undefined)
      context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d')
    if (context) context.font = font
    // no canvas: a generous estimate, 0.62 em a character
    w = context
      ? context.measureText(text).width
      : text.length * 0.62 * Number.parseFloat(/(\d+(\.\d+)?)px/.exec(font)?.[1] ?? '16')
    if (widths.size > 2000) widths.clear()
    widths.set(key, w)
  }
  return w
}

/** the page's own type, so labels are measured in the font they are drawn in */
export function pageFontFamily(): string {
  return typeof document === 'undefined' ? 'sans-serif' : getComputedStyle(document.body).fontFamily || 'sans-serif'
}
