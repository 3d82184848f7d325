import { type DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ADMIN_TOKEN, AdminAuthGuard } from './admin-auth.guard';
import { ConsoleSessions } from './operators/console-sessions';
import { OPERATORS } from './operators/operator-registry';
import { loadOperators } from './operators/operators-file';
import { HealthRegistry } from './health.registry';
import { MetricsRegistry } from './metrics.registry';
import { ObservabilityController } from './observability.controller';

export interface ObservabilityOptions {
  appName: string;
  logLevel?: string;
  /** Required by apps with admin endpoints; AdminAuthGuard compares against it. */
  adminToken?: string;
  /** SURGE_OPERATORS_FILE: named operators with roles; when set, it replaces the admin token as the credential. */
  operatorsFile?: string;
  /**
   * The hot paths (a join, a sample batch), left out of the per-request logger binding: with access logs off,
   * building a child logger and an async context for every request cost several percent of their throughput
   * for the rare line it would annotate. Their errors still name the method and URL (HttpErrorFilter).
   */
  hotRoutes?: { path: string; method: keyof typeof RequestMethod }[];
}

/** Logging, /metrics, /health/live, /health/ready and the admin guard: what every Surge app has. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.logLevel ?? 'info',
            name: options.appName,
            // Per-request access logs would dominate the hot ingest and join paths; errors are logged by the filter.
            autoLogging: false,
          },
          ...(options.hotRoutes?.length
            ? { exclude: options.hotRoutes.map(({ path, method }) => ({ path, method: RequestMethod[method] })) }
            : {}),
        }),
      ],
      controllers: [ObservabilityController],
      providers: [
        MetricsRegistry,
        HealthRegistry,
        AdminAuthGuard,
        ConsoleSessions,
        { provide: ADMIN_TOKEN, useValue: options.adminToken ?? '' },
        // Read once at boot: a bad file is a configuration error that stops the service before it listens.
        { provide: OPERATORS, useFactory: () => loadOperators(options) },
      ],
      exports: [MetricsRegistry, HealthRegistry, AdminAuthGuard, ConsoleSessions, ADMIN_TOKEN, OPERATORS],
    };
  }
}
