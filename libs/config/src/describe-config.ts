import { z } from 'zod';

export interface ConfigRow {
  name: string;
  required: boolean;
  default: string;
  description: string;
}

/** Rows for the README's configuration tables, read from the schemas themselves so the docs cannot drift. */
export function describeConfig(schema: z.ZodObject): ConfigRow[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const parsed = type.safeParse(undefined);
    const fallback = parsed.success && parsed.data !== undefined ? JSON.stringify(parsed.data) : '';
    return {
      name,
      required: !parsed.success,
      default: fallback,
      description: type.description ?? '',
    };
  });
}
