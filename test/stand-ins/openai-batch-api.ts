import { randomBytes } from 'node:crypto';
import type { AnswerFunction, RecordedCall, StandInReply } from './start-stand-in-server.ts';

/** Answers one batch line's body as the synchronous endpoint would. */
export type AnswerLine = (body: unknown, answer: AnswerFunction | undefined) => StandInReply;

export interface OpenAIBatchApi {
  serves(call: RecordedCall): boolean;
  handle(call: RecordedCall, answer: AnswerFunction | undefined): StandInReply;
}

interface StoredFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  expires_at: number | null;
  status_details: null;
  content: string;
}

type BatchStatus =
  | 'validating'
  | 'failed'
  | 'in_progress'
  | 'finalizing'
  | 'completed'
  | 'expired'
  | 'cancelling'
  | 'cancelled';

interface StoredBatch {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: {
    object: 'list';
    data: { code: string; message: string; param: string | null; line: number | null }[];
  } | null;
  input_file_id: string;
  completion_window: string;
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

const endpoints = new Set([
  '/v1/chat/completions',
  '/v1/responses',
  '/v1/embeddings',
  '/v1/completions',
]);
const maxLines = 50_000;

/**
 * OpenAI's Batch API over the stand-in's chat completions: POST /v1/files (multipart, purpose
 * `batch`), GET /v1/files/:id and /content, POST /v1/batches, GET /v1/batches/:id, POST
 * /v1/batches/:id/cancel. A batch moves one status per retrieve (validating → in_progress →
 * finalizing → completed), so a poller sees every stage; its lines are answered on the way to
 * finalizing, successes into the output file and non-2xx lines into the error file.
 */
export function createOpenAIBatchApi(answerLine: AnswerLine): OpenAIBatchApi {
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, StoredBatch>();

  function handle(call: RecordedCall, answer: AnswerFunction | undefined): StandInReply {
    const { method, path } = call;
    if (method === 'POST' && path === '/v1/files') return uploadFile(call);
    const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    if (method === 'GET' && fileMatch) {
      const file = files.get(fileMatch[1] ?? '');
      if (!file) return notFound(`No such File object: ${fileMatch[1]}`, 'id');
      if (fileMatch[2]) {
        return {
          status: 200,
          headers: { 'content-type': 'application/octet-stream' },
          body: file.content,
        };
      }
      const { content: _content, ...object } = file;
      return ok(object);
    }
    if (method === 'POST' && path === '/v1/batches') return createBatch(call.body);
    const batchMatch = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    const batch = batchMatch ? batches.get(batchMatch[1] ?? '') : undefined;
    if (batchMatch && !batch) return notFound(`No batch found with id '${batchMatch[1]}'.`, null);
    if (batch && method === 'GET' && !batchMatch?.[2]) {
      advance(batch, answer);
      return ok(batch);
    }
    if (batch && method === 'POST' && batchMatch?.[2]) {
      if (['validating', 'in_progress', 'finalizing'].includes(batch.status)) {
        batch.status = 'cancelling';
        batch.cancelling_at = now();
      }
      return ok(batch);
    }
    return invalid(`Invalid URL (${method} ${path})`, null, null, 404);
  }

  function uploadFile(call: RecordedCall): StandInReply {
    const contentType = call.headers['content-type'] ?? '';
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
    if (
      !contentType.startsWith('multipart/form-data') ||
      !boundary ||
      typeof call.body !== 'string'
    ) {
      return invalid(
        'The request must be multipart/form-data with a file and a purpose.',
        null,
        null,
      );
    }
    const parts = readMultipart(call.body, boundary[1] ?? boundary[2] ?? '');
    const purpose = parts.find((part) => part.name === 'purpose')?.content;
    const file = parts.find((part) => part.name === 'file');
    if (!purpose)
      return invalid(
        "Missing required parameter: 'purpose'.",
        'purpose',
        'missing_required_parameter',
      );
    if (!file)
      return invalid("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
    const id = `file-${randomBytes(12).toString('hex')}`;
    const stored: StoredFile = {
      id,
      object: 'file',
      bytes: Buffer.byteLength(file.content),
      created_at: now(),
      filename: file.filename ?? 'upload',
      purpose,
      status: 'processed',
      expires_at: null,
      status_details: null,
      content: file.content,
    };
    files.set(id, stored);
    const { content: _content, ...object } = stored;
    return ok(object);
  }

  function createBatch(body: unknown): StandInReply {
    const request = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    const inputFileId = request.input_file_id;
    if (typeof inputFileId !== 'string') {
      return invalid(
        "Missing required parameter: 'input_file_id'.",
        'input_file_id',
        'missing_required_parameter',
      );
    }
    const endpoint = request.endpoint;
    if (typeof endpoint !== 'string' || !endpoints.has(endpoint)) {
      return invalid(
        `Invalid value for 'endpoint': ${String(endpoint)}.`,
        'endpoint',
        'invalid_value',
      );
    }
    if (request.completion_window !== '24h') {
      return invalid(
        "Invalid value for 'completion_window': expected '24h'.",
        'completion_window',
        'invalid_value',
      );
    }
    const file = files.get(inputFileId);
    if (!file) return notFound(`No such File object: ${inputFileId}`, 'input_file_id');
    if (file.purpose !== 'batch') {
      return invalid(
        `File ${inputFileId} has purpose '${file.purpose}'; batches need purpose 'batch'.`,
        'input_file_id',
        'invalid_value',
      );
    }
    const created = now();
    const batch: StoredBatch = {
      id: `batch_${randomBytes(12).toString('hex')}`,
      object: 'batch',
      endpoint,
      errors: null,
      input_file_id: inputFileId,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: created,
      in_progress_at: null,
      expires_at: created + 24 * 3600,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: (request.metadata as Record<string, string> | undefined) ?? null,
    };
    batches.set(batch.id, batch);
    return ok(batch);
  }

  /** One step per poll, as the real service reports progress between retrieves. */
  function advance(batch: StoredBatch, answer: AnswerFunction | undefined): void {
    switch (batch.status) {
      case 'validating': {
        const errors = validateLines(batch);
        if (errors.length > 0) {
          batch.status = 'failed';
          batch.failed_at = now();
          batch.errors = { object: 'list', data: errors };
          return;
        }
        batch.status = 'in_progress';
        batch.in_progress_at = now();
        batch.request_counts.total = linesOf(batch).length;
        return;
      }
      case 'in_progress':
        run(batch, answer);
        batch.status = 'finalizing';
        batch.finalizing_at = now();
        return;
      case 'finalizing':
        batch.status = 'completed';
        batch.completed_at = now();
        return;
      case 'cancelling':
        batch.status = 'cancelled';
        batch.cancelled_at = now();
        return;
      default:
        return;
    }
  }

  function linesOf(batch: StoredBatch): string[] {
    return (files.get(batch.input_file_id)?.content ?? '')
      .split('\n')
      .filter((line) => line.trim() !== '');
  }

  function validateLines(batch: StoredBatch): NonNullable<StoredBatch['errors']>['data'] {
    const lines = linesOf(batch);
    if (lines.length > maxLines) {
      return [
        {
          code: 'too_many_requests',
          message: `A batch may hold at most ${maxLines} requests.`,
          param: null,
          line: null,
        },
      ];
    }
    const seen = new Set<string>();
    const errors: NonNullable<StoredBatch['errors']>['data'] = [];
    lines.forEach((text, index) => {
      const line = index + 1;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        errors.push({
          code: 'invalid_json_line',
          message: 'This line is not parseable as valid JSON.',
          param: null,
          line,
        });
        return;
      }
      const customId = parsed.custom_id;
      if (typeof customId !== 'string') {
        errors.push({
          code: 'missing_required_parameter',
          message: "Missing required parameter: 'custom_id'.",
          param: 'custom_id',
          line,
        });
      } else if (seen.has(customId)) {
        errors.push({
          code: 'duplicate_custom_id',
          message: 'The custom_id for this request is a duplicate of another request.',
          param: 'custom_id',
          line,
        });
      } else seen.add(customId);
      if (parsed.method !== 'POST') {
        errors.push({
          code: 'invalid_value',
          message: "Invalid value for 'method': only POST is supported.",
          param: 'method',
          line,
        });
      }
      if (parsed.url !== batch.endpoint) {
        errors.push({
          code: 'mismatched_url',
          message: `The url of this request does not match the batch's endpoint ${batch.endpoint}.`,
          param: 'url',
          line,
        });
      }
      const model = (parsed.body as { model?: unknown } | undefined)?.model;
      if (typeof model !== 'string') {
        errors.push({
          code: 'missing_required_parameter',
          message: "Missing required parameter: 'body.model'.",
          param: 'body.model',
          line,
        });
      }
    });
    return errors;
  }

  function run(batch: StoredBatch, answer: AnswerFunction | undefined): void {
    const output: string[] = [];
    const failed: string[] = [];
    for (const text of linesOf(batch)) {
      const line = JSON.parse(text) as { custom_id: string; body: unknown };
      const reply = answerLine(line.body, answer);
      const record = JSON.stringify({
        id: `batch_req_${randomBytes(12).toString('hex')}`,
        custom_id: line.custom_id,
        response: {
          status_code: reply.status,
          request_id: randomBytes(16).toString('hex'),
          body: reply.body,
        },
        error: null,
      });
      (reply.status === 200 ? output : failed).push(record);
    }
    batch.request_counts.completed = output.length;
    batch.request_counts.failed = failed.length;
    if (output.length > 0) batch.output_file_id = storeResult(`${batch.id}_output.jsonl`, output);
    if (failed.length > 0) batch.error_file_id = storeResult(`${batch.id}_error.jsonl`, failed);
  }

  function storeResult(filename: string, lines: string[]): string {
    const id = `file-${randomBytes(12).toString('hex')}`;
    const content = `${lines.join('\n')}\n`;
    files.set(id, {
      id,
      object: 'file',
      bytes: Buffer.byteLength(content),
      created_at: now(),
      filename,
      purpose: 'batch_output',
      status: 'processed',
      expires_at: null,
      status_details: null,
      content,
    });
    return id;
  }

  return {
    serves: (call) =>
      call.path === '/v1/files' ||
      call.path.startsWith('/v1/files/') ||
      call.path === '/v1/batches' ||
      call.path.startsWith('/v1/batches/'),
    handle,
  };
}

interface Part {
  name: string;
  filename?: string;
  content: string;
}

/** Enough of RFC 7578 for what the SDK sends: named parts, an optional filename, text content. */
function readMultipart(body: string, boundary: string): Part[] {
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .flatMap((chunk) => {
      const split = chunk.indexOf('\r\n\r\n');
      if (split < 0) return [];
      const head = chunk.slice(0, split);
      const name = /name="([^"]*)"/.exec(head)?.[1];
      if (name === undefined) return [];
      const filename = /filename="([^"]*)"/.exec(head)?.[1];
      // Each part ends with the CRLF that precedes the next boundary.
      const content = chunk.slice(split + 4).replace(/\r\n$/, '');
      return [{ name, ...(filename !== undefined ? { filename } : {}), content }];
    });
}

function ok(body: unknown): StandInReply {
  return { status: 200, headers: { 'x-request-id': requestId() }, body };
}

function invalid(
  message: string,
  param: string | null,
  code: string | null,
  status = 400,
): StandInReply {
  return {
    status,
    headers: { 'x-request-id': requestId() },
    body: { error: { message, type: 'invalid_request_error', param, code } },
  };
}

function notFound(message: string, param: string | null): StandInReply {
  return invalid(message, param, null, 404);
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function requestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}
