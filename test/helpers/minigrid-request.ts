import type { SuggestionRequestInput } from '@teacher-gateway/client';
import { rgbToPngDataUrl } from '@teacher-gateway/client';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

export const minigridLabels = [...ACTION_LABELS];

/** A small RGB frame whose pixels depend on `shade`, so distinct shades are distinct cache keys. */
export function frame(shade: number) {
  return { width: 8, height: 8, data: new Uint8Array(8 * 8 * 3).fill(shade % 256) };
}

/** A minigrid-lvlm2p request with an inline PNG; `text` varies the cache key. */
export function minigridRequest(
  text: string,
  overrides: Partial<SuggestionRequestInput> = {},
): SuggestionRequestInput {
  return {
    template: 'minigrid-lvlm2p',
    observation: { image: rgbToPngDataUrl(frame(7)), text },
    actions: { kind: 'discrete', labels: minigridLabels },
    ...overrides,
  };
}
