import type { VectorAdvisor } from './vector-advisor.ts';
import type { TeacherActionSet } from './judge-with-profile.ts';
import { teacherProfile } from './teacher-profile.ts';
import type { TeacherProfile } from './teacher-profile.ts';

export interface SimulatedVlmOptions {
  /** Model name served (`/v1/models`) and echoed in responses. Default `simulated-planner`. */
  model?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Seeds every random draw (knob rolls, distribution tails, sampling). Default 0. */
  seed?: number;
  /** Probability mass on the planner's action; the rest is spread over the other actions. Default 0.8. */
  accuracy?: number;
  /** Sampling temperature for requests that do not set one (OpenAI's default is 1). */
  temperature?: number;
  /** Per observation, the chance of misreading the agent's facing before planning. Default 0. */
  misreadFacing?: number;
  /** Per answer, the chance of an unparseable reply. Default 0. */
  malformed?: number;
  /** Per request, the chance of a refusal. Default 0. */
  refusal?: number;
  /** Per request, the chance of a 429 with retry-after headers. Default 0. */
  rateLimitRate?: number;
  /** The retry-after a 429 asks for, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Time taken per completion. Default 0. */
  latencyMs?: number;
  /** Wall clock in ms, for `created`. Default `Date.now`. */
  now?: () => number;
  /** How latency is spent. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * A named teacher quality (`oracle`, `good`, `typical`, `poor`; see teacher-profile.ts): mistakes
   * that repeat per state, confident when wrong, malformed replies, plausible runner-ups. Replaces
   * `accuracy` and `misreadFacing`. Default none: the planner's action at `accuracy`.
   */
  profile?: string | TeacherProfile;
  /** `move`: the teacher only ever proposes turn left / turn right / move forward (the LVLM2P release). Default `all`. */
  actionSet?: TeacherActionSet;
  /** Answers json-vector prompts (physics tasks); the default answers the midpoints, unsure. */
  vectorAdvisor?: VectorAdvisor;
}

export type ResolvedOptions = Required<
  Omit<SimulatedVlmOptions, 'port' | 'host' | 'profile'>
> & { profile: TeacherProfile | undefined };

function rate(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
  return v;
}

export function resolveOptions(
  options: SimulatedVlmOptions,
  vectorAdvisor: VectorAdvisor,
): ResolvedOptions {
  const temperature = options.temperature ?? 1;
  if (!(temperature >= 0 && temperature <= 2))
    throw new RangeError(`temperature must be in [0, 2], got ${temperature}`);
  const latencyMs = options.latencyMs ?? 0;
  if (!(latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${latencyMs}`);
  return {
    model: options.model ?? 'simulated-planner',
    seed: options.seed ?? 0,
    accuracy: rate('accuracy', options.accuracy, 0.8),
    temperature,
    misreadFacing: rate('misreadFacing', options.misreadFacing, 0),
    malformed: rate('malformed', options.malformed, 0),
    refusal: rate('refusal', options.refusal, 0),
    rateLimitRate: rate('rateLimitRate', options.rateLimitRate, 0),
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    latencyMs,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    vectorAdvisor: options.vectorAdvisor ?? vectorAdvisor,
    profile: typeof options.profile === 'string' ? teacherProfile(options.profile) : options.profile,
    actionSet: options.actionSet ?? 'all',
  };
}
