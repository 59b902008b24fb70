/**
 * @module
 * OpenAI's Batch API as a labelling capability: one JSONL upload (`files.create`, purpose
 * `batch`), `batches.create` on `/v1/chat/completions` with a 24 h window (half price), polled with
 * `batches.retrieve`, answers read from the output and error files.
 */
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { z } from 'zod';
import type { BatchAnswer, BatchCodec, BatchLabelling } from '../provider.ts';

const terminal = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** One line of a batch's output or error file. */
const BatchLineSchema = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number(), body: z.unknown() }).nullable().optional(),
  error: z
    .object({ code: z.string().optional(), message: z.string().optional() })
    .nullable()
    .optional(),
});

/**
 * @example
 * const labelling = createOpenAIBatchLabelling(new OpenAI({ apiKey }), model.batch)
 * const job = await labelling.submit([{ customId: 'key:0', options }])
 */
export function createOpenAIBatchLabelling(
  client: Pick<OpenAI, 'files' | 'batches'>,
  codec: BatchCodec,
): BatchLabelling {
  return {
    maxCalls: 50_000,
    async submit(calls) {
      const jsonl = calls
        .map(({ customId, options }) =>
          JSON.stringify({
            custom_id: customId,
            method: 'POST',
            url: codec.endpoint,
            body: codec.requestBody(options),
          }),
        )
        .join('\n');
      const file = await client.files.create({
        file: await toFile(Buffer.from(`${jsonl}\n`), 'label-requests.jsonl'),
        purpose: 'batch',
      });
      const batch = await client.batches.create({
        input_file_id: file.id,
        endpoint: codec.endpoint as '/v1/chat/completions',
        completion_window: '24h',
      });
      return { id: batch.id, inputFileId: file.id, status: batch.status };
    },
    async status(batchId) {
      const batch = await client.batches.retrieve(batchId);
      const done = terminal.has(batch.status);
      const failure = batch.errors?.data?.[0]?.message;
      return { status: batch.status, done, ...(failure !== undefined ? { failure } : {}) };
    },
    async results(batchId, optionsFor) {
      const batch = await client.batches.retrieve(batchId);
      const answers: BatchAnswer[] = [];
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (!fileId) continue;
        const text = await (await client.files.content(fileId)).text();
        for (const raw of text.split('\n')) {
          if (raw.trim() === '') continue;
          const parsed = BatchLineSchema.safeParse(parseJson(raw));
          if (!parsed.success) continue;
          const options = optionsFor(parsed.data.custom_id);
          if (options) answers.push(readLine(parsed.data, codec.requestBody(options), codec));
        }
      }
      return answers;
    },
  };
}

function readLine(
  line: z.infer<typeof BatchLineSchema>,
  requestBody: Record<string, unknown>,
  codec: BatchCodec,
): BatchAnswer {
  const customId = line.custom_id;
  const response = line.response;
  if (!response || response.status_code !== 200) {
    // OpenAI's error body: { error: { message } }; a line that never ran has only `error`.
    const message = (response?.body as { error?: { message?: unknown } } | undefined)?.error
      ?.message;
    const error =
      typeof message === 'string'
        ? message
        : (line.error?.message ?? `status ${response?.status_code ?? 'none'}`);
    return { customId, ok: false, error };
  }
  return {
    customId,
    ok: true,
    result: codec.readResponse(requestBody, response.body, response.status_code),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
