/**
 * @module
 * The algorithms `teacher-train` runs: adding one is an entry here (and its command file).
 */
import type { Lvlm2pArgs } from '../algorithms/lvlm2p.ts';
import { LVLM2P_DEFAULTS, train as trainLvlm2p } from '../algorithms/lvlm2p.ts';
import type { PpoArgs } from '../algorithms/ppo.ts';
import { PPO_DEFAULTS, PPO_PRESETS, train as trainPpo } from '../algorithms/ppo.ts';
import type { SacArgs } from '../algorithms/sac.ts';
import { SAC_DEFAULTS, train as trainSac } from '../algorithms/sac.ts';
import type { VarlArgs } from '../algorithms/varl.ts';
import { VARL_DEFAULTS, train as trainVarl } from '../algorithms/varl.ts';
import { ACTION_LABELS } from '../envs/grid-world/action.ts';
import { PHYSICS_ACTION_LABELS } from '../envs/physics/physics-env.ts';
import type { ActionAdvisor } from '../teachers/action-advisor.ts';
import { createGatewayActionAdvisor } from '../teachers/create-gateway-action-advisor.ts';
import { createScriptedActionAdvisor } from '../teachers/physics-advisor/create-scripted-action-advisor.ts';
import { referencePhysicsAction } from '../teachers/physics-advisor/reference-physics-action.ts';
import { referencePlannerAction } from '../teachers/planner/reference-planner-action.ts';
import type { AlgorithmEntry, RunTeacher } from './algorithm-entry.ts';

const GRID_NETWORK_VALUES = {
  network: ['cnn', 'mlp'],
  missionEncoder: ['bag-of-words', 'none'],
};

const ppo: AlgorithmEntry = {
  name: 'ppo',
  summary: 'train the PPO baseline (the LVLM2P release settings) on a grid world, one run per seed',
  defaults: PPO_DEFAULTS,
  presets: PPO_PRESETS,
  allowedValues: GRID_NETWORK_VALUES,
  envFamily: 'minigrid',
  metrics: 'per-update',
  async train(args, dependencies) {
    const result = await trainPpo(args as PpoArgs, { ...dependencies, teacher: undefined });
    result.model.dispose();
  },
};

const lvlm2p: AlgorithmEntry = {
  name: 'lvlm2p',
  summary:
    'train PPO with LVLM2P teacher distillation through the gateway (offline: an in-process gateway + simulated VLM)',
  defaults: LVLM2P_DEFAULTS,
  presets: PPO_PRESETS,
  allowedValues: {
    ...GRID_NETWORK_VALUES,
    distill: ['soft-kl', 'hard-ce', 'released'],
    lambdaSchedule: ['constant', 'linear', 'exponential'],
    distribution: ['logprobs', 'samples', 'verbalized', 'auto'],
    teacherLag: [0, 1],
    teacherActions: [7, 3],
  },
  envFamily: 'minigrid',
  teacher: {
    actions: (args) => ({
      kind: 'discrete',
      labels: ACTION_LABELS.slice(0, (args as Lvlm2pArgs).teacherActions),
    }),
    defaultProfile: 'typical',
    template: (args) => (args as Lvlm2pArgs).template,
    provider: (args) => (args as Lvlm2pArgs).provider || undefined,
    distribution: (args) => ({ method: (args as Lvlm2pArgs).distribution }),
    scripted: false,
  },
  metrics: 'per-update',
  async train(args, dependencies) {
    const teacher = gatewayOf('lvlm2p', dependencies.teacher);
    const result = await trainLvlm2p(args as Lvlm2pArgs, {
      ...dependencies,
      teacher: {
        advisor: teacher.teacher,
        gatewayStats: teacher.gatewayStats,
        reference: referencePlannerAction,
      },
    });
    result.model.dispose();
  },
};

const sac: AlgorithmEntry = {
  name: 'sac',
  summary: 'train the SAC baseline (cleanrl lineage) on a physics task, one run per seed',
  defaults: SAC_DEFAULTS,
  allowedValues: {},
  envFamily: 'physics',
  metrics: 'per-evaluation',
  async train(args, dependencies) {
    await trainSac(args as SacArgs, { ...dependencies, teacher: undefined });
  },
};

const varl: AlgorithmEntry = {
  name: 'varl',
  summary:
    'train SAC with VARL: a few rounds of VLM action advice through the gateway, a gated behaviour-cloning term until N_s',
  defaults: VARL_DEFAULTS,
  allowedValues: {},
  envFamily: 'physics',
  teacher: {
    actions: () => ({
      kind: 'continuous',
      labels: [...PHYSICS_ACTION_LABELS],
      low: [-1, -1],
      high: [1, 1],
    }),
    template: () => 'physics-varl',
    scripted: true,
  },
  metrics: 'per-evaluation',
  async train(args, dependencies) {
    const advisor: ActionAdvisor =
      dependencies.teacher?.kind === 'scripted'
        ? createScriptedActionAdvisor()
        : createGatewayActionAdvisor(gatewayOf('varl', dependencies.teacher).teacher);
    await trainVarl(args as VarlArgs, {
      ...dependencies,
      teacher: { advisor, reference: referencePhysicsAction },
    });
  },
};

/** Every algorithm, in the order `teacher-train --help` lists them. */
export const ALGORITHMS: readonly AlgorithmEntry[] = [ppo, lvlm2p, sac, varl];

/** The entry named `name`; throws for an unknown one. */
export function algorithmEntry(name: string): AlgorithmEntry {
  const entry = ALGORITHMS.find((candidate) => candidate.name === name);
  if (!entry) throw new RangeError(`unknown algorithm "${name}"`);
  return entry;
}

function gatewayOf(algorithm: string, teacher: RunTeacher | undefined) {
  if (teacher?.kind !== 'gateway') throw new Error(`${algorithm} needs a gateway teacher`);
  return teacher;
}
