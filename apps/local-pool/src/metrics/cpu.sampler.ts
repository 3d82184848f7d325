import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every mainstream Linux build (USER_HZ). */
const USER_HZ = 100;

function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces, so split after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return null;
  }
}

/**
 * Average CPU use of the ready copies, in percent of one core, as HPA's averageUtilization computes it across
 * pods. Read from /proc, so the copies need not report anything; elsewhere than Linux it reports nothing.
 */
export class CpuSampler {
  private previous = new Map<number, { cpu: number; at: number }>();

  sample(pids: number[]): number | null {
    const now = performance.now();
    const next = new Map<number, { cpu: number; at: number }>();
    const utilisations: number[] = [];
    for (const pid of pids) {
      const cpu = cpuSeconds(pid);
      if (cpu === null) continue;
      next.set(pid, { cpu, at: now });
      const before = this.previous.get(pid);
      if (before && now > before.at) utilisations.push((100 * (cpu - before.cpu)) / ((now - before.at) / 1000));
    }
    this.previous = next;
    if (utilisations.length === 0) return null;
    return utilisations.reduce((a, b) => a + b, 0) / utilisations.length;
  }
}
