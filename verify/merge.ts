import type { Result, TargetName } from './types.js';

export interface TargetResults {
  readonly target: TargetName;
  readonly results: readonly Result[];
}

const WEIGHT: Record<Result['status'], number> = { fail: 4, waived: 4, error: 3, pass: 2, skip: 1 };

/**
 * Several targets judge some controls (redis.tls from the Redis endpoint and from the ElastiCache control
 * plane; env.redis-url from Vercel and from Upstash). One control must not come out as PASS from one target
 * and SKIP from another for the same resource, so for each control and resource:
 * - the targets that judged it (any status but skip) answer, and the other targets' skips are dropped;
 * - when they disagree, the worst status answers (fail, then error, then pass) and the better ones are dropped;
 * - when every target skipped, the first target's skip answers, once.
 * Results of one target are never merged with each other: a target's per-resource findings stay whole.
 * Input order is kept, so the report reads in the registry's target order.
 */
export function mergeAcrossTargets(perTarget: readonly TargetResults[]): Result[] {
  const all = perTarget.flatMap(({ target, results }) => results.map((result) => ({ target, result })));
  const groups = new Map<string, { target: TargetName; result: Result }[]>();
  for (const entry of all) {
    const key = `${entry.result.control}\u0000${entry.result.resource ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  const kept = new Set<Result>();
  for (const group of groups.values()) {
    const targets = new Set(group.map((e) => e.target));
    if (targets.size === 1) {
      for (const e of group) kept.add(e.result);
      continue;
    }
    const worst = Math.max(...group.map((e) => WEIGHT[e.result.status]));
    if (worst === WEIGHT.skip) {
      const first = group[0]?.target;
      for (const e of group) if (e.target === first) kept.add(e.result);
      continue;
    }
    for (const e of group) if (WEIGHT[e.result.status] === worst) kept.add(e.result);
  }
  return all.map((e) => e.result).filter((r) => kept.has(r) && !skipBesideJudged(r, all));
}

/**
 * A target's resource-less skip ("not on AWS: the ElastiCache control plane is not checked") says nothing
 * about a resource another target judged under its own name (the replication group, the env var).
 */
function skipBesideJudged(r: Result, all: readonly { target: TargetName; result: Result }[]): boolean {
  if (r.status !== 'skip' || r.resource !== undefined) return false;
  const own = all.find((e) => e.result === r)?.target;
  return all.some((e) => e.target !== own && e.result.control === r.control && e.result.status !== 'skip');
}
