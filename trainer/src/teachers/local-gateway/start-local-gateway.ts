/**
 * @module
 * The offline teacher in one call: a simulated VLM (the planner behind a VLM's eyes) and a real
 * gateway in front of it, on an embedded SQLite file, both listening on free loopback ports. The
 * trainer then talks to it through the client exactly as it would to a remote gateway, so the
 * cache, batching and cost accounting are the real ones.
 */
import { fileURLToPath } from 'node:url';
import type { startEmbeddedGateway } from '@teacher-gateway/gateway';
import { createSimulatedVlmServer } from '../simulated-vlm/create-simulated-vlm-server.ts';
import type { SimulatedVlmOptions } from '../simulated-vlm/simulated-vlm-options.ts';

export interface LocalGatewayOptions {
  /** SQLite file for the cache, images and audit log (`:memory:` for none). */
  databasePath: string;
  /** The simulated VLM's knobs (accuracy, seed, latency, failures). */
  simulatedVlm?: SimulatedVlmOptions;
  /** Prompt templates; default the repository's `prompts/`. */
  templatesDir?: string;
}

export interface LocalGateway {
  /** The gateway's base URL, for `createClient`. */
  url: string;
  /** The provider id the gateway knows the simulated VLM by. */
  provider: string;
  close(): Promise<void>;
}

const defaultTemplatesDir = fileURLToPath(new URL('../../../../prompts/', import.meta.url));

/**
 * @example
 * const local = await startLocalGateway({ databasePath: 'runs/x/teacher.db', simulatedVlm: { accuracy: 0.8 } })
 * const client = createClient({ baseUrl: local.url })
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const vlm = await createSimulatedVlmServer({ ...options.simulatedVlm, port: 0 });
  const yaml = `server: { host: 127.0.0.1, port: 0 }
storage: { path: ${JSON.stringify(options.databasePath)} }
cache: { mode: live }
defaultProvider: simulated
providers:
  - { id: simulated, kind: openai-compatible, baseURL: ${JSON.stringify(vlm.url)}, model: simulated-planner, maxConcurrency: 8 }
`;
  let gateway: Awaited<ReturnType<typeof startEmbeddedGateway>>;
  try {
    gateway = await (await loadGatewayPackage()).startEmbeddedGateway({
      configYaml: yaml,
      templatesDir: options.templatesDir ?? defaultTemplatesDir,
      logError: (error) => console.error(error),
    });
  } catch (error) {
    await vlm.close();
    throw error;
  }
  return {
    url: gateway.url,
    provider: 'simulated',
    close: () => gateway.close().finally(() => vlm.close()),
  };
}

/** The gateway is an optional dependency of the trainer: only offline runs need it in-process. */
async function loadGatewayPackage(): Promise<typeof import('@teacher-gateway/gateway')> {
  try {
    return await import('@teacher-gateway/gateway');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes('@teacher-gateway/gateway')) {
      throw new Error(
        'offline runs start a gateway in-process and need @teacher-gateway/gateway installed; install it, or pass --gateway <url>',
      );
    }
    throw error;
  }
}
