import { metricSample } from '@surge/contracts';
import { z } from 'zod';

/**
 * What `POST /v1/samples` accepts, for its OpenAPI document. SampleBatchValidator checks each sample against
 * the same `metricSample` contract (with a faster path for the common shape), then the limits of the config.
 */
export const sampleBatchSchema = z.object({
  samples: z.array(metricSample).min(1).describe('Every sample is taken, or none: a 400 lists every bad field'),
});
