import type { RgbImage } from '../envs/grid-world/rendering/render-grid.ts';

/** One state shown to a continuous-action teacher: its top-down picture and the task text. */
export interface ActionAdviceRequest {
  image: RgbImage;
  text: string;
}

export interface ActionAdvice {
  /** The suggested action within the bounds, or undefined when the teacher gave none (failure). */
  vector: number[] | undefined;
  /** Calls the gateway made to the model for this answer (0 on a cache hit). */
  upstreamCalls: number;
  cacheHit: boolean;
  inputTokens: number;
  outputTokens: number;
  error?: string;
}

/** What VARL asks for advice: the gateway through the client, or an in-process stand-in in tests. */
export interface ActionAdvisor {
  advise(request: ActionAdviceRequest): Promise<ActionAdvice>;
}
