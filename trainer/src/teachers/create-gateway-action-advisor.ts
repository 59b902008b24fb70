import type { Teacher } from '@teacher-gateway/client';
import type { ActionAdvisor } from './action-advisor.ts';

/**
 * VARL's advisor over the gateway: each request is one `suggest` on a teacher bound to the
 * `physics-varl` template and the env's continuous action space (calls made in the same tick
 * leave as one `:batch`). A failed item becomes advice without a vector, never an exception:
 * VARL skips it and counts it.
 *
 * @example
 * const teacher = client.teacher({ template: 'physics-varl', actions: { kind: 'continuous', labels: ['dx', 'dy'], low: [-1, -1], high: [1, 1] } })
 * const advisor = createGatewayActionAdvisor(teacher)
 */
export function createGatewayActionAdvisor(teacher: Teacher): ActionAdvisor {
  return {
    async advise({ image, text }) {
      try {
        const suggestion = await teacher.suggest({ image, text });
        return {
          vector: suggestion.vector,
          upstreamCalls: suggestion.usage.upstreamCalls,
          cacheHit: suggestion.cache === 'hit',
          inputTokens: suggestion.usage.inputTokens,
          outputTokens: suggestion.usage.outputTokens,
        };
      } catch (error) {
        return {
          vector: undefined,
          upstreamCalls: 0,
          cacheHit: false,
          inputTokens: 0,
          outputTokens: 0,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    },
  };
}
