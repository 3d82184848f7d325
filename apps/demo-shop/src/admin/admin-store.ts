export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface RememberedChange {
  fingerprint: string;
  response: StoredResponse;
}

/**
 * Where the admin API keeps what operators (and Surge) set, shared by every copy of the shop: the proxy sends an
 * admin request to any one copy, and a read-back may reach another. Values are by name (`rate_limit:<endpoint>`,
 * `degradation`); an idempotency key keeps the first answer to the change it carried.
 */
export interface AdminStore {
  values(): Promise<Record<string, number>>;
  set(name: string, value: number): Promise<void>;
  recall(key: string): Promise<RememberedChange | null>;
  remember(key: string, change: RememberedChange): Promise<void>;
}
