export { crossOriginGuard } from './cross-origin-guard.ts';
