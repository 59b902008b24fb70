import { ACTION_LABELS } from '../../envs/grid-world/action.ts';
import type { GridPictureReadResult } from '../../envs/grid-world/rendering/read-grid-picture.ts';
import { planActionFromMission } from '../planner/plan-action-from-mission.ts';
import type { VisibleState } from '../planner/world-from-picture.ts';
import { confidentDistribution, unsureDistribution } from './action-distribution.ts';
import type { ObservationPrompt } from './read-chat-prompt.ts';
import type { ObservationTask } from './read-observation-prompt.ts';
import { readPictureUrl } from './read-picture-url.ts';
import { readTextGrid } from './read-text-grid.ts';
import { judgeWithProfile } from './judge-with-profile.ts';
import type { TeacherActionSet } from './judge-with-profile.ts';
import type { TeacherProfile } from './teacher-profile.ts';

export interface Judgement {
  /** One probability per listed action, in the prompt's letter order. */
  probabilities: number[];
  /** Index of the planner's action among the listed ones, or -1 when the teacher is unsure. */
  planned: number;
  /** Why the teacher is unsure, when it is. */
  reason?: string;
  /** A profiled teacher that answers this state with something unparseable. */
  malformed?: boolean;
}

export interface JudgeSettings {
  accuracy: number;
  misreadFacing: number;
  random: () => number;
  /** A named quality: per-state persistent mistakes instead of `accuracy` and `misreadFacing`. */
  profile?: TeacherProfile;
  /** Seeds which states a profiled teacher gets wrong. */
  seed?: number;
  actionSet?: TeacherActionSet;
  /** Reads an image URL; the server passes a remembering one. Default `readPictureUrl`. */
  readPicture?: (url: string) => GridPictureReadResult;
}

/**
 * What the simulated VLM believes about one observation: it reads the picture (or the words),
 * may misread the agent's facing, asks the planner, and puts `accuracy` on the planner's action.
 * Anything it cannot see or plan gets a near-uniform answer instead of an error.
 */
export function judgeObservation(
  observation: ObservationPrompt,
  task: ObservationTask,
  settings: JudgeSettings,
): Judgement {
  const { random } = settings;
  const count = task.actions.length;
  const unsure = (reason: string): Judgement => ({
    probabilities: unsureDistribution(count, random),
    planned: -1,
    reason,
  });
  if (count === 0)
    return { probabilities: [], planned: -1, reason: 'no lettered actions in the prompt' };

  let seen: VisibleState;
  const imageUrl = observation.imageUrls[0];
  if (imageUrl !== undefined) {
    const reading = (settings.readPicture ?? readPictureUrl)(imageUrl);
    if (!reading.ok) return unsure(reading.reason);
    seen = { grid: reading, mission: task.mission };
  } else {
    const described = readTextGrid(observation.text, task.mission);
    if (described === null) return unsure('no image and no grid described in words');
    seen = described;
  }

  if (settings.profile !== undefined) {
    const judged = judgeWithProfile(seen, task, settings.profile, {
      seed: settings.seed ?? 0,
      actionSet: settings.actionSet ?? 'all',
    });
    if (judged.malformed) return { probabilities: unsureDistribution(count, random), planned: judged.planned, malformed: true };
    if (judged.probabilities.length === 0) return unsure(judged.reason ?? 'no plan');
    return { probabilities: judged.probabilities, planned: judged.planned };
  }
  const agent = seen.grid.agent;
  const misread = random() < settings.misreadFacing;
  const turn = 1 + Math.floor(random() * 3);
  if (agent !== null && misread) {
    seen = { ...seen, grid: { ...seen.grid, agent: { ...agent, dir: (agent.dir + turn) % 4 } } };
  }
  const plan = planActionFromMission({ ...seen, actionCount: count });
  if (!plan.ok) return unsure(plan.reason ?? 'no plan');
  const label = ACTION_LABELS[plan.action];
  const planned = task.actions.findIndex((a) => a.label.trim().toLowerCase() === label);
  if (planned < 0) return unsure(`the planned action "${label}" is not offered`);
  return {
    probabilities: confidentDistribution(count, planned, settings.accuracy, random),
    planned,
  };
}
