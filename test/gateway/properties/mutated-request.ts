import fc from 'fast-check';
import { minigridActions, tinyPng } from '../../helpers/create-test-gateway.ts';
import { hostileValue } from './hostile-value.ts';

const continuous = { kind: 'continuous', labels: ['dx', 'dy'], low: [-1, -1], high: [1, 1] };

/** One valid request per template, so mutations start from something the gateway would answer. */
const bases: Record<string, unknown>[] = [
  { template: 'minigrid-lvlm2p', observation: { image: tinyPng, text: 'go' }, actions: minigridActions },
  { template: 'minigrid-lvlm2p', observation: { image: tinyPng, text: 'go' }, actions: minigridActions, distribution: { method: 'samples', samples: 4 } },
  { template: 'minigrid-lvlm2p-verbalized', observation: { image: tinyPng, text: 'go' }, actions: minigridActions },
  { template: 'minigrid-text', observation: { text: 'go', state: { grid: [[1, 2], [3, 4]] } }, actions: minigridActions },
  { template: 'physics-varl', observation: { image: tinyPng, text: 'push' }, actions: continuous },
];

const paths = [
  ['template'], ['provider'], ['observation'], ['observation', 'image'], ['observation', 'text'], ['observation', 'state'],
  ['observation', 'extra'], ['actions'], ['actions', 'kind'], ['actions', 'labels'], ['actions', 'labels', '0'],
  ['actions', 'labels', '63'], ['actions', 'low'], ['actions', 'high'], ['actions', 'low', '0'], ['distribution'],
  ['distribution', 'method'], ['distribution', 'samples'], ['distribution', 'temperature'], ['distribution', 'floor'],
  ['cache'], ['seed'], ['tags'], ['tags', 'run'], ['tags', 'step'], ['unknownField'],
];

type Mutation = { path: string[]; value: unknown; remove: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.constantFrom(...paths),
  value: hostileValue,
  remove: fc.boolean(),
});

/**
 * A valid request with one to three fields replaced by hostile values or removed: closer to what
 * a buggy client sends than pure noise, so the checks past the schema get exercised too.
 */
export const mutatedRequest: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 0, maxLength: 3 }), fc.string({ maxLength: 12 }))
  .map(([base, mutations, salt]) => {
    const request = structuredClone(base);
    // A per-run text keeps cache keys apart, so one run's answer is not another's hit.
    const observation = request.observation as Record<string, unknown>;
    observation.text = `${String(observation.text)} ${salt}`;
    for (const { path, value, remove } of mutations) apply(request, path, value, remove);
    return request;
  });

function apply(target: Record<string, unknown>, path: string[], value: unknown, remove: boolean): void {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string, unknown>)[key];
  }
  const last = path[path.length - 1] as string;
  if (typeof node !== 'object' || node === null) return;
  if (remove) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
}
