/**
 * The targets a source may write, as globs over target ids (`namespace/name`): `*` matches within one segment
 * (`demo/*` is every target of `demo`, not `demo/a/b`), `**` matches across segments, so `**` alone is every target.
 * Anything else is literal: target ids contain `.` and `-`, which must not mean anything here.
 */
export type TargetMatcher = (target: string) => boolean;

const PATTERN = /^[A-Za-z0-9_.\-:/*]+$/;

export function compileTargetPattern(pattern: string): TargetMatcher {
  if (!PATTERN.test(pattern))
    throw new Error(`"${pattern}" is not a target pattern (letters, digits, _ . - : /, and * or ** as wildcards)`);
  if (pattern === '**') return () => true;
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.\-:/]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (target) => regex.test(target);
}

export function compileTargetPatterns(patterns: readonly string[]): TargetMatcher {
  const matchers = patterns.map(compileTargetPattern);
  if (patterns.includes('**')) return () => true;
  return (target) => matchers.some((matches) => matches(target));
}
