/**
 * A PNG of the dashboard as it is on screen, at its current size (times the screen's pixel ratio): each chart's SVG
 * serialised with its computed styles inlined and drawn as an image, and every box (tiles, panels) and line of text
 * drawn in its place with its computed colours and font. No library: the dashboard is SVG charts and plain boxes of
 * text, which this covers; what it does not draw (shadows, rounded corners, images) the charts and tiles do not
 * need to be read. The SVG goes in as a data: URL, which the page's img-src already allows, and an SVG image with
 * no foreignObject leaves the canvas readable.
 */

/** The SVG properties that carry what a chart means (its colours, lines, dashes, text), copied from the page's CSS. */
const SVG_STYLE = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display'
]

function svgImage(svg: SVGSVGElement, width: number, height: number): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const from = [svg, ...svg.querySelectorAll('*')]
  const to = [copy, ...copy.querySelectorAll('*')]
  from.forEach((el, i) => {
    const style = getComputedStyle(el)
    const target = to[i] as SVGElement
    // as presentation attributes: a style attribute, even on a detached copy, is inline style the page's CSP refuses
    for (const p of SVG_STYLE) {
      const value = style.getPropertyValue(p)
      if (value !== '') target.setAttribute(p, value)
    }
  })
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  copy.setAttribute('width', String(width))
  copy.setAttribute('height', String(height))
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`
  return new Promise((resolve, reject) => {
    const img = new Image()
    img.onload = () => resolve(img)
    img.onerror = () => reject(new Error('a chart could not be drawn'))
    img.src = url
  })
}

const transparent = (color: string): boolean => color === 'transparent' || /rgba\(.*,\s*0\)$/.test(color)

function drawBox(ctx: CanvasRenderingContext2D, el: Element, x: number, y: number, w: number, h: number): void {
  const style = getComputedStyle(el)
  if (!transparent(style.backgroundColor)) {
    ctx.fillStyle = style.backgroundColor
    ctx.fillRect(x, y, w, h)
  }
  const sides = [
    ['Top', x, y, w, 0],
    ['Bottom', x, y + h, w, 0],
    ['Left', x, y, 0, h],
    ['Right', x + w, y, 0, h]
  ] as const
  for (const [side, sx, sy, sw, sh] of sides) {
    const width = parseFloat(style.getPropertyValue(`border-${side.toLowerCase()}-width`))
    const color = style.getPropertyValue(`border-${side.toLowerCase()}-color`)
    const line = style.getPropertyValue(`border-${side.toLowerCase()}-style`)
    if (!(width > 0) || transparent(color) || line === 'none') continue
    ctx.setLineDash(line === 'dashed' ? [4, 3] : line === 'dotted' ? [1, 2] : [])
    ctx.strokeStyle = color
    ctx.lineWidth = width
    ctx.beginPath()
    ctx.moveTo(sx, sy)
    ctx.lineTo(sx + sw, sy + sh)
    ctx.stroke()
  }
}

/** A text node word by word, each word at the place the page laid it out (so wrapped lines stay where they are). */
function drawText(ctx: CanvasRenderingContext2D, node: Text, origin: DOMRect): void {
  const parent = node.parentElement
  const text = node.textContent ?? ''
  if (!parent || text.trim() === '') return
  const style = getComputedStyle(parent)
  if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) return
  ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
  ctx.fillStyle = style.color
  ctx.textBaseline = 'middle'
  const upper = style.textTransform === 'uppercase'
  const range = document.createRange()
  const words = /\S+/g
  for (let m = words.exec(text); m !== null; m = words.exec(text)) {
    range.setStart(node, m.index)
    range.setEnd(node, m.index + m[0].length)
    const r = range.getBoundingClientRect()
    if (r.width > 0)
      ctx.fillText(upper ? m[0].toUpperCase() : m[0], r.left - origin.left, r.top - origin.top + r.height / 2)
  }
}

const visible = (el: Element): boolean => {
  const style = getComputedStyle(el)
  return style.display !== 'none' && style.visibility !== 'hidden'
}

/** `root` (the dashboard's main area) as a PNG, as it looks now. */
export async function dashboardPng(root: HTMLElement): Promise<Blob> {
  const origin = root.getBoundingClientRect()
  const scale = window.devicePixelRatio || 1
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(origin.width * scale)
  canvas.height = Math.round(origin.height * scale)
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('this browser cannot draw a picture (no canvas)')
  ctx.scale(scale, scale)
  // the page's own background: the root's, else the body's
  const bg = getComputedStyle(root).backgroundColor
  ctx.fillStyle = transparent(bg) ? getComputedStyle(document.body).backgroundColor : bg
  ctx.fillRect(0, 0, origin.width, origin.height)

  const walk = async (el: Element): Promise<void> => {
    if (!visible(el) || el.hasAttribute('data-png-skip')) return
    const r = el.getBoundingClientRect()
    const x = r.left - origin.left
    const y = r.top - origin.top
    const sized = r.width > 0 && r.height > 0
    if (el instanceof SVGSVGElement) {
      if (sized) ctx.drawImage(await svgImage(el, r.width, r.height), x, y, r.width, r.height)
      return
    }
    // a box of no size can still hold what is drawn (a chart's wrapper of height 0 around an absolute svg)
    if (sized) drawBox(ctx, el, x, y, r.width, r.height)
    // what scrolls or is cut at the box's edge on screen is cut in the picture too
    const clips = getComputedStyle(el).overflow !== 'visible'
    if (clips) {
      if (!sized) return
      ctx.save()
      ctx.beginPath()
      ctx.rect(x, y, r.width, r.height)
      ctx.clip()
    }
    for (const child of el.childNodes) {
      if (child instanceof Text) drawText(ctx, child, origin)
      else if (child instanceof Element) await walk(child)
    }
    if (clips) ctx.restore()
  }
  for (const child of root.children) await walk(child)
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the picture could not be encoded'))), 'image/png')
  )
}
