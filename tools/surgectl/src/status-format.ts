import type { TargetStatus, TargetStatusList } from '@surge/contracts';
import { textTable } from './text-table';

/** `12s`, `5m`, `2h`: how kubectl prints an age. */
export function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

const when = (time: number | null, now: number) =>
  time === null ? '<none>' : `${new Date(time).toISOString().replace('.000Z', 'Z')} (${age(now - time)} ago)`;

const orUnknown = (value: number | null) => (value === null ? '<unknown>' : String(value));

function field(name: string, value: string): string {
  return `${`${name}:`.padEnd(24)}${value}\n`;
}

function metricsSection(status: TargetStatus): string {
  if (status.metrics.length === 0) return 'Metrics:                <none>\n';
  const rows = status.metrics.map((m) => {
    const unit = m.targetType === 'Utilization' ? '%' : '';
    const value = m.value === null ? '<unknown>' : `${m.value}${unit}`;
    return [
      `${m.metric} (${m.targetType})`,
      `${value} / ${m.target}${unit}`,
      m.recommendation === null ? '-' : String(m.recommendation),
      m.note,
    ];
  });
  return (
    'Metrics:                ( current / target )\n' + textTable(['METRIC', 'VALUE', 'RECOMMENDS', 'NOTE'], rows, '  ')
  );
}

function rulesSection(status: TargetStatus): string {
  if (status.rules.length === 0) return 'Rules:                  <none>\n';
  const rows = status.rules.map((r) => [
    r.name,
    r.severity,
    r.action ?? 'notify',
    r.paused ? 'paused' : r.holding ? `yes, ${age(r.heldSeconds * 1000)} of ${age(r.forSeconds * 1000)}` : 'no',
    r.fired ? 'now' : r.lastFiredAt === null ? 'no' : `${age(status.evaluatedAt - r.lastFiredAt)} ago`,
    r.asks === null ? '-' : String(r.asks),
    r.detail,
  ]);
  return 'Rules:\n' + textTable(['NAME', 'SEVERITY', 'ACTION', 'HOLDING', 'FIRED', 'ASKS', 'DETAIL'], rows, '  ');
}

function conditionsSection(status: TargetStatus): string {
  const rows = status.conditions.map((c) => [c.type, c.status, c.reason, c.message]);
  const rule = ['----', '------', '------', '-------'];
  return 'Conditions:\n' + textTable(['Type', 'Status', 'Reason', 'Message'], [rule, ...rows], '  ');
}

function constraintsSection(status: TargetStatus): string {
  const binding = status.constraints.filter((c) => c.before !== c.after);
  if (binding.length === 0) return '';
  const rows = binding.map((c) => [c.name, `${c.before} → ${c.after}`, c.detail]);
  return 'Constraints:\n' + textTable(['NAME', 'CHANGE', 'DETAIL'], rows, '  ');
}

/** `kubectl describe hpa`'s layout: the fields, a metrics table, the rules, the conditions. */
export function formatTargetStatus(status: TargetStatus, now = Date.now()): string {
  const { policy } = status;
  const flags = [policy.paused && 'paused', policy.dryRun && 'dry-run', status.globalPause && 'globally paused'].filter(
    Boolean,
  );
  return (
    field('Target', `${status.target.kind} ${status.target.id}`) +
    field('Policy', `${policy.name} (version ${policy.version}${policy.source ? `, ${policy.source}` : ''})`) +
    field('Setting', `${policy.setting}, min ${policy.min}, max ${policy.max}`) +
    (flags.length ? field('Controls', flags.join(', ')) : '') +
    field(`Current ${policy.setting}`, orUnknown(status.current)) +
    field(`Desired ${policy.setting}`, orUnknown(status.desired)) +
    field('Last scale time', when(status.lastScaleTime, now)) +
    field('Last evaluated', when(status.lastEvaluatedAt, now)) +
    field('Summary', status.summary) +
    metricsSection(status) +
    rulesSection(status) +
    conditionsSection(status) +
    constraintsSection(status) +
    plansSection(status, now)
  );
}

/** Each plan run as one unit: its phase, then a line per step with what it did. */
function plansSection(status: TargetStatus, now: number): string {
  return (status.plans ?? [])
    .map((plan) => {
      const head = `Plan ${plan.rule}:`.padEnd(24) + `${plan.phase}, started ${when(plan.startedAt, now)}`;
      const why = plan.reason
        ? `; ${plan.reason}`
        : plan.clearedSince !== null
          ? `; clear since ${when(plan.clearedSince, now)}`
          : '';
      const rows = plan.steps.map((step, index) => [
        String(index + 1),
        step.name,
        `${step.target.id} ${step.setting}`,
        step.status,
        step.before === null ? '-' : `${step.before} → ${step.to}`,
        step.holds === null ? '-' : String(step.holds),
        step.outcome ?? '',
      ]);
      return (
        `${head}${why}\n` + textTable(['#', 'STEP', 'SETTING', 'STATUS', 'CHANGE', 'HOLDS', 'OUTCOME'], rows, '  ')
      );
    })
    .join('');
}

/** `kubectl get hpa`'s layout: one line per target. */
export function formatStatusList(list: TargetStatusList): string {
  const note = list.globalPause ? 'every policy is globally paused\n' : '';
  if (list.targets.length === 0) return `${note}no policies in force\n`;
  const rows = list.targets.map((t) => [
    t.target.id,
    t.policy,
    t.setting,
    t.targets,
    String(t.min),
    String(t.max),
    orUnknown(t.current),
    orUnknown(t.desired),
    t.reason,
  ]);
  return (
    note + textTable(['TARGET', 'POLICY', 'SETTING', 'TARGETS', 'MIN', 'MAX', 'CURRENT', 'DESIRED', 'REASON'], rows)
  );
}
