import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

export interface RouteHandler {
  controller: Type;
  handler: (...args: unknown[]) => unknown;
  methodName: string;
}

/**
 * Every controller method of the app by the operation id Nest's OpenAPI scanner gives it (`Class_method`), so
 * what the scanner cannot see (the zod pipe of a body, the guards) is read from the very handler it documented.
 * It reads metadata only, so it works on an app created in preview mode, whose providers were never built.
 */
export function routeIndex(app: INestApplication): Map<string, RouteHandler> {
  const index = new Map<string, RouteHandler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const methodName of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[methodName];
        if (methodName === 'constructor' || typeof handler !== 'function') continue;
        const operationId = `${controller.name}_${methodName}`;
        const known = index.get(operationId);
        if (known && known.controller !== controller)
          throw new Error(`two controllers are named ${controller.name}: their OpenAPI operations would collide`);
        index.set(operationId, { controller, handler: handler as RouteHandler['handler'], methodName });
      }
    }
  }
  return index;
}
