import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReceiversFile } from './load-receivers';

const repo = path.resolve(__dirname, '../../../..');

describe('the receivers files the deploy files mount', () => {
  it.each(['deploy/compose/notifier-receivers.yaml', 'k8s/base/config/notifier/receivers.yaml'])(
    '%s is valid and sends to Alertmanager',
    (file) => {
      expect(readReceiversFile(path.join(repo, file)).map((r) => r.type)).toEqual(['alertmanager']);
    },
  );
});
