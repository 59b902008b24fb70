/**
 * @module
 * Named teacher qualities for the simulated VLM, anchored to published measurements of real
 * models (docs/teacher-quality.md): how often a state is misjudged, which kind of mistake it is,
 * and how sure the model sounds either way. Mistakes belong to the state, not the request, so the
 * same picture gets the same wrong advice every time, as a temperature-0 model's does.
 */

/** The kinds of wrong advice real VLM teachers give on grid worlds. */
export type ErrorMode =
  /** Turns toward a diagonal target too early: a plausible move costing one extra step. */
  | 'detour'
  /** A move costing two or more steps: turning away from the target. */
  | 'long-detour'
  /** Misjudges a position by one cell ("move forward" when the target is already adjacent). */
  | 'off-by-one'
  /** Misreads which way the agent faces, and plans from the wrong heading. */
  | 'heading'
  /** Confuses two colours, or does not see an object, and plans for the wrong scene. */
  | 'colour'
  /** Answers something no parser accepts. */
  | 'malformed'
  /** Proposes an action that does nothing here (drop, done, pick up of nothing). */
  | 'invalid'
  /** Any action at random (right by chance): the "random advice" control of an experiment. */
  | 'random';

export interface TeacherProfile {
  name: string;
  /** Share of states the teacher gets wrong (malformed answers included). */
  errorRate: number;
  /** Relative weights of the error kinds among wrong states. */
  mix: Partial<Record<ErrorMode, number>>;
  /** Probability the teacher gives its chosen action, drawn per state from this range. */
  confidence: readonly [number, number];
  /** Share of the remaining mass that goes to the runner-up (the planner's action when wrong). */
  runnerUpShare: number;
}

/**
 * The four profiles. `errorRate` is 1 minus the target agreement; teacher-eval measures the
 * agreement each one actually reaches (docs/teacher-quality.md).
 */
export const teacherProfiles: Readonly<Record<string, TeacherProfile>> = {
  oracle: {
    name: 'oracle',
    errorRate: 0,
    mix: {},
    confidence: [0.9, 1],
    runnerUpShare: 0.5,
  },
  // Claude-3.5-Sonnet with the image: 0.76 agreement; reasoning detours dominate.
  good: {
    name: 'good',
    errorRate: 0.25,
    mix: { detour: 0.6, 'off-by-one': 0.3, heading: 0.05, malformed: 0.05 },
    confidence: [0.9, 1],
    runnerUpShare: 0.6,
  },
  // Strong text models, 0.46-0.63; the colour share is an unmeasured placeholder.
  typical: {
    name: 'typical',
    errorRate: 0.45,
    mix: {
      detour: 0.35,
      'off-by-one': 0.2,
      heading: 0.2,
      colour: 0.1,
      malformed: 0.1,
      'long-detour': 0.05,
    },
    confidence: [0.8, 1],
    runnerUpShare: 0.5,
  },
  // Qwen2.5-7B 0.20, phi-4 0.17: mostly malformed or off-task, one-hot when it does answer.
  poor: {
    name: 'poor',
    errorRate: 0.8,
    mix: { malformed: 0.4, detour: 0.25, heading: 0.2, invalid: 0.15 },
    confidence: [0.99, 1],
    runnerUpShare: 0.3,
  },
};

/** Not a teacher quality but an experiment's control: advice drawn at random per state. */
export const randomAdviceProfile: TeacherProfile = {
  name: 'random',
  errorRate: 1,
  mix: { random: 1 },
  confidence: [0.8, 1],
  runnerUpShare: 0,
};

export const profileNames: readonly string[] = Object.keys(teacherProfiles);

/** The profile called `name`; a clear error naming the known ones otherwise. */
export function teacherProfile(name: string): TeacherProfile {
  const profile = name === 'random' ? randomAdviceProfile : teacherProfiles[name];
  if (profile === undefined)
    throw new RangeError(
      `unknown teacher profile "${name}"; known: ${profileNames.join(', ')} (and the control: random)`,
    );
  return profile;
}

/** Picks an error kind from a mix with a uniform draw `u` in [0, 1). */
export function pickErrorMode(mix: TeacherProfile['mix'], u: number): ErrorMode | undefined {
  const entries = Object.entries(mix).filter(([, w]) => w > 0) as [ErrorMode, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (total === 0) return undefined;
  let left = u * total;
  for (const [mode, weight] of entries) {
    left -= weight;
    if (left < 0) return mode;
  }
  return entries[entries.length - 1]![0];
}
