import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AdminAuthGuard, ConsoleSessions, loadOperators } from '@surge/service-kit';
import { describe, expect, it } from 'vitest';
import { StatusReadGuard } from './status-read.guard';

const TOKEN = 'status-token-0123456789';

function requestWith(authorization?: string): ExecutionContext {
  const request = { headers: authorization === undefined ? {} : { authorization } };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

const guardWith = (token: string) => {
  const operators = loadOperators({ adminToken: token });
  return new StatusReadGuard(new AdminAuthGuard(operators, new ConsoleSessions(), new Reflector()), operators);
};

describe('StatusReadGuard', () => {
  it('lets the admin token through', () => {
    expect(guardWith(TOKEN).canActivate(requestWith(`Bearer ${TOKEN}`))).toBe(true);
  });

  it('refuses a missing or wrong token', () => {
    expect(() => guardWith(TOKEN).canActivate(requestWith())).toThrow(/missing Authorization/);
    expect(() => guardWith(TOKEN).canActivate(requestWith('Bearer nope'))).toThrow(/invalid admin token/);
  });

  it('refuses everything when no token is configured, an empty Bearer included', () => {
    expect(() => guardWith('').canActivate(requestWith('Bearer '))).toThrow(
      /no SURGE_OPERATORS_FILE or SURGE_ADMIN_TOKEN/,
    );
  });
});
