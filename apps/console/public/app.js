// Surge console: plain JavaScript, no build step. State is rebuilt from audit events: the first page from
// GET /v1/audit/events, then every new row from the SSE stream.
(() => {
  'use strict';
  const HOUR_MS = 3600_000;
  const state = { events: new Map(), selected: null, charts: new Map() };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('data-')) node.setAttribute(key, value);
      else if (key === 'onclick') node.addEventListener('click', value);
      else node[key] = value;
    }
    for (const child of children)
      node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
    return node;
  }

  // The session's CSRF token: every change made with the cookie must carry it (see POST /v1/session).
  let csrfToken = null;
  // The operator's role: a viewer sees a step awaiting approval, an operator or admin may answer it.
  let role = 'viewer';

  async function api(path, options = {}) {
    const changes = options.method && options.method !== 'GET';
    const response = await fetch(path, {
      credentials: 'same-origin',
      ...options,
      headers: {
        'content-type': 'application/json',
        ...(changes && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
    });
    if (response.status === 401) throw Object.assign(new Error('unauthorized'), { status: 401 });
    const body = response.status === 204 ? null : await response.json();
    if (!response.ok) throw new Error(body?.message ?? `HTTP ${response.status}`);
    return body;
  }

  const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour12: false });
  const duration = (ms) =>
    ms == null
      ? '–'
      : ms < 1000
        ? `${ms} ms`
        : ms < 60_000
          ? `${(ms / 1000).toFixed(1)} s`
          : `${Math.round(ms / 60_000)} min`;

  function sorted(filter) {
    return [...state.events.values()]
      .filter(filter)
      .sort((a, b) => b.time.localeCompare(a.time) || Number(b.id) - Number(a.id));
  }

  // Pause and dry-run state, global and per policy, replayed oldest first from the control events.
  function controlState() {
    const result = { paused: false, dryRun: false, policies: new Map() };
    for (const event of sorted((e) => e.type.startsWith('control.')).reverse()) {
      const scope = event.policy ? (result.policies.get(event.policy) ?? { paused: false, dryRun: false }) : result;
      // A pause past its expiry no longer holds, even before the control plane's resume is seen.
      if (event.type === 'control.pause') scope.paused = !(event.payload.until <= Date.now());
      if (event.type === 'control.resume') scope.paused = false;
      if (event.type === 'control.dry-run-on') scope.dryRun = true;
      if (event.type === 'control.dry-run-off') scope.dryRun = false;
      if (event.policy) result.policies.set(event.policy, scope);
    }
    return result;
  }

  function renderTargets(controls) {
    const decisions = sorted((e) => e.type === 'decision');
    const actions = sorted((e) => e.type === 'action');
    const byTarget = new Map();
    for (const d of decisions) if (!byTarget.has(d.target.id)) byTarget.set(d.target.id, d);
    const container = $('targets');
    if (byTarget.size === 0) return;
    container.replaceChildren();
    for (const [targetId, latest] of byTarget) {
      const decision = latest.payload;
      const applied = actions.find((a) => a.target?.id === targetId && a.status === 'applied');
      const current = applied ? applied.payload.after : decision.from;
      const policy = controls.policies.get(decision.policy) ?? {};
      const flags = [];
      if (controls.paused || policy.paused) flags.push(el('span', { class: 'badge paused' }, 'paused'));
      if (controls.dryRun || policy.dryRun || decision.dryRun)
        flags.push(el('span', { class: 'badge dry' }, 'dry-run'));
      const chart = el('div', { class: 'chart' });
      container.append(
        el(
          'div',
          { class: 'card', 'data-testid': 'target-card' },
          el('strong', {}, targetId),
          ' ',
          el('span', { class: 'muted' }, `${decision.setting} · policy ${decision.policy}`),
          ' ',
          ...flags,
          el('div', { class: 'values' }, `current ${current} → desired ${decision.to}`),
          chart,
        ),
      );
      drawChart(
        chart,
        targetId,
        decisions.filter((d) => d.target.id === targetId),
      );
    }
  }

  // Desired value against the driving metric over the last hour, both from the decisions' explanations.
  function drawChart(container, targetId, decisions) {
    if (typeof uPlot === 'undefined') return;
    const now = Date.now();
    const since = now - HOUR_MS;
    const points = decisions.filter((d) => Date.parse(d.time) >= since).reverse();
    if (points.length === 0) return;
    const metricName = points[points.length - 1].payload.explanation.metrics?.[0]?.metric ?? 'metric';
    const xs = points.map((d) => Date.parse(d.time) / 1000);
    const desired = points.map((d) => d.payload.to);
    const metric = points.map(
      (d) => d.payload.explanation.metrics?.find((m) => m.metric === metricName)?.value ?? null,
    );
    state.charts.get(targetId)?.destroy();
    const chart = new uPlot(
      {
        width: 300,
        height: 120,
        legend: { show: true },
        scales: { x: { time: true, range: () => [since / 1000, now / 1000] }, metric: {} },
        axes: [
          { stroke: '#8b98a5' },
          { stroke: '#8b98a5' },
          { side: 1, scale: 'metric', stroke: '#8b98a5', grid: { show: false } },
        ],
        series: [
          {},
          { label: 'desired', stroke: '#4aa3ff', width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
          { label: metricName, stroke: '#d29922', scale: 'metric' },
        ],
      },
      [xs, desired, metric],
      container,
    );
    state.charts.set(targetId, chart);
  }

  // Alerts (severity as the policy wrote it) and explanations of what was not decided share the decisions' list.
  const TIMELINE_TYPES = new Set(['decision', 'action', 'alert', 'explanation']);

  // A revert after a failed verification is the plan's rollback, and the timeline says so.
  const revertLabel = (plan) =>
    plan.phase !== 'revert' ? '' : plan.verification?.status === 'failed' ? ' (rollback)' : ' (revert)';

  function timelineLine(type, p) {
    if (type === 'decision' && p.plan)
      return `plan ${p.plan.rule} step ${p.plan.step + 1}${revertLabel(p.plan)}: ${p.target.id} ${p.setting} ${p.from} → ${p.to} (${p.policy})`;
    if (type === 'decision')
      return `decision ${p.target.id} ${p.setting} ${p.from} → ${p.to} (${p.policy}${p.dryRun ? ', dry-run' : ''})`;
    if (type === 'alert' && p.labels.alertname === 'SurgePlanApprovalNeeded')
      return `approval ${p.labels.severity} plan ${p.labels.rule} step ${p.plan.step + 1} on ${p.target.id}: ${p.annotations.summary} · deadline ${p.annotations.deadline} `;
    if (type === 'alert') return `alert ${p.labels.severity} ${p.labels.alertname} on ${p.target.id} `;
    if (type === 'explanation') return `not decided ${p.target.id}: ${p.summary}`;
    return `action ${p.target.id} ${p.setting} ${p.before ?? '?'} → ${p.after ?? '?'} `;
  }

  function renderTimeline() {
    const list = $('timeline');
    list.replaceChildren();
    for (const event of sorted((e) => TIMELINE_TYPES.has(e.type)).slice(0, 200)) {
      const p = event.payload;
      const text = timelineLine(event.type, p);
      const item = el(
        'li',
        {
          'data-testid': `timeline-${event.type}`,
          'data-decision': event.decisionId ?? '',
          onclick: () => openDecision(event.decisionId),
        },
        el('span', { class: 'time' }, clock(event.time)),
        text,
        event.type === 'action' || event.type === 'alert'
          ? el('span', { class: `status-${event.status}` }, event.status)
          : '',
        approvalPart(event),
      );
      if (event.decisionId === state.selected) item.classList.add('selected');
      list.append(item);
    }
  }

  // A step waiting for approval (its alert firing): who answered it, or the buttons to answer (operators only).
  function approvalPart(event) {
    const p = event.payload;
    if (event.type !== 'alert' || p.labels?.alertname !== 'SurgePlanApprovalNeeded' || event.status !== 'firing')
      return '';
    const answered = sorted(
      (e) =>
        (e.type === 'control.approve' || e.type === 'control.reject') &&
        e.payload.plan?.runId === p.plan.runId &&
        e.payload.plan?.step === p.plan.step,
    )[0];
    if (answered)
      return el(
        'span',
        { class: 'approval-answer', 'data-testid': 'approval-answer' },
        `${answered.type === 'control.approve' ? 'approved' : 'rejected'} by ${answered.payload.actor}${answered.payload.reason ? `: ${answered.payload.reason}` : ''}`,
      );
    const resolved = sorted((e) => e.type === 'alert' && e.payload.alertId === p.alertId && e.status === 'resolved')[0];
    if (resolved) return el('span', { class: 'approval-answer' }, resolved.payload.annotations.summary);
    if (role === 'viewer')
      return el('span', { class: 'muted', 'data-testid': 'approval-waiting' }, 'waiting for an operator');
    const answer = (verdict) => async (click) => {
      click.stopPropagation();
      const reason = prompt(`Reason to ${verdict} (optional)`) ?? undefined;
      const path = `/v1/control/plans/${encodeURIComponent(p.plan.runId)}/steps/${p.plan.step}/${verdict}`;
      try {
        await api(path, { method: 'POST', body: JSON.stringify(reason ? { reason } : {}) });
      } catch (error) {
        $('control-result').textContent = `failed: ${error.message}`;
      }
    };
    return el(
      'span',
      { class: 'approval-buttons' },
      el('button', { type: 'button', 'data-testid': 'approve', onclick: answer('approve') }, 'Approve'),
      el('button', { type: 'button', 'data-testid': 'reject', onclick: answer('reject') }, 'Reject'),
    );
  }

  async function openDecision(decisionId) {
    if (!decisionId) return;
    state.selected = decisionId;
    renderTimeline();
    const view = await api(`/v1/audit/decisions/${encodeURIComponent(decisionId)}`);
    const box = $('explanation');
    const ex = view.explanation;
    const parts = [
      el(
        'p',
        { 'data-testid': 'explanation-summary' },
        ex?.summary ?? 'No decision record (only its actions were seen).',
      ),
    ];
    if (ex) {
      parts.push(
        el(
          'p',
          { class: 'muted' },
          `trigger ${ex.trigger.kind} ${ex.trigger.name} · raw ${ex.rawRecommendation ?? '–'} · final ${ex.final} · winner ${ex.winner}`,
        ),
      );
      parts.push(el('h3', {}, 'Metrics and recommendations'));
      parts.push(
        table(
          ['Metric', 'Value', 'Target', 'Recommendation'],
          ex.metrics.map((m) => [m.metric, m.value, m.target ?? '', m.recommendation]),
          'explanation-metrics',
        ),
      );
      if (ex.rules.length)
        parts.push(
          el('h3', {}, 'Rules'),
          table(
            ['Rule', 'Fired', 'Detail'],
            ex.rules.map((r) => [r.name, r.fired ? 'yes' : 'no', r.detail ?? '']),
            'explanation-rules',
          ),
        );
      parts.push(el('h3', {}, 'Constraints applied'));
      parts.push(
        table(
          ['Constraint', 'Before', 'After', 'Detail'],
          ex.constraints.map((c) => [c.name, c.before, c.after, c.detail ?? '']),
          'explanation-constraints',
        ),
      );
    }
    parts.push(el('h3', {}, 'Action results'));
    parts.push(
      table(
        ['Time', 'Executor', 'Status', 'Before → after', 'Verified', 'Duration', 'Error'],
        view.actions.map((a) => [
          clock(a.time),
          a.payload.executor,
          a.status,
          `${a.payload.before} → ${a.payload.after}`,
          a.payload.verified ?? '–',
          duration(a.payload.durationMs),
          a.payload.error ?? '',
        ]),
        'explanation-actions',
      ),
    );
    const plan = view.decision?.payload?.plan;
    if (plan) parts.push(...(await planRunParts(plan)));
    box.replaceChildren(...parts);
  }

  // A decision that is a plan's step is shown with its whole run: every step, in order, with its outcome, the
  // verification where it was judged (after the last step) and a failed one's rollback moves named as such.
  async function planRunParts(plan) {
    const run = await api(`/v1/audit/plans/${encodeURIComponent(plan.runId)}`);
    const check = run.verification;
    const rows = [];
    for (const step of run.steps) {
      const d = step.decision?.payload;
      if (check && step.phase === 'revert' && !rows.some((r) => r.verification)) rows.push(verificationRow(check));
      const phase = step.phase === 'revert' && check?.status === 'failed' ? 'rollback' : step.phase;
      rows.push([
        step.step + 1,
        phase,
        d?.target.id ?? step.actions[0]?.payload.target.id ?? '?',
        d?.setting ?? step.actions[0]?.payload.setting ?? '?',
        d ? `${d.from} → ${d.to}` : '–',
        step.status ?? 'awaiting result',
      ]);
    }
    if (check && !rows.some((r) => r.verification)) rows.push(verificationRow(check));
    const parts = [
      el('h3', {}, `Plan run: rule ${run.rule} of ${run.policyTarget}`),
      table(['Step', 'Phase', 'Target', 'Setting', 'From → to', 'Result'], rows, 'explanation-plan-run'),
    ];
    if (check) {
      const keys = [...Object.keys(check.before), ...Object.keys(check.after)];
      const names = [...new Set(keys.map((name) => name.replace(/^before_/, '')))];
      parts.push(
        el('h3', {}, `Verification ${check.status} at ${clock(check.checkedAt)}`),
        el('p', { class: 'muted', 'data-testid': 'plan-verification-expr' }, check.expr),
        table(
          ['Metric', 'When the run started', 'At the check'],
          names.map((metric) => [metric, check.before[`before_${metric}`] ?? '–', check.after[metric] ?? '–']),
          'plan-verification',
        ),
      );
    }
    if (run.alerts?.length)
      parts.push(
        el('h3', {}, 'Notifications'),
        table(
          ['Time', 'Alert', 'Status', 'Summary'],
          run.alerts.map((a) => [clock(a.time), a.payload.labels.alertname, a.status, a.payload.annotations.summary]),
          'plan-alerts',
        ),
      );
    return parts;
  }

  function verificationRow(check) {
    const row = ['–', 'verify', '', '', check.expr, check.status];
    row.verification = true;
    return row;
  }

  function table(headers, rows, testId) {
    return el(
      'table',
      { class: 'grid', 'data-testid': testId },
      el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', {}, cell))))),
    );
  }

  function renderRooms() {
    const latest = new Map();
    const admissions = new Map();
    for (const event of sorted((e) => e.type.startsWith('queue.'))) {
      const room = event.payload.room;
      if (!latest.has(room)) latest.set(room, event.payload);
      if (event.type === 'queue.admissions' && !admissions.has(room)) admissions.set(room, event.payload);
    }
    $('rooms').replaceChildren(
      ...[...latest].map(([room, q]) => {
        const a = admissions.get(room);
        const rate =
          a?.admitted != null && a.intervalMs
            ? Math.round((a.admitted * 60_000) / a.intervalMs)
            : (q.admitPerMinute ?? '–');
        return el(
          'tr',
          { 'data-testid': 'room-row' },
          ...[
            room,
            q.mode ?? '–',
            q.waiting ?? a?.waiting ?? '–',
            q.active ?? a?.active ?? '–',
            rate,
            duration(q.oldestWaitMs ?? a?.oldestWaitMs),
          ].map((c) => el('td', {}, c)),
        );
      }),
    );
  }

  async function renderDeadLetters() {
    const summary = await api('/v1/audit/deadletters/summary');
    $('dl-count').textContent = String(summary.count);
    $('dl-recent').replaceChildren(
      ...summary.recent.map((e) =>
        el(
          'li',
          {},
          el('span', { class: 'time' }, clock(e.time)),
          `${e.payload.reason} · ${e.payload.source.topic} · ${e.payload.error}`,
        ),
      ),
    );
  }

  function renderControls(controls) {
    const policies = new Set([...controls.policies.keys()]);
    for (const e of state.events.values()) if (e.policy) policies.add(e.policy);
    const select = $('control-policy');
    const chosen = select.value;
    select.replaceChildren(
      el('option', { value: '' }, 'all policies'),
      ...[...policies].sort().map((p) => el('option', { value: p }, p)),
    );
    select.value = chosen;
    const badge = $('global-state');
    badge.textContent = [controls.paused ? 'paused' : 'running', controls.dryRun ? 'dry-run' : '']
      .filter(Boolean)
      .join(' · ');
    badge.className = `badge ${controls.paused ? 'paused' : 'on'}`;
    $('control-events').replaceChildren(
      ...sorted((e) => e.type.startsWith('control.'))
        .slice(0, 50)
        .map((e) =>
          el(
            'li',
            { 'data-testid': 'control-event' },
            el('span', { class: 'time' }, clock(e.time)),
            `${e.type.slice(8)} ${e.payload.plan ? `plan run ${e.payload.plan.runId} step ${e.payload.plan.step + 1}` : (e.policy ?? '(global)')}${e.payload.until ? ` until ${clock(e.payload.until)}` : ''} by ${e.payload.actor}${e.payload.reason ? `: ${e.payload.reason}` : ''}`,
          ),
        ),
    );
  }

  let renderQueued = false;
  function render() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      const controls = controlState();
      renderControls(controls);
      renderTargets(controls);
      renderTimeline();
      renderRooms();
    });
  }

  function add(event) {
    state.events.set(event.id, event);
  }

  function connectStream() {
    const source = new EventSource('/v1/audit/stream', { withCredentials: true });
    source.addEventListener('open', () => {
      $('live').textContent = 'live';
      $('live').className = 'badge on';
    });
    source.addEventListener('error', () => {
      $('live').textContent = 'reconnecting';
      $('live').className = 'badge off';
    });
    source.addEventListener('audit', (message) => {
      const event = JSON.parse(message.data);
      add(event);
      if (event.type === 'deadletter') void renderDeadLetters();
      if (event.decisionId && event.decisionId === state.selected) void openDecision(state.selected);
      render();
    });
  }

  function signedIn(session) {
    csrfToken = session.csrfToken;
    role = session.role;
    $('operator').textContent = `${session.operator} (${session.role})`;
    $('operator').hidden = false;
    $('signout').hidden = false;
  }

  async function start() {
    signedIn(await api('/v1/session'));
    const page = await api('/v1/audit/events?limit=500');
    page.events.forEach(add);
    $('signin').hidden = true;
    $('app').hidden = false;
    connectStream();
    render();
    await renderDeadLetters();
  }

  document.querySelectorAll('[data-action]').forEach((button) =>
    button.addEventListener('click', async () => {
      const policy = $('control-policy').value || undefined;
      const forSeconds =
        button.dataset.action === 'pause' && $('control-for').value ? Number($('control-for').value) : undefined;
      try {
        const result = await api(`/v1/control/${button.dataset.action}`, {
          method: 'POST',
          body: JSON.stringify({ policy, forSeconds }),
        });
        $('control-result').textContent = `published ${result.published.type} ${result.published.policy ?? '(global)'}`;
      } catch (error) {
        $('control-result').textContent = `failed: ${error.message}`;
      }
    }),
  );

  $('signin-form').addEventListener('submit', async (submit) => {
    submit.preventDefault();
    try {
      await api('/v1/session', { method: 'POST', body: JSON.stringify({ token: $('token').value }) });
      await start();
    } catch (error) {
      $('signin-error').textContent = error.status === 401 ? 'Wrong token.' : error.message;
    }
  });

  $('signout').addEventListener('click', async () => {
    await api('/v1/session/logout', { method: 'POST', body: '{}' }).catch(() => undefined);
    location.reload();
  });

  start().catch((error) => {
    if (error.status !== 401) console.error(error);
    $('signin').hidden = false;
  });
})();
