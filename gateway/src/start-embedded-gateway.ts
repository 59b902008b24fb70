/**
 * @module
 * A gateway inside another program (the trainer's offline runs, tests): configuration given as
 * YAML text instead of a file, no process-wide logger or signal handling, listening on loopback.
 * `startServer` is the command line's counterpart; both start through `listenGateway`.
 */
import { loadConfig } from './config/load-config.ts';
import { listenGateway } from './listen-gateway.ts';
import type { RunningServer } from './listen-gateway.ts';
import { loadTemplates } from './templates/load-templates.ts';

export interface EmbeddedGatewayOptions {
  /** `gateway.config.yaml` content; `server.port: 0` picks a free port. */
  configYaml: string;
  /** Folder of prompt templates. */
  templatesDir: string;
  /** Values for `${VAR}` in the configuration; default none (not the process environment). */
  environment?: Record<string, string | undefined>;
  logError?: (error: unknown) => void;
}

/**
 * @example
 * const gateway = await startEmbeddedGateway({ configYaml, templatesDir: 'prompts' })
 * const client = createClient({ baseUrl: gateway.url })
 */
export async function startEmbeddedGateway(options: EmbeddedGatewayOptions): Promise<RunningServer> {
  const { config, missingVariables } = loadConfig(options.configYaml, options.environment ?? {});
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  return listenGateway({
    config,
    missingVariables,
    templates: loadTemplates(options.templatesDir),
    logError: (error) => logError(error),
    onCheckpointError: logError,
  });
}
