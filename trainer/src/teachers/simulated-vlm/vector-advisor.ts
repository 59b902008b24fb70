import type { TeacherProfile } from './teacher-profile.ts';

/** One component of a continuous action, as a json-vector prompt lists it. */
export interface VectorComponent {
  label: string;
  low: number;
  high: number;
}

export interface VectorAdvice {
  action: number[];
  /** 0..1: how sure the advisor is; spreads the samples around `action`. */
  confidence: number;
  /** The advisor answers this state with something unparseable. */
  malformed?: boolean;
}

/**
 * Answers a json-vector prompt (physics tasks). The extension point for task-specific teachers:
 * given the task text, the image data URL (if any) and the components, return advice or null.
 */
export type VectorAdvisor = (prompt: {
  task: string;
  imageUrl: string | undefined;
  components: VectorComponent[];
  /** The server's accuracy knob, for advisors that model a teacher's quality. */
  accuracy?: number;
  /** The server's seeded generator, for advisors that draw. */
  random?: () => number;
  /** A named teacher quality: mistakes that repeat per state instead of `accuracy`'s coin flips. */
  profile?: TeacherProfile;
  /** Seeds which states a profiled advisor gets wrong. */
  seed?: number;
}) => VectorAdvice | null;

/** Knows no physics task yet: the midpoint of every range, with no confidence. */
export const midpointAdvisor: VectorAdvisor = ({ components }) => ({
  action: components.map(({ low, high }) => (low + high) / 2),
  confidence: 0,
});
