/**
 * @module
 * `@teacher-gateway/client`: the typed SDK and the contract of the teacher gateway.
 */
export * from './contract/index.ts';
export { createClient } from './create-client.ts';
export type { ClientOptions, GatewayClient } from './create-client.ts';
export { GatewayApiError } from './errors/gateway-api-error.ts';
export type { ClientErrorCode, GatewayApiErrorOptions } from './errors/gateway-api-error.ts';
export { encodeRgbPng } from './images/encode-rgb-png.ts';
export { rgbToPngDataUrl } from './images/rgb-to-png-data-url.ts';
export { sha256Hex } from './images/sha256-hex.ts';
export { toImageBytes } from './images/to-image-bytes.ts';
export type { RgbImage } from './images/rgb-image.ts';
export type { ImageSource } from './images/image-source.ts';
export { createTeacher } from './teacher/create-teacher.ts';
export type { TeacherDependencies } from './teacher/create-teacher.ts';
export { createBatchScheduler } from './teacher/create-batch-scheduler.ts';
export type { BatchSchedulerOptions, ItemOutcome } from './teacher/create-batch-scheduler.ts';
export type {
  Teacher,
  TeacherCallOptions,
  TeacherObservation,
  TeacherOptions,
} from './teacher/teacher.ts';
export { createUndiciTransport } from './transport/create-undici-transport.ts';
export { createFetchTransport } from './transport/create-fetch-transport.ts';
export type { FetchFunction } from './transport/create-fetch-transport.ts';
export type { Transport, TransportRequest, TransportResponse } from './transport/transport.ts';
export { parseRetryAfter } from './retry/parse-retry-after.ts';
export { retryDelayMs } from './retry/retry-delay-ms.ts';
