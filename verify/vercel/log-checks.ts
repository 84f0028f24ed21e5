import type { Finding } from '../types.js';
import type { FoundSnapshot } from './env-lookup.js';
import type { DrainInfo } from './collect.js';
import type { RuntimeLogs } from './logs.js';
import { projectCheck } from './project-checks.js';

/** What was read, for messages: "the 42 lines of dpl_x's runtime logs (read until the API ended the stream)". */
const scope = (l: RuntimeLogs) =>
  `the ${l.lines.length} runtime log line${l.lines.length === 1 ? '' : 's'} of ${l.deploymentId} (${l.until === 'ended' ? 'the whole stream' : `what the API streamed in ${l.readMs} ms`})`;

function logsOf(s: FoundSnapshot): { logs: RuntimeLogs } | { findings: Finding[] } {
  if (s.logs === undefined) return { findings: [{ status: 'skip', message: 'The stack asks nothing of the runtime logs (prodcheck:vercel.logs).' }] };
  if (!s.logs.ok) return { findings: [{ status: 'error', message: `Could not read the production deployment's runtime logs: ${s.logs.error}.` }] };
  return { logs: s.logs.value };
}

export const vercelLogsNoErrors = projectCheck('vercel.logs.no-errors', (s, spec) => {
  const got = logsOf(s);
  if ('findings' in got) return got.findings;
  const { logs } = got;
  const rules = spec.vercel?.logs;
  const windowMs = (rules?.windowMinutes ?? 60) * 60_000;
  const ignore = (rules?.ignore ?? []).map((r) => new RegExp(r, 'i'));
  const errors = logs.lines.filter((l) => (l.level === 'error' || l.level === 'fatal') && l.timestampInMs - logs.deploymentCreatedAt <= windowMs && !ignore.some((r) => r.test(l.message)));
  const allowed = rules?.maxErrors ?? 0;
  const window = `in the first ${rules?.windowMinutes ?? 60} min`;
  if (errors.length <= allowed) {
    return [{ status: 'pass', message: `${errors.length} error-level line${errors.length === 1 ? '' : 's'} ${window} (at most ${allowed}) in ${scope(logs)}.`, expected: `≤ ${allowed}`, actual: String(errors.length) }];
  }
  const first = errors[0];
  const shown = first ? ` First: "${first.message}" on ${first.requestPath}.` : '';
  return [{ status: 'fail', message: `${errors.length} error-level line${errors.length === 1 ? '' : 's'} ${window}, more than ${allowed}, in ${scope(logs)}.${shown}`, expected: `≤ ${allowed}`, actual: String(errors.length) }];
});

export const vercelLogsMarker = projectCheck('vercel.logs.marker', (s, spec) => {
  const markers = spec.vercel?.logs?.markers ?? [];
  if (markers.length === 0) return [{ status: 'skip', message: 'The stack names no log marker (prodcheck:vercel.logs.markers).' }];
  const got = logsOf(s);
  if ('findings' in got) return got.findings;
  const { logs } = got;
  return markers.map((marker): Finding => {
    const hit = logs.lines.find((l) => l.message.toLowerCase().includes(marker.toLowerCase()));
    return hit
      ? { status: 'pass', resource: marker, message: `"${marker}" appears in ${scope(logs)}.` }
      : { status: 'fail', resource: marker, message: `"${marker}" appears nowhere in ${scope(logs)}: the step that logs it did not run, or logs something else.`, expected: 'present', actual: 'absent' };
  });
});

/** Why an enabled log drain misses the production function logs, if it does: its filter or a 0 % sampling. */
function productionGap(d: DrainInfo): string | undefined {
  if (d.environments !== undefined && !d.environments.includes('production')) return `lets only ${d.environments.join(', ')} deployments through`;
  if (d.sources !== undefined && !d.sources.includes('lambda')) return `lets only ${d.sources.join(', ')} logs through, not the functions' (lambda)`;
  if (d.productionSampling <= 0) return 'samples 0 % of production logs';
  return undefined;
}

const percent = (rate: number): string => `${Math.round(rate * 1000) / 10} %`;

export const monitoringLogging = projectCheck('monitoring.logging', (s, spec) => {
  const want = spec.vercel?.logDrain;
  if (want === undefined || s.drains === undefined) return [{ status: 'skip', message: 'The stack asks for no log drain (prodcheck:vercel.logDrain).' }];
  if (!s.drains.ok) return [{ status: 'error', message: `Could not list the drains: ${s.drains.error}.` }];
  const name = s.project.name;
  const logDrains = s.drains.value.filter((d) => d.carriesLogs && (want.endpointHost === undefined || d.endpointHost === want.endpointHost.toLowerCase()));
  const where = want.endpointHost ? ` to ${want.endpointHost}` : '';
  const enabled = logDrains.filter((d) => d.status === 'enabled');
  const live = enabled.find((d) => d.odataFilter === undefined && productionGap(d) === undefined);
  if (live) {
    const sampled = live.productionSampling < 1 ? `, keeping ${percent(live.productionSampling)} of production logs (head sampling)` : '';
    return [{ status: 'pass', message: `The runtime logs of ${name} drain${where} through "${live.name}" (enabled${sampled}).`, expected: 'an enabled log drain', actual: live.name }];
  }
  const filtered = enabled.find((d) => d.odataFilter !== undefined);
  if (filtered) {
    return [{ status: 'skip', message: `The log drain "${filtered.name}"${where} is enabled but filters with an OData expression (${filtered.odataFilter}) that prodcheck does not evaluate: check that it lets ${name}'s production function logs through.` }];
  }
  const partial = enabled[0];
  if (partial) {
    const gap = productionGap(partial) ?? '';
    return [{ status: 'fail', message: `The log drain "${partial.name}"${where} ${gap}: ${name}'s production function logs stay only in Vercel's short retention.`, expected: 'production function (lambda) logs drained', actual: gap }];
  }
  const down = logDrains[0];
  if (down) {
    const why = down.disabledReason ? `, ${down.disabledReason}` : '';
    return [{ status: 'fail', message: `The log drain "${down.name}"${where} is ${down.status}${why}: ${name}'s logs stay only in Vercel's short retention.`, expected: 'enabled', actual: down.status }];
  }
  const others = s.drains.value.filter((d) => d.carriesLogs).map((d) => d.endpointHost ?? d.name);
  const seen = others.length > 0 ? ` (log drains go to ${others.join(', ')})` : '';
  return [{ status: 'fail', message: `No log drain carries ${name}'s runtime logs${where}${seen}: they stay only in Vercel's short retention.`, expected: 'an enabled log drain', actual: 'none' }];
});
