import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTION_LABELS, makeEnv } from '@teacher-gateway/trainer';
import type { GridWorldEnv } from '@teacher-gateway/trainer';
import { readGridPicture } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/read-grid-picture';
import { profiledPhysicsAction } from '@teacher-gateway/trainer/internal/teachers/physics-advisor/physics-advisor';
import { planAction } from '@teacher-gateway/trainer/internal/teachers/planner/plan-action';
import type { VisibleState } from '@teacher-gateway/trainer/internal/teachers/planner/world-from-picture';
import { judgeWithProfile } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/judge-with-profile';
import type { ObservationTask } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/read-observation-prompt';
import { teacherProfile } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/teacher-profile';

const LETTERS = 'ABCDEFG';

/** Distinct DoorKey-5x5 states as the simulated VLM sees them, with the planner's action from the full state. */
function states(count: number): { seen: VisibleState; planner: number }[] {
  const env = makeEnv('MiniGrid-DoorKey-5x5-v0') as GridWorldEnv;
  const out: { seen: VisibleState; planner: number }[] = [];
  const keys = new Set<string>();
  let lcg = 12345;
  const draw = () => (lcg = (Math.imul(lcg, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let episode = 0; out.length < count && episode < count * 20; episode++) {
    env.reset(episode);
    const steps = Math.floor(draw() * 12);
    for (let t = 0; t < steps; t++) env.step(Math.floor(draw() * 6));
    const { grid, agentPos, agentDir, carrying } = env.snapshot();
    const key = JSON.stringify([grid, agentPos, agentDir, carrying]);
    const plan = planAction(env.snapshot());
    if (keys.has(key) || !plan.ok) continue;
    keys.add(key);
    const reading = readGridPicture(env.renderRgb({ tileSize: 16 }));
    assert.ok(reading.ok);
    out.push({ seen: { grid: reading, mission: env.snapshot().mission }, planner: plan.action });
  }
  return out;
}

function task(mission: string, count = 7): ObservationTask {
  return {
    mission,
    actions: ACTION_LABELS.slice(0, count).map((label, i) => ({ letter: LETTERS[i]!, label })),
    components: [],
  };
}

const argMax = (p: number[]) => p.indexOf(Math.max(...p));

describe('teacher profiles', () => {
  const sample = states(120);

  it('agree with the planner about as often as each profile says, with the errors repeating per state', () => {
    const agreement = (name: string, seed = 0) => {
      let agree = 0;
      for (const { seen, planner } of sample) {
        const j = judgeWithProfile(seen, task(seen.mission), teacherProfile(name), {
          seed,
          actionSet: 'all',
        });
        if (!j.malformed && argMax(j.probabilities) === planner) agree += 1;
      }
      return agree / sample.length;
    };
    assert.equal(agreement('oracle'), 1);
    const good = agreement('good');
    const typical = agreement('typical');
    const poor = agreement('poor');
    assert.ok(good > 0.6 && good < 0.9, `good ${good}`);
    assert.ok(typical > 0.4 && typical < 0.7, `typical ${typical}`);
    assert.ok(poor < 0.35, `poor ${poor}`);
    // The same state and seed: the same answer; another seed: other states go wrong.
    const { seen } = sample[0]!;
    const a = judgeWithProfile(seen, task(seen.mission), teacherProfile('typical'), {
      seed: 4,
      actionSet: 'all',
    });
    const b = judgeWithProfile(seen, task(seen.mission), teacherProfile('typical'), {
      seed: 4,
      actionSet: 'all',
    });
    assert.deepEqual(a, b);
    const wrongSet = (seed: number) =>
      sample
        .map(
          ({ seen: s }, i) =>
            [
              i,
              judgeWithProfile(s, task(s.mission), teacherProfile('typical'), {
                seed,
                actionSet: 'all',
              }).error,
            ] as const,
        )
        .filter(([, e]) => e !== undefined)
        .map(([i]) => i)
        .join(',');
    assert.notEqual(wrongSet(1), wrongSet(2));
  });

  it('is confident when wrong, with the runner-up mass on the right action rather than spread evenly', () => {
    let wrong = 0;
    for (const { seen, planner } of sample) {
      const j = judgeWithProfile(seen, task(seen.mission), teacherProfile('typical'), {
        seed: 0,
        actionSet: 'all',
      });
      if (j.malformed || argMax(j.probabilities) === planner) continue;
      wrong += 1;
      const sorted = [...j.probabilities].sort((x, y) => y - x);
      assert.ok(sorted[0]! >= 0.8, `confidence ${sorted[0]}`);
      assert.equal(j.probabilities[planner], sorted[1], 'the planner action is the runner-up');
    }
    assert.ok(wrong > 20, `only ${wrong} wrong states`);
  });

  it('a move-only teacher proposes turn left / turn right / move forward and nothing else', () => {
    for (const { seen } of sample.slice(0, 40)) {
      const j = judgeWithProfile(seen, task(seen.mission), teacherProfile('good'), {
        seed: 0,
        actionSet: 'move',
      });
      if (j.malformed) continue;
      assert.ok(argMax(j.probabilities) <= 2);
      assert.ok(j.probabilities.slice(3).every((p) => p < 1e-6));
    }
    // Asked about three actions only, it still answers (walking toward what it cannot do).
    const { seen } = sample[0]!;
    const three = judgeWithProfile(seen, task(seen.mission, 3), teacherProfile('oracle'), {
      seed: 0,
      actionSet: 'all',
    });
    assert.equal(three.probabilities.length, 3);
  });

  it('the physics advisor errs on a fixed share of scenes, the same way each time', () => {
    const profile = teacherProfile('typical');
    let wrong = 0;
    let malformed = 0;
    for (let i = 0; i < 300; i++) {
      const scene = {
        hand: { x: (i % 20) / 50 - 0.2, y: Math.floor(i / 20) / 50 - 0.15 },
        goal: { x: 0.2, y: 0.1 },
      };
      const first = profiledPhysicsAction([1, 0], scene, profile, 5);
      assert.deepEqual(profiledPhysicsAction([1, 0], scene, profile, 5), first);
      if (first === 'malformed') malformed += 1;
      else if (Math.hypot(first.action[0] - 1, first.action[1]) > 1e-9) wrong += 1;
    }
    const rate = (wrong + malformed) / 300;
    assert.ok(Math.abs(rate - profile.errorRate) < 0.1, `error rate ${rate}`);
    assert.ok(malformed > 0);
  });
});
