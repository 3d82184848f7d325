export type AdmissionVerdict = { valid: true } | { valid: false; reason: string };

/**
 * Asks the virtual queue whether an admission token is good right now, and spends it: the queue redeems the
 * admission (redeem: true), so one admission buys one reservation however often its token is replayed. Online
 * rather than offline (JWKS) because the queue also knows whether the buyer's session is still live and whether the
 * admission was already redeemed, which a signature alone cannot tell.
 */
export class AdmissionVerifier {
  constructor(
    private readonly queueUrl: string,
    private readonly room: string,
    private readonly audience: string,
    private readonly timeoutMs = 2000,
  ) {}

  async verify(token: string | undefined): Promise<AdmissionVerdict> {
    if (!token) return { valid: false, reason: 'missing_token' };
    const response = await fetch(new URL('/v1/tokens/verify', this.queueUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, room: this.room, audience: this.audience, redeem: true }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (response.status >= 500) throw new Error(`virtual queue answered ${response.status} to token verification`);
    const body = (await response.json().catch(() => ({}))) as { valid?: boolean; reason?: string };
    return body.valid === true ? { valid: true } : { valid: false, reason: body.reason ?? `status_${response.status}` };
  }
}
