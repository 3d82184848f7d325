export * from './signature-headers';
export * from './keys';
export * from './signer';
export * from './verifier';
export * from './key-list';
export * from './generate';
export * from './signer-roles';
export * from './key-set';
