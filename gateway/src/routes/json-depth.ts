/**
 * How deeply a parsed JSON value nests, counting up to `limit + 1` and no further. Iterative, so a
 * hostile body cannot overflow the stack here, and it stops early so a huge body costs little.
 *
 * @example
 * jsonDepth({ a: [1] }, 64) // 2
 */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, level]);
    }
  }
  return deepest;
}
