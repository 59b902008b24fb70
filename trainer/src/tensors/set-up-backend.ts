/**
 * @module
 * The one place that picks the TensorFlow.js backend. `@tensorflow/tfjs-node` (native
 * TensorFlow) is an optional dependency: its install downloads a native library that some
 * machines cannot reach, and npm then drops it silently, so it is tried first and the
 * WebAssembly backend is the fallback (the plain-JS `cpu` backend stays available for tests).
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface SetUpBackendOptions {
  /** `auto`: tfjs-node when it loads, else wasm. */
  backend?: BackendChoice;
  /**
   * WebAssembly threads. The student networks are tiny (a few thousand weights per layer), so
   * thread hand-off costs more than it saves and the environments, the gateway and the
   * simulated VLM share the same two cores: one thread by default.
   */
  threads?: number;
}

let active: Promise<string> | undefined;

/**
 * Selects and initialises the backend once per process; later calls return the same name.
 *
 * @example
 * const backend = await setUpBackend({ backend: 'auto' }) // 'tensorflow' | 'wasm' | 'cpu'
 */
export function setUpBackend(options: SetUpBackendOptions = {}): Promise<string> {
  active ??= initialise(options.backend ?? 'auto', options.threads ?? 1);
  return active;
}

async function initialise(choice: BackendChoice, threads: number): Promise<string> {
  if ((choice === 'auto' || choice === 'tensorflow') && tryLoadTensorflowNode()) {
    await tf.setBackend('tensorflow');
    await tf.ready();
    return tf.getBackend();
  }
  if (choice === 'tensorflow') throw new Error('@tensorflow/tfjs-node is not installed here');
  if (choice === 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  }
  const require = createRequire(import.meta.url);
  // The .wasm binaries sit beside the package's entry point; Node reads them from disk.
  const distFolder = require.resolve('@tensorflow/tfjs-backend-wasm').replace(/[^/\\]+$/, '');
  setWasmPaths(distFolder);
  setThreadsCount(Math.max(1, threads));
  await tf.setBackend('wasm');
  await tf.ready();
  return tf.getBackend();
}

function tryLoadTensorflowNode(): boolean {
  try {
    // Registers the 'tensorflow' backend as a side effect.
    createRequire(import.meta.url)('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}
