import { z } from 'zod';
import { httpsUrl } from './common.js';

/**
 * The env vars @vercel/otel reads (registerOTel): OTEL_EXPORTER_OTLP_ENDPOINT (the OTLP/HTTP base URL, to
 * which it appends /v1/traces), OTEL_SERVICE_NAME (which wins over registerOTel's serviceName),
 * OTEL_EXPORTER_OTLP_HEADERS (key=value pairs, comma-separated) and OTEL_EXPORTER_OTLP_PROTOCOL.
 */
export const OTEL_VARS = {
  endpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  serviceName: 'OTEL_SERVICE_NAME',
  headers: 'OTEL_EXPORTER_OTLP_HEADERS',
  protocol: 'OTEL_EXPORTER_OTLP_PROTOCOL',
} as const;

/** What the Sentry server SDK (@sentry/node, and @sentry/nextjs on the server) reads when Sentry.init gets no tracesSampleRate. */
export const SENTRY_SAMPLE_RATE_VAR = 'SENTRY_TRACES_SAMPLE_RATE';

/** `prodcheck:otel`: the app exports traces over OTLP (@vercel/otel in instrumentation.ts) to this collector. */
export const otelSchema = z.strictObject({
  /** The collector's OTLP/HTTP base URL (https), without /v1/traces. */
  endpoint: httpsUrl.refine((u) => !/\/v1\/traces\/?$/.test(u), { message: 'must be the base URL: @vercel/otel appends /v1/traces itself' }),
  /** The service the traces are filed under; default: prodcheck:app.name. */
  serviceName: z.string().regex(/^[A-Za-z0-9][\w.-]{0,99}$/, { message: 'must be a service name (letters, digits, . _ -)' }).optional(),
  /** http/protobuf (the default of @vercel/otel) or http/json; gRPC does not run on Vercel's edge. */
  protocol: z.enum(['http/protobuf', 'http/json']).optional(),
  /** The collector takes auth headers, from `pulumi config set --secret env:OTEL_EXPORTER_OTLP_HEADERS 'key=value,...'`. */
  headers: z.boolean().default(true),
});

export type OtelSpec = z.output<typeof otelSchema>;
