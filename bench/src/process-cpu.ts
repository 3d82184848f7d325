import fs from 'node:fs';

/**
 * CPU seconds a process has used (user + system), from /proc: unlike throughput, this barely moves when other
 * work shares the machine, so it is the steadier figure of what one sample costs. Linux clock ticks are 100 Hz.
 */
export function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
