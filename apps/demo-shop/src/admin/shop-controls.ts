import { TokenBucket } from './token-bucket';

/** The shop's endpoints an operator can limit, and what each is to the shop. */
export const SHOP_ENDPOINTS = {
  reserve: 'write',
  events: 'essential',
  recommendations: 'non-essential',
} as const;
export type ShopEndpoint = keyof typeof SHOP_ENDPOINTS;

/** 0 normal, 1 non-essential pages off, 2 also read-only (no reservations): the load-shedding ladder. */
export const DEGRADATION_LEVELS = [0, 1, 2] as const;
export type DegradationLevel = (typeof DEGRADATION_LEVELS)[number];

export type Refusal = { status: 429 | 503; body: { error: string; message: string } };

export function isShopEndpoint(name: string): name is ShopEndpoint {
  return Object.hasOwn(SHOP_ENDPOINTS, name);
}

/** The admin store's names of the settings. */
export const rateLimitName = (endpoint: ShopEndpoint) => `rate_limit:${endpoint}`;
export const DEGRADATION = 'degradation';
/** The demo's fault switch: the share (percent) of event pages that fail, as a broken dependency would. */
export const FAULT = 'fault_error_percent';

/**
 * The live load-shedding state of one shop copy: a rate limit per endpoint (each copy takes that many per second)
 * and the degradation level, brought in line with the shared admin store by `sync`.
 */
export class ShopControls {
  private readonly buckets: Record<ShopEndpoint, TokenBucket>;
  private level: DegradationLevel = 0;
  private faultPercent: number;

  constructor(
    private readonly defaultLimitPerSecond: number,
    now?: () => number,
    private readonly defaultFaultPercent = 0,
  ) {
    this.faultPercent = defaultFaultPercent;
    const bucket = () => new TokenBucket(defaultLimitPerSecond, now);
    this.buckets = { reserve: bucket(), events: bucket(), recommendations: bucket() };
  }

  rateLimit(endpoint: ShopEndpoint): number {
    return this.buckets[endpoint].limit;
  }

  setRateLimit(endpoint: ShopEndpoint, limitPerSecond: number): void {
    this.buckets[endpoint].setLimit(limitPerSecond);
  }

  degradation(): DegradationLevel {
    return this.level;
  }

  setDegradation(level: DegradationLevel): void {
    this.level = level;
  }

  faultErrorPercent(): number {
    return this.faultPercent;
  }

  /** Whether this request is one the demo fault fails: capacity has no say in it. */
  faulted(random: () => number = Math.random): boolean {
    return this.faultPercent > 0 && random() * 100 < this.faultPercent;
  }

  /** A setting the store does not hold is at its default: nobody changed it yet. */
  sync(values: Record<string, number>): void {
    for (const endpoint of Object.keys(this.buckets) as ShopEndpoint[]) {
      const limit = values[rateLimitName(endpoint)] ?? this.defaultLimitPerSecond;
      if (limit !== this.rateLimit(endpoint)) this.setRateLimit(endpoint, limit);
    }
    const level = values[DEGRADATION] ?? 0;
    if ((DEGRADATION_LEVELS as readonly number[]).includes(level)) this.level = level as DegradationLevel;
    this.faultPercent = values[FAULT] ?? this.defaultFaultPercent;
  }

  /** Null when the request may go on; the degradation level is checked first so a shed page costs no token. */
  admit(endpoint: ShopEndpoint): Refusal | null {
    const role = SHOP_ENDPOINTS[endpoint];
    if ((role === 'non-essential' && this.level >= 1) || (role === 'write' && this.level >= 2))
      return {
        status: 503,
        body: { error: 'degraded', message: `${endpoint} is off at degradation level ${this.level}` },
      };
    if (!this.buckets[endpoint].tryTake())
      return {
        status: 429,
        body: { error: 'rate_limited', message: `${endpoint} is limited to ${this.rateLimit(endpoint)}/s` },
      };
    return null;
  }
}
