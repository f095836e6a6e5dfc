/** The last second of per-frame buckets: what "over the last second" means in a frame. */
export class RollingWindow<T> {
  private readonly items: { at: number; value: T }[] = []
  constructor(private readonly spanMs: number) {}

  push(at: number, value: T): void {
    this.items.push({ at, value })
    this.trim(at)
  }

  /** Drops what is older than the span, as of `now`. */
  trim(now: number): void {
    while (this.items.length > 0 && this.items[0]!.at <= now - this.spanMs) this.items.shift()
  }

  values(): T[] {
    return this.items.map((i) => i.value)
  }
}
