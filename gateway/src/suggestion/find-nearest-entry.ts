import type { CacheEntry } from '../stores/cache-store.ts';
import { variableNames } from './compute-cache-key.ts';

export interface NearestEntry {
  requestId: string;
  key: string;
  /**
   * Key components whose hashes differ from the request's. Where the variables differ and both
   * sides carry a hash per variable, the differing variables (`text`, `image`, `state`) are named
   * instead of `variables`; entries recorded before those hashes existed say `variables`.
   */
  differs: string[];
}

const variableSet = new Set<string>(variableNames);

/** The recorded entry sharing the most key components with a request: what a replay miss points to. */
export function findNearestEntry(
  components: Record<string, string>,
  candidates: CacheEntry[],
): NearestEntry | undefined {
  const keyComponents = Object.keys(components).filter((name) => !variableSet.has(name));
  let best: { entry: NearestEntry; distance: [number, number] } | undefined;
  for (const entry of candidates) {
    const differsInKey = keyComponents.filter((name) => entry.components[name] !== components[name]);
    const variables = differsInKey.includes('variables')
      ? differingVariables(components, entry.components)
      : [];
    const distance: [number, number] = [differsInKey.length, variables.length];
    if (!best || closer(distance, best.distance)) {
      const differs =
        variables.length > 0
          ? differsInKey.flatMap((name) => (name === 'variables' ? variables : [name]))
          : differsInKey;
      best = { entry: { requestId: entry.requestId, key: entry.key, differs }, distance };
    }
  }
  return best?.entry;
}

/** The variables whose hashes differ, or none when the recorded entry has no per-variable hashes. */
function differingVariables(request: Record<string, string>, recorded: Record<string, string>): string[] {
  if (!variableNames.some((name) => recorded[name] !== undefined)) return [];
  return variableNames.filter((name) => request[name] !== recorded[name]);
}

function closer([keyParts, variables]: [number, number], [bestKeyParts, bestVariables]: [number, number]): boolean {
  return keyParts < bestKeyParts || (keyParts === bestKeyParts && variables < bestVariables);
}
