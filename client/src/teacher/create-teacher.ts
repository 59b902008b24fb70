import type { ErrorBody } from '../contract/error-body.js';
import type { SuggestionRequestInput } from '../contract/suggestion-request.js';
import type { Suggestion } from '../contract/suggestion-response.js';
import { GatewayApiError } from '../errors/gateway-api-error.js';
import { sha256Hex } from '../images/sha256-hex.js';
import { toImageBytes } from '../images/to-image-bytes.js';
import { retryDelayMs } from '../retry/retry-delay-ms.js';
import type { RetryDelayOptions } from '../retry/retry-delay-ms.js';
import { createBatchScheduler } from './create-batch-scheduler.js';
import type { ItemOutcome } from './create-batch-scheduler.js';
import type { Teacher, TeacherCallOptions, TeacherObservation, TeacherOptions } from './teacher.js';

export interface TeacherDependencies {
  /** `POST /v1/suggestions:batch`, response validated; rejects with a GatewayApiError for the whole batch. */
  suggestBatch(requests: SuggestionRequestInput[]): Promise<Array<Suggestion | ErrorBody>>;
  uploadImage(bytes: Uint8Array): Promise<unknown>;
  /** Retries of a retryable item error (the transport retries whole-request failures itself). */
  retries: number;
  retryDelay: RetryDelayOptions;
  sleep: (ms: number) => Promise<void>;
  schedule?: (flush: () => void) => void;
}

type PreparedImage =
  | { kind: 'hashed'; sha256: string; bytes: Uint8Array }
  | { kind: 'as-is'; value: string | { sha256: string } };

/** The auto-batching teacher handle behind `client.teacher()`. */
export function createTeacher(options: TeacherOptions, dependencies: TeacherDependencies): Teacher {
  const knownImages = new Set<string>();
  const uploads = new Map<string, Promise<unknown>>();
  const load = createBatchScheduler<SuggestionRequestInput, Suggestion>({
    maxBatchSize: options.maxBatchSize ?? 64,
    ...(dependencies.schedule ? { schedule: dependencies.schedule } : {}),
    run: async (requests) => {
      const results = await dependencies.suggestBatch(requests);
      return results.map((result): ItemOutcome<Suggestion> =>
        'error' in result
          ? { ok: false, error: GatewayApiError.fromBody(result) }
          : { ok: true, value: result },
      );
    },
  });

  // Concurrent items showing the same new frame share one upload.
  const upload = (image: { sha256: string; bytes: Uint8Array }) => {
    let pending = uploads.get(image.sha256);
    if (!pending) {
      pending = dependencies.uploadImage(image.bytes).then(
        () => {
          knownImages.add(image.sha256);
          uploads.delete(image.sha256);
        },
        (error: unknown) => {
          uploads.delete(image.sha256);
          throw error;
        },
      );
      uploads.set(image.sha256, pending);
    }
    return pending;
  };

  // Items of one batch that miss their images wait for all of that batch's uploads, so their
  // retries go out together as one batch again instead of one batch per finished upload.
  let round: { uploads: Array<Promise<unknown>>; settled: Promise<void> } | undefined;
  const uploadInRound = (image: { sha256: string; bytes: Uint8Array }) => {
    const pending = upload(image);
    if (!round) {
      const current: { uploads: Array<Promise<unknown>>; settled: Promise<void> } = {
        uploads: [],
        settled: Promise.resolve(),
      };
      current.settled = new Promise<void>((resolve) =>
        setImmediate(() => {
          round = undefined;
          void Promise.allSettled(current.uploads).then(() => resolve());
        }),
      );
      round = current;
    }
    round.uploads.push(pending);
    return round.settled.then(() => pending);
  };

  const prepare = (image: TeacherObservation['image']): PreparedImage | undefined => {
    if (image === undefined) return undefined;
    if (typeof image === 'object' && !(image instanceof Uint8Array) && !('data' in image))
      return { kind: 'as-is', value: image };
    if (options.images === 'inline') {
      const bytes = toImageBytes(image);
      return {
        kind: 'as-is',
        value:
          typeof image === 'string'
            ? image
            : `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`,
      };
    }
    const bytes = toImageBytes(image);
    return { kind: 'hashed', sha256: sha256Hex(bytes), bytes };
  };

  const buildRequest = (
    observation: TeacherObservation,
    image: PreparedImage | undefined,
    call: TeacherCallOptions,
  ): SuggestionRequestInput => {
    const tags = options.tags || call.tags ? { ...options.tags, ...call.tags } : undefined;
    const cache = call.cache ?? options.cache;
    return {
      template: options.template,
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
      observation: {
        ...withoutImage(observation),
        ...(image
          ? { image: image.kind === 'hashed' ? { sha256: image.sha256 } : image.value }
          : {}),
      },
      actions: options.actions,
      ...(options.distribution ? { distribution: options.distribution } : {}),
      ...(cache ? { cache } : {}),
      ...(call.seed !== undefined ? { seed: call.seed } : {}),
      ...(tags ? { tags } : {}),
    };
  };

  return {
    knownImages,
    async suggest(observation, call = {}) {
      const image = prepare(observation.image);
      const request = buildRequest(observation, image, call);
      let uploaded = false;
      for (let attempt = 0; ;) {
        if (image?.kind === 'hashed' && uploads.has(image.sha256)) await upload(image);
        try {
          const suggestion = await load(request);
          if (image?.kind === 'hashed') knownImages.add(image.sha256);
          return suggestion;
        } catch (error) {
          if (!(error instanceof GatewayApiError)) throw error;
          const missingImage =
            image?.kind === 'hashed' &&
            error.code === 'not_found' &&
            error.details.sha256 === image.sha256;
          if (missingImage && !uploaded) {
            knownImages.delete(image.sha256);
            await uploadInRound(image);
            uploaded = true;
            continue;
          }
          if (!error.retryable || attempt >= dependencies.retries) throw error;
          await dependencies.sleep(
            retryDelayMs(attempt, error.retryAfterMs, dependencies.retryDelay),
          );
          attempt += 1;
        }
      }
    },
  };
}

function withoutImage({
  image: _image,
  ...rest
}: TeacherObservation): Omit<TeacherObservation, 'image'> {
  return rest;
}
