import type { ExecutionContext } from '@nestjs/common';
import { UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AdminAuthGuard, ConsoleSessions, loadOperators } from '@surge/service-kit';
import { describe, expect, it } from 'vitest';
import type { AuditLogConfig } from '../config/audit-log.config';
import { AuditReadGuard } from './audit-read.guard';

const TOKEN = 'read-guard-token-0123456789';

function contextWith(headers: Record<string, string>): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => ({ headers }) }) } as unknown as ExecutionContext;
}

describe('AuditReadGuard', () => {
  const guard = (publicRead: boolean) =>
    new AuditReadGuard(
      new AdminAuthGuard(loadOperators({ adminToken: TOKEN }), new ConsoleSessions(), new Reflector()),
      { SURGE_AUDIT_PUBLIC_READ: publicRead } as AuditLogConfig,
    );

  it('requires the admin token by default', () => {
    expect(() => guard(false).canActivate(contextWith({}))).toThrow(UnauthorizedException);
    expect(guard(false).canActivate(contextWith({ authorization: `Bearer ${TOKEN}` }))).toBe(true);
  });

  it('lets anyone read when SURGE_AUDIT_PUBLIC_READ is on', () => {
    expect(guard(true).canActivate(contextWith({}))).toBe(true);
  });
});
