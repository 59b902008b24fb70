import { NumpyGenerator } from '../../random/numpy-generator.ts';
import type { RandomSource } from '../../random/random-source.ts';
import type { ActionSpace, Env, ResetResult, StepResult } from '../env.ts';
import { Action, DIR_X, DIR_Y } from './action.ts';
import { GridWorldState } from './grid-world-state.ts';
import type { GridWorldLayout, StepOutcome, TaskRules } from './layout.ts';
import type { GridObservation } from './observation.ts';
import { VIEW_SIZE } from './observation.ts';
import { computePartialView } from './compute-partial-view.ts';
import { renderGrid } from './rendering/render-grid.ts';
import type { GridPicture, RgbImage } from './rendering/render-grid.ts';
import { COLOR_NAMES } from './world/color.ts';
import { Grid } from './world/grid.ts';
import { OBJECT_TYPE_NAMES, ObjectType } from './world/object-type.ts';
import type { ToggleContext, WorldObject } from './world/world-object.ts';

export interface GridWorldSnapshot {
  /** `grid.encode()`: `[x][y][type, colour, state]`, without the agent. */
  grid: number[][][];
  agentPos: [number, number];
  agentDir: number;
  /** `[type name, colour name]`, e.g. `["key", "yellow"]`. */
  carrying: [string, string] | null;
  stepCount: number;
  /** Beyond API.md's fields, so that `fromEncoding({ envId, ...snapshot })` restores the state exactly. */
  envId: string;
  mission: string;
  maxSteps: number;
  /** Env-specific hidden state, named as in the reference fixtures. */
  extra: Record<string, unknown>;
}

export interface RenderOptions {
  tileSize?: number;
  /** The agent's 7x7 view (RGBImgPartialObsWrapper) instead of the full map with highlight. */
  agentView?: boolean;
}

export interface GridWorldOptions {
  seed?: number;
  /** Replaces the seeded numpy stream until the next `reset(seed)`; for replaying recorded draws. */
  random?: RandomSource;
}

const VIEW_CELLS = VIEW_SIZE * VIEW_SIZE;
const DEFAULT_SEED = 0;

/**
 * A MiniGrid environment: MiniGrid's base `step` and partial observation, with the
 * env-specific layout and rules supplied by a {@link GridWorldLayout}.
 */
export class GridWorldEnv implements Env<GridObservation, number>, ToggleContext {
  readonly actionSpace: ActionSpace;
  readonly state: GridWorldState;
  private rules: TaskRules;
  private pendingSeed: number | undefined;
  private readonly outcome: StepOutcome = { reward: 0, terminated: false };
  /** The current view and its visibility mask, kept for rendering. */
  private readonly viewImage = new Uint8Array(VIEW_CELLS * 3);
  private readonly visible = new Uint8Array(VIEW_CELLS);

  constructor(
    readonly id: string,
    readonly layout: GridWorldLayout,
    options: GridWorldOptions = {},
  ) {
    this.actionSpace = { kind: 'discrete', n: layout.actionCount };
    this.pendingSeed = options.random === undefined ? (options.seed ?? DEFAULT_SEED) : undefined;
    const random = options.random ?? new NumpyGenerator(options.seed ?? DEFAULT_SEED);
    this.state = new GridWorldState(new Grid(layout.width, layout.height), layout.maxSteps, random);
    this.rules = {};
  }

  get seeThroughWalls(): boolean {
    return this.layout.seeThroughWalls;
  }

  get carrying(): WorldObject | null {
    return this.state.carrying;
  }

  setCell(x: number, y: number, object: WorldObject | null): void {
    this.state.grid.set(x, y, object);
  }

  /**
   * Gymnasium's `reset`: a seed restarts the numpy stream (`Generator(PCG64(seed))`), no seed
   * continues it. Before any seed is given the stream starts from the `seed` option (or 0).
   */
  reset(seed?: number): ResetResult<GridObservation> {
    const startSeed = seed ?? this.pendingSeed;
    this.pendingSeed = undefined;
    const state = this.state;
    if (startSeed !== undefined) state.rng = new NumpyGenerator(startSeed);
    state.grid.clear();
    state.agentX = -1;
    state.agentY = -1;
    state.agentDir = 0;
    state.carrying = null;
    state.stepCount = 0;
    state.maxSteps = this.layout.maxSteps;
    this.rules = this.layout.generate(state);
    state.carrying = null;
    state.stepCount = 0;
    return { observation: this.observe(), info: {} };
  }

  /** Installs the rules of a state loaded into {@link state} (see `fromEncoding`). */
  load(rules: TaskRules): void {
    this.rules = rules;
    this.observe();
  }

  /** The observation of the current state, as `reset`/`step` returned it. */
  observation(): GridObservation {
    return this.observe();
  }

  step(action: number): StepResult<GridObservation> {
    const state = this.state;
    const rules = this.rules;
    let applied = action;
    if (rules.beforeStep !== undefined) applied = rules.beforeStep(state, action);

    state.stepCount++;
    const outcome = this.outcome;
    outcome.reward = 0;
    outcome.terminated = false;

    const grid = state.grid;
    const height = grid.height;
    const fx = state.agentX + DIR_X[state.agentDir]!;
    const fy = state.agentY + DIR_Y[state.agentDir]!;
    const front = fx * height + fy;
    const cell = grid.objects[front] ?? null;

    switch (applied) {
      case Action.left:
        state.agentDir = (state.agentDir + 3) & 3;
        break;
      case Action.right:
        state.agentDir = (state.agentDir + 1) & 3;
        break;
      case Action.forward:
        if (cell === null || cell.canOverlap()) {
          state.agentX = fx;
          state.agentY = fy;
        }
        if (cell !== null) {
          if (cell.type === ObjectType.goal) {
            outcome.terminated = true;
            outcome.reward = state.reward();
          } else if (cell.type === ObjectType.lava) {
            outcome.terminated = true;
          }
        }
        break;
      case Action.pickup:
        if (cell !== null && cell.canPickup() && state.carrying === null) {
          state.carrying = cell;
          grid.setAt(front, null);
        }
        break;
      case Action.drop:
        if (cell === null && state.carrying !== null) {
          grid.setAt(front, state.carrying);
          state.carrying = null;
        }
        break;
      case Action.toggle:
        if (cell !== null && cell.toggle(this, fx, fy)) grid.refresh(front);
        break;
      case Action.done:
        break;
      default:
        throw new RangeError(`unknown action ${action} for ${this.id}`);
    }

    const truncated = state.stepCount >= state.maxSteps;
    if (rules.afterStep !== undefined) rules.afterStep(state, applied, outcome);
    return {
      observation: this.observe(),
      reward: outcome.reward,
      terminated: outcome.terminated,
      truncated,
      info: {},
    };
  }

  snapshot(): GridWorldSnapshot {
    const state = this.state;
    const carrying = state.carrying;
    return {
      grid: state.grid.toNested(),
      agentPos: [state.agentX, state.agentY],
      agentDir: state.agentDir,
      carrying:
        carrying === null
          ? null
          : [OBJECT_TYPE_NAMES[carrying.type]!, COLOR_NAMES[carrying.color]!],
      stepCount: state.stepCount,
      envId: this.id,
      mission: state.mission,
      maxSteps: state.maxSteps,
      extra: { ...this.rules.extra?.(state) },
    };
  }

  /** MiniGrid's `FullyObsWrapper` image: `grid.encode()` with `(10, red, dir)` at the agent. Layout `(x * height + y) * 3 + ch`. */
  fullEncoding(): Uint8Array {
    const state = this.state;
    const encoding = state.grid.encoding.slice();
    const k = (state.agentX * state.grid.height + state.agentY) * 3;
    encoding[k] = ObjectType.agent;
    encoding[k + 1] = 0;
    encoding[k + 2] = state.agentDir;
    return encoding;
  }

  /** MiniGrid's `render()` (full map, visible cells highlighted) or, with `agentView`, the RGBImgPartialObsWrapper image. */
  renderRgb(options: RenderOptions = {}): RgbImage {
    return renderGrid(this.picture(options.agentView ?? false), options.tileSize ?? 32);
  }

  /** The picture handed to the renderer; its arrays alias internal buffers and are read-only. */
  picture(agentView: boolean): GridPicture {
    if (agentView) {
      return {
        width: VIEW_SIZE,
        height: VIEW_SIZE,
        encoding: this.viewImage,
        agent: { x: VIEW_SIZE >> 1, y: VIEW_SIZE - 1, dir: 3 },
        highlight: this.visible,
      };
    }
    const state = this.state;
    const grid = state.grid;
    return {
      width: grid.width,
      height: grid.height,
      encoding: grid.encoding,
      agent: { x: state.agentX, y: state.agentY, dir: state.agentDir },
      highlight: this.worldHighlight(),
    };
  }

  /** The visible view cells mapped back to world cells (clipped), indexed `x * height + y`. */
  private worldHighlight(): Uint8Array {
    const state = this.state;
    const grid = state.grid;
    const highlight = new Uint8Array(grid.width * grid.height);
    const dx = DIR_X[state.agentDir]!;
    const dy = DIR_Y[state.agentDir]!;
    for (let i = 0; i < VIEW_SIZE; i++) {
      for (let j = 0; j < VIEW_SIZE; j++) {
        if (this.visible[i * VIEW_SIZE + j] === 0) continue;
        const depth = VIEW_SIZE - 1 - j;
        const offset = i - (VIEW_SIZE >> 1);
        const x = state.agentX + dx * depth - dy * offset;
        const y = state.agentY + dy * depth + dx * offset;
        if (grid.contains(x, y)) highlight[x * grid.height + y] = 1;
      }
    }
    return highlight;
  }

  private observe(): GridObservation {
    computePartialView(this.state, this.layout.seeThroughWalls, this.viewImage, this.visible);
    return {
      image: this.viewImage.slice(),
      direction: this.state.agentDir,
      mission: this.state.mission,
    };
  }
}
