/**
 * @module
 * The request side of `POST /v1/suggestions` (API.md section 1).
 */
import { z } from 'zod';

export const Sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a sha256 as 64 lower-case hex digits')
  .meta({ id: 'Sha256' });

/** A data URL (`data:image/png;base64,...`), bare base64, or a reference to an image stored before. */
export const ImageInputSchema = z
  .union([
    z.string().min(1).describe('data URL or base64 of a PNG, JPEG or WebP image'),
    z.object({ sha256: Sha256Schema }).strict(),
  ])
  .meta({ id: 'ImageInput' });

export const ObservationSchema = z
  .object({
    image: ImageInputSchema.optional(),
    text: z.string().max(100_000).optional().describe('mission or task text'),
    state: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('structured state that templates may render (symbolic grid, positions)'),
  })
  .strict()
  .meta({ id: 'Observation' });

const LabelsSchema = z.array(z.string().min(1).max(200)).min(1).max(64);

export const DiscreteActionsSchema = z
  .object({ kind: z.literal('discrete'), labels: LabelsSchema })
  .strict()
  .refine((actions) => new Set(actions.labels).size === actions.labels.length, {
    message: 'action labels must be distinct',
    path: ['labels'],
  });

export const ContinuousActionsSchema = z
  .object({
    kind: z.literal('continuous'),
    labels: LabelsSchema,
    low: z.array(z.number()),
    high: z.array(z.number()),
  })
  .strict()
  .superRefine((actions, context) => {
    const n = actions.labels.length;
    if (actions.low.length !== n || actions.high.length !== n) {
      context.addIssue({
        code: 'custom',
        path: ['low'],
        message: `low and high need one bound per label (${n})`,
      });
      return;
    }
    actions.low.forEach((low, index) => {
      if (!(low <= (actions.high[index] ?? Number.NaN))) {
        context.addIssue({ code: 'custom', path: ['low', index], message: 'low must be <= high' });
      }
    });
  });

export const ActionsSchema = z
  .discriminatedUnion('kind', [DiscreteActionsSchema, ContinuousActionsSchema])
  .meta({ id: 'Actions' });

export const distributionMethods = ['logprobs', 'samples', 'verbalized', 'auto'] as const;

export const DistributionSchema = z
  .object({
    method: z.enum(distributionMethods).default('auto'),
    samples: z.number().int().min(1).max(64).default(8).describe('sampled answers for method "samples"'),
    temperature: z
      .number()
      .positive()
      .max(100)
      .default(1)
      .describe('applied to the distribution after parsing: p ∝ p^(1/T)'),
    floor: z
      .number()
      .min(0)
      .max(0.1)
      .default(0.001)
      .describe('minimum probability of every action'),
  })
  .strict()
  .meta({ id: 'Distribution' });

export const cacheControls = ['default', 'refresh', 'bypass', 'only'] as const;

export const TagsSchema = z
  .record(z.string().max(100), z.union([z.string().max(1000), z.number()]))
  .refine((tags) => Object.keys(tags).length <= 32, { message: 'at most 32 tags' })
  .meta({ id: 'Tags' });

export const SuggestionRequestSchema = z
  .object({
    template: z
      .string()
      .min(1)
      .max(200)
      .describe('prompt template id from prompts/ ("id@version" pins a version)'),
    provider: z.string().min(1).max(200).optional(),
    observation: ObservationSchema,
    actions: ActionsSchema,
    distribution: DistributionSchema.prefault({}),
    cache: z.enum(cacheControls).default('default'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    tags: TagsSchema.optional(),
  })
  .strict()
  .meta({ id: 'SuggestionRequest' });

/** A validated request, defaults filled in. */
export type SuggestionRequest = z.output<typeof SuggestionRequestSchema>;
/** What a caller may send: defaults may be left out. */
export type SuggestionRequestInput = z.input<typeof SuggestionRequestSchema>;
export type Observation = z.output<typeof ObservationSchema>;
export type Actions = z.output<typeof ActionsSchema>;
export type DistributionOptions = z.output<typeof DistributionSchema>;
export type DistributionMethod = (typeof distributionMethods)[number];
export type CacheControl = (typeof cacheControls)[number];
