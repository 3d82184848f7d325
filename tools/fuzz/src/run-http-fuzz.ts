import { httpEndpoints } from './endpoints';
import { type EndpointTally, fuzzEndpoint } from './http-fuzzer';
import { startFuzzServices } from './services';

/** Starts the services, fuzzes each endpoint in turn, stops them; `onTally` sees each endpoint as it finishes. */
export async function runHttpFuzz(
  options: { count: number; seed: number; concurrency: number; only?: string },
  onTally: (tally: EndpointTally) => void = () => undefined,
): Promise<EndpointTally[]> {
  const services = await startFuzzServices();
  try {
    const tallies: EndpointTally[] = [];
    for (const [i, endpoint] of httpEndpoints(services).entries()) {
      // The seed stays the endpoint's place in the full list, so a filtered run replays the same inputs.
      if (options.only && !endpoint.name.includes(options.only)) continue;
      const tally = await fuzzEndpoint(endpoint, { ...options, seed: options.seed + i });
      tallies.push(tally);
      onTally(tally);
    }
    return tallies;
  } finally {
    await services.close();
  }
}
