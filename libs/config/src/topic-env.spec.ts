import { DEFAULT_TOPICS, TOPIC_ENV_NAMES, type TopicKey } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeConfig, kafkaEnv, loadConfig, topicEnvFor, topicsFrom } from './index';

const schema = z.object(kafkaEnv);
const load = (env: Record<string, string>) => loadConfig('test', schema, { KAFKA_BROKERS: 'k:9092', ...env });

describe('topic names in the config', () => {
  it('declares one variable per topic of the contracts table, defaulting to its name there', () => {
    const rows = new Map(describeConfig(schema).map((row) => [row.name, row]));
    for (const key of Object.keys(DEFAULT_TOPICS) as TopicKey[]) {
      const row = rows.get(TOPIC_ENV_NAMES[key]);
      expect(row, TOPIC_ENV_NAMES[key]).toMatchObject({
        required: false,
        default: JSON.stringify(DEFAULT_TOPICS[key]),
      });
      expect(row!.description).not.toBe('');
    }
  });

  it('gives the Topics in force: the defaults, each overridden by its variable, an empty value meaning unset', () => {
    expect(topicsFrom(load({}))).toEqual(DEFAULT_TOPICS);
    const topics = topicsFrom(load({ SURGE_TOPIC_DECISIONS: 'x.decisions', SURGE_TOPIC_SAMPLES: '' }));
    expect(topics).toEqual({ ...DEFAULT_TOPICS, decisions: 'x.decisions' });
    expect(topicsFrom(load({ SURGE_TOPIC_OBSERVED: 'x.observed' })).observed).toBe('x.observed');
  });

  it('names the Topics back as the variables that load them', () => {
    const topics = { ...DEFAULT_TOPICS, decisions: 'x.decisions', observed: 'x.observed' };
    expect(topicsFrom(load({ ...topicEnvFor(topics) }))).toEqual(topics);
  });
});
