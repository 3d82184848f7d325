const VALUE = '{{value}}';
const BOOLEAN = '{{value:boolean}}';

/**
 * The setting's body template with the decided value put in: a string that is exactly `{{value}}` becomes the
 * number (so `{"limitPerSecond": "{{value}}"}` sends a JSON number), `{{value:boolean}}` becomes value != 0 (a
 * circuit breaker's `open`), and `{{value}}` inside a longer string is replaced as text.
 */
export function renderBody(template: unknown, value: number): unknown {
  if (template === VALUE) return value;
  if (template === BOOLEAN) return value !== 0;
  if (typeof template === 'string') return template.replaceAll(VALUE, String(value));
  if (Array.isArray(template)) return template.map((item) => renderBody(item, value));
  if (template !== null && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([key, item]) => [key, renderBody(item, value)]));
  return template;
}

/** What a read-back found at the pointer, as the number decisions speak: a boolean counts 0/1. */
export function numberOf(found: unknown): number | null {
  if (typeof found === 'boolean') return found ? 1 : 0;
  if (typeof found === 'number' && Number.isFinite(found)) return found;
  if (typeof found === 'string' && found.trim() !== '' && Number.isFinite(Number(found))) return Number(found);
  return null;
}
