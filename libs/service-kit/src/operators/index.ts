export * from './operator';
export * from './operator-registry';
export * from './operators-file';
export * from './require-role.decorator';
export * from './console-sessions';
