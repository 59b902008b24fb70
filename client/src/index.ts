/**
 * @module
 * `@teacher-gateway/client`: the typed SDK and the contract of the teacher gateway.
 */
export * from './contract/index.js';
export { createClient } from './create-client.js';
export type { ClientOptions, GatewayClient } from './create-client.js';
export { GatewayApiError } from './errors/gateway-api-error.js';
export type { ClientErrorCode, GatewayApiErrorOptions } from './errors/gateway-api-error.js';
export { encodeRgbPng } from './images/encode-rgb-png.js';
export { rgbToPngDataUrl } from './images/rgb-to-png-data-url.js';
export { sha256Hex } from './images/sha256-hex.js';
export { toImageBytes } from './images/to-image-bytes.js';
export type { RgbImage } from './images/rgb-image.js';
export type { ImageSource } from './images/image-source.js';
export { createTeacher } from './teacher/create-teacher.js';
export type { TeacherDependencies } from './teacher/create-teacher.js';
export { createBatchScheduler } from './teacher/create-batch-scheduler.js';
export type { BatchSchedulerOptions, ItemOutcome } from './teacher/create-batch-scheduler.js';
export type {
  Teacher,
  TeacherCallOptions,
  TeacherObservation,
  TeacherOptions,
} from './teacher/teacher.js';
export { createUndiciTransport } from './transport/create-undici-transport.js';
export { createFetchTransport } from './transport/create-fetch-transport.js';
export type { FetchFunction } from './transport/create-fetch-transport.js';
export type { Transport, TransportRequest, TransportResponse } from './transport/transport.js';
export { parseRetryAfter } from './retry/parse-retry-after.js';
export { retryDelayMs } from './retry/retry-delay-ms.js';
