/** Text from a run (its name, a change's label, a note) → safe in HTML text and in a quoted attribute. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

/**
 * JSON for a `<script type="application/json">` block: `<` becomes \u003c, so no value can close the block or
 * open a comment, and U+2028/U+2029 are escaped too. The block is data: a browser never runs it.
 */
export function jsonForHtml(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
