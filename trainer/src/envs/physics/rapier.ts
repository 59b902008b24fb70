/**
 * @module
 * The deterministic Rapier 2D build, initialised once. Its `-compat` package inlines the
 * WebAssembly as base64, which Node 20 ESM loads without a bundler; the deterministic build
 * gives bit-identical trajectories for a seed on every platform.
 */
import RAPIER from '@dimforge/rapier2d-deterministic-compat';

await RAPIER.init();

export { RAPIER };
export type Rapier = typeof RAPIER;
