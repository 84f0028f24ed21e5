import { createRequire } from 'node:module';

/**
 * Validates a JSON body against a model of @datadog/datadog-api-client, whose ObjectSerializer and type
 * map are generated from Datadog's OpenAPI description. The serializer alone is lenient: it keeps an unknown
 * enum value as "unparsed" and an unknown field as an additional property. Both are reported here, as are
 * a wrong type and a missing required field (which the serializer throws on), each with its path.
 */
const require = createRequire(import.meta.url);
type Serializer = { deserialize(data: unknown, type: string, format: string): unknown };
const SERIALIZERS: Readonly<Record<'v1' | 'v2', Serializer>> = {
  v1: (require('@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/models/ObjectSerializer.js') as { ObjectSerializer: Serializer }).ObjectSerializer,
  v2: (require('@datadog/datadog-api-client/dist/packages/datadog-api-client-v2/models/ObjectSerializer.js') as { ObjectSerializer: Serializer }).ObjectSerializer,
};
const { UnparsedObject } = require('@datadog/datadog-api-client/dist/packages/datadog-api-client-common/util.js') as { UnparsedObject: new (...a: unknown[]) => { _data: unknown } };

/** The problems of `body` as a `model` of Datadog's API version `version`; empty when it conforms. */
export function openApiProblems(version: 'v1' | 'v2', model: string, body: unknown): string[] {
  let parsed: unknown;
  try {
    parsed = SERIALIZERS[version].deserialize(body, model, '');
  } catch (e) {
    return [`${model}: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (v instanceof UnparsedObject) return problems.push(`${path}: ${JSON.stringify(v._data)} is not a value the description allows`);
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '_unparsed') continue;
      if (k === 'additionalProperties') {
        const extra = Object.keys(x as object);
        if (extra.length > 0) problems.push(`${path}: ${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not in the description`);
        continue;
      }
      walk(x, `${path}.${k}`);
    }
  };
  walk(parsed, model);
  return problems;
}
