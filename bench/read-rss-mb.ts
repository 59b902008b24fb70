import { readFileSync } from 'node:fs';

/** A process's resident set in MiB, from /proc (Linux); 0 once the process is gone. */
export function readRssMb(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}
