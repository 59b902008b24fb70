export { bodySizeLimit } from './body-size-limit.ts';
