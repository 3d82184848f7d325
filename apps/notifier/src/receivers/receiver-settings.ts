import type { ReceiverMatch, ReceiverType } from './receivers-file.schema';

/** One receiver as the notifier runs it: the file's entry with its secret read. */
export interface ReceiverSettings {
  name: string;
  type: ReceiverType;
  url: string;
  /** The secret file's content, trimmed; absent for alertmanager. */
  secret?: string;
  match: ReceiverMatch;
}
