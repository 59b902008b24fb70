/**
 * JSON with object keys sorted at every level, so equal values always give equal text (and equal
 * hashes) whatever order the client wrote them in. `undefined` members are dropped as JSON does.
 * Written out directly rather than through a sorted copy: it runs on every cache lookup.
 *
 * The order is the one the first version produced (a sorted copy through `JSON.stringify`), which
 * recorded cache keys depend on: keys that are array indices ("0", "12") first in numeric order,
 * as JavaScript enumerates them, then the others sorted by UTF-16 code unit.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) out += ',';
      out += write(value[index]) ?? 'null';
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  let out = '{';
  for (const key of keys) {
    const member = write(record[key]);
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${member}`;
  }
  return `${out}}`;
}

const maxArrayIndex = 2 ** 32 - 2;

function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  // Object.keys already lists array-index keys first, in numeric order.
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices] as string)) indices += 1;
  if (indices === 0) return keys.sort();
  return keys.slice(0, indices).concat(keys.slice(indices).sort());
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) <= maxArrayIndex;
}
