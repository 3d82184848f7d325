/**
 * The severities a rule may name, spelled exactly as accepted. Runbooks write them in three vocabularies
 * (Prometheus' info/warning/critical, incident priorities P0–P3, SEV-1–SEV-3); the rule keeps the one its author
 * wrote, so an alert routed on `severity="P1"` receives P1, and only the rank below puts the three side by side.
 */
export const RULE_SEVERITIES = [
  'info',
  'warning',
  'critical',
  'P0',
  'P1',
  'P2',
  'P3',
  'SEV-1',
  'SEV-2',
  'SEV-3',
] as const;

export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

/**
 * The one order of all severities, highest first:
 *
 * | rank | severities              | decision `severity` |
 * |------|-------------------------|---------------------|
 * | 4    | critical, P0, SEV-1     | critical            |
 * | 3    | P1, SEV-2               | critical            |
 * | 2    | P2, SEV-3               | warning             |
 * | 1    | P3, warning             | warning             |
 * | 0    | info                    | info                |
 */
export const SEVERITY_RANK: Readonly<Record<RuleSeverity, number>> = {
  critical: 4,
  P0: 4,
  'SEV-1': 4,
  P1: 3,
  'SEV-2': 3,
  P2: 2,
  'SEV-3': 2,
  P3: 1,
  warning: 1,
  info: 0,
};

/** P1's rank: a P1 pages someone, so everything from it up counts as critical where only three levels exist. */
const CRITICAL_FROM = SEVERITY_RANK.P1;

export function severityRank(severity: RuleSeverity): number {
  return SEVERITY_RANK[severity];
}

/** Negative when `a` is less severe than `b`, zero for equal ranks (P0 and critical), positive otherwise. */
export function compareSeverity(a: RuleSeverity, b: RuleSeverity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}

/** The three-level severity of the decision contract, derived from the rank (see the table above). */
export function coarseSeverity(severity: RuleSeverity): 'info' | 'warning' | 'critical' {
  const rank = SEVERITY_RANK[severity];
  return rank >= CRITICAL_FROM ? 'critical' : rank > 0 ? 'warning' : 'info';
}
