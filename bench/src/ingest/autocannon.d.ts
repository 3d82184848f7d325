// The part of autocannon's API the benches use; the package ships no types and @types/autocannon is not installed.
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      connections?: number;
      pipelining?: number;
      duration?: number;
      amount?: number;
    }
    interface Histogram {
      p50: number;
      p90: number;
      p99: number;
      average: number;
      max: number;
    }
    interface Result {
      '2xx': number;
      non2xx: number;
      errors: number;
      timeouts: number;
      start: string | Date;
      finish: string | Date;
      latency: Histogram;
      requests: Histogram & { total: number };
    }
  }
  function autocannon(
    options: autocannon.Options,
    callback: (error: Error | null, result: autocannon.Result) => void,
  ): unknown;
  export = autocannon;
}
