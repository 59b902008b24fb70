export { defaultAllowedHosts, hostAllowList } from './host-allow-list.ts';
