import type { z } from 'zod';
import type {
  ActionsSchema,
  CacheControl,
  DistributionSchema,
  Observation,
  TagsSchema,
} from '../contract/suggestion-request.js';
import type { Suggestion } from '../contract/suggestion-response.js';
import type { ImageSource } from '../images/image-source.js';

export interface TeacherOptions {
  /** Prompt template id ("id@version" pins a version). */
  template: string;
  actions: z.input<typeof ActionsSchema>;
  provider?: string;
  distribution?: z.input<typeof DistributionSchema>;
  cache?: CacheControl;
  /** Tags sent with every suggestion (e.g. the run id); per-call tags are merged over them. */
  tags?: z.input<typeof TagsSchema>;
  /** Most items per `:batch` request; larger ticks are split. Default 64. */
  maxBatchSize?: number;
  /**
   * `hash` (default): send `{ sha256 }` and upload only when the gateway has not seen the image,
   * so a frame crosses the wire once. `inline`: send every image as a data URL.
   */
  images?: 'hash' | 'inline';
}

export interface TeacherObservation extends Omit<Observation, 'image'> {
  image?: ImageSource | { sha256: string };
}

export interface TeacherCallOptions {
  tags?: z.input<typeof TagsSchema>;
  seed?: number;
  cache?: CacheControl;
}

/** A teacher bound to one template, action space and provider; see `client.teacher()`. */
export interface Teacher {
  /** Calls made in the same tick go out as one `:batch` request; each resolves with its own result. */
  suggest(observation: TeacherObservation, options?: TeacherCallOptions): Promise<Suggestion>;
  /** Image hashes this teacher knows the gateway holds. */
  readonly knownImages: ReadonlySet<string>;
}
