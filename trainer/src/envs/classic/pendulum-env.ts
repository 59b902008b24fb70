/**
 * @module
 * Gymnasium's Pendulum-v1, from its published dynamics (gymnasium/envs/classic_control/pendulum.py):
 * a rod of mass 1 and length 1 under gravity 10, torque in [-2, 2], angular speed clipped to 8,
 * dt 0.05, 200 steps per episode. Observation [cos th, sin th, thdot]; reward
 * -(angle_normalize(th)^2 + 0.1 thdot^2 + 0.001 u^2), so an upright, still pendulum earns ~0 and
 * a well-trained SAC reaches a mean return around -150 (random play: about -1200). It is here as
 * a sanity check that a continuous-control learner learns at all.
 */
import type { ActionSpace, Env, ResetResult, StepResult } from '../env.ts';
import { NumpyGenerator } from '../../random/numpy-generator.ts';

const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;
const G = 10;
const M = 1;
const L = 1;
export const PENDULUM_MAX_STEPS = 200;

const angleNormalize = (x: number) =>
  ((((x + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;

export class PendulumEnv implements Env<Float32Array, ArrayLike<number>> {
  readonly id = 'Pendulum-v1';
  readonly actionSpace: ActionSpace = {
    kind: 'continuous',
    low: [-MAX_TORQUE],
    high: [MAX_TORQUE],
  };
  private random: NumpyGenerator;
  private theta = 0;
  private thetaDot = 0;
  private steps = 0;

  constructor(seed = 0) {
    this.random = new NumpyGenerator(seed);
  }

  reset(seed?: number): ResetResult<Float32Array> {
    if (seed !== undefined) this.random = new NumpyGenerator(seed);
    this.theta = this.random.uniform(-Math.PI, Math.PI);
    this.thetaDot = this.random.uniform(-1, 1);
    this.steps = 0;
    return { observation: this.observe(), info: {} };
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const u = Math.min(MAX_TORQUE, Math.max(-MAX_TORQUE, Number(action[0])));
    const cost = angleNormalize(this.theta) ** 2 + 0.1 * this.thetaDot ** 2 + 0.001 * u ** 2;
    const next =
      this.thetaDot + (((3 * G) / (2 * L)) * Math.sin(this.theta) + (3 / (M * L * L)) * u) * DT;
    this.thetaDot = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, next));
    this.theta += this.thetaDot * DT;
    this.steps += 1;
    return {
      observation: this.observe(),
      reward: -cost,
      terminated: false,
      truncated: this.steps >= PENDULUM_MAX_STEPS,
      info: {},
    };
  }

  private observe(): Float32Array {
    return Float32Array.of(Math.cos(this.theta), Math.sin(this.theta), this.thetaDot);
  }
}
