// Set operations on sorted lists of half-open numeric ranges (wall-clock minutes or UTC milliseconds).
export interface Range {
  start: number
  end: number
}

/** Sorted, with touching or overlapping ranges joined and empty ones dropped. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((range) => range.end > range.start).sort((a, b) => a.start - b.start)
  const merged: Range[] = []
  for (const range of sorted) {
    const last = merged[merged.length - 1]
    if (last !== undefined && range.start <= last.end) last.end = Math.max(last.end, range.end)
    else merged.push({ start: range.start, end: range.end })
  }
  return merged
}

/** `ranges` (merged) minus every cut (in any order). */
export function subtractRanges(ranges: readonly Range[], cuts: readonly Range[]): Range[] {
  let remaining = ranges.map((range) => ({ ...range }))
  for (const cut of cuts) {
    const next: Range[] = []
    for (const range of remaining) {
      if (cut.end <= range.start || cut.start >= range.end) {
        next.push(range)
        continue
      }
      if (range.start < cut.start) next.push({ start: range.start, end: cut.start })
      if (cut.end < range.end) next.push({ start: cut.end, end: range.end })
    }
    remaining = next
  }
  return remaining
}
