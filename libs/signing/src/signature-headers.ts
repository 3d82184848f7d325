/** The Kafka headers that carry a steering message's signature; both cover the exact value bytes, nothing else. */
export const SIGNATURE_HEADER = 'surge-signature';
export const KEY_ID_HEADER = 'surge-key-id';
