import type { PoolEntry } from './provider-pool.ts';
import type { ReachabilityProbe } from './create-reachability-probe.ts';
import { probedURL } from './probed-url.ts';
import { startCommand } from './start-command.ts';

/** The two levels the report writes at; pino's logger is one. */
export interface ProviderReportLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * The startup lines, one per provider: ready, unavailable (and why), or unreachable. A self-hosted
 * upstream is probed as `GET /v1/providers` probes it, so the log never calls a provider ready
 * that nothing serves. Lines for providers that need no probe are written at once; the promise
 * resolves when the probed ones are written too (the probe bounds its own wait).
 *
 * @example
 * await reportProviders(gateway.providers.list(), probe, logger)
 * // provider local-vlm: unreachable at http://127.0.0.1:8000/v1 (start it or remove it from the config)
 */
export async function reportProviders(
  entries: PoolEntry[],
  probe: ReachabilityProbe | undefined,
  logger: ProviderReportLogger,
): Promise<void> {
  const probed: Promise<void>[] = [];
  for (const { config, model, reason } of entries) {
    const fields = { provider: config.id, model: config.model };
    if (!model) {
      logger.warn({ provider: config.id, reason }, 'provider unavailable');
      continue;
    }
    const baseURL = probedURL({ config, model });
    if (!probe || !baseURL) {
      logger.info(fields, 'provider ready');
      continue;
    }
    probed.push(
      probe(baseURL).then(
        (unreachable) => {
          if (unreachable === undefined) logger.info({ ...fields, url: baseURL }, 'provider ready');
          else logger.warn({ ...fields, url: baseURL, reason: unreachable }, unreachableLine(config.id, baseURL, config.model));
        },
        // The probe resolves with its reasons; anything else is a bug in it, not a reason to stop.
        (error: unknown) => logger.warn({ ...fields, url: baseURL, err: error }, `provider ${config.id}: could not probe ${baseURL}`),
      ),
    );
  }
  await Promise.all(probed);
}

function unreachableLine(id: string, baseURL: string, model: string): string {
  const command = startCommand(baseURL, model);
  const remedy = command ? `start it with: ${command}, or remove it from the config` : 'start it or remove it from the config';
  return `provider ${id}: unreachable at ${baseURL} (${remedy})`;
}
