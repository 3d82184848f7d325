import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';

// Found by `npm run fuzz`: the page declares text/html, and the error filter's JSON object could not be sent as
// that, so every refused room name came back as a 500.
describe('the waiting page answers a bad room name with a JSON 400', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it.each(['VH', '%3B)', 'a%00b', '-1'])('GET /rooms/%s', async (room) => {
    const response = await t.call('GET', `/rooms/${room}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(((await response.json()) as { error: string }).error).toBeTruthy();
  });

  it('still serves the page for a good name', async () => {
    const response = await t.call('GET', '/rooms/shop');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
  });
});
