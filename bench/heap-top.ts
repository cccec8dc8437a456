// Reads a V8 heap snapshot (node --heapsnapshot-signal, or v8.writeHeapSnapshot) and prints what
// the heap holds: self size by node type, and by constructor (objects) or kind (code, strings,
// arrays), so a snapshot can be read without a browser. `npx tsx bench/heap-top.ts FILE [rows]`.
import { readDump } from './read-dump.js'

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

const { file, dump: heap, limit } = await readDump<Snapshot>('tsx bench/heap-top.ts FILE.heapsnapshot [rows]')
const fields = heap.snapshot.meta.node_fields
const types = heap.snapshot.meta.node_types[0]
const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [number, number, number]

const byType = new Map<string, number>()
const byName = new Map<string, { size: number; count: number }>()
let total = 0
for (let i = 0; i < heap.nodes.length; i += fields.length) {
  const type = types[heap.nodes[i + typeAt] as number] as string
  const size = heap.nodes[i + sizeAt] as number
  total += size
  byType.set(type, (byType.get(type) ?? 0) + size)
  // objects by constructor; the rest by their type (every string its own name otherwise)
  const name = type === 'object' || type === 'closure' ? `${type} ${heap.strings[heap.nodes[i + nameAt] as number]}` : type
  const entry = byName.get(name) ?? { size: 0, count: 0 }
  entry.size += size
  entry.count++
  byName.set(name, entry)
}
const largest: { size: number; type: string; name: string }[] = []
for (let i = 0; i < heap.nodes.length; i += fields.length) {
  const size = heap.nodes[i + sizeAt] as number
  if (size < 100_000) continue
  const name = heap.strings[heap.nodes[i + nameAt] as number] ?? ''
  largest.push({ size, type: types[heap.nodes[i + typeAt] as number] as string, name })
}
largest.sort((a, b) => b.size - a.size)
const mb = (bytes: number) => (bytes / 1e6).toFixed(2).padStart(8)
console.log(`${file}: ${mb(total)} MB in ${(heap.nodes.length / fields.length).toLocaleString('en')} nodes`)
console.log('\nself size by node type')
for (const [type, size] of [...byType].sort((a, b) => b[1] - a[1])) console.log(`${mb(size)} MB  ${type}`)
console.log('\nself size by constructor (objects, closures) or type')
for (const [name, { size, count }] of [...byName].sort((a, b) => b[1].size - a[1].size).slice(0, limit))
  console.log(`${mb(size)} MB  ${String(count).padStart(8)} ×  ${name.slice(0, 100)}`)
console.log('\nthe largest single nodes (strings by their first characters)')
for (const { size, type, name } of largest.slice(0, limit))
  console.log(`${mb(size)} MB  ${type}  ${JSON.stringify(name.slice(0, 90))}`)
