import type { TargetFamily } from '../types.js';
import { GITHUB_CHECKS } from './checks.js';
import type { GithubSnapshot } from './collect.js';
import { githubCollector } from './collect.js';

/** CI on GitHub: the checks of the commit live in production, and what the production branch requires. */
export const githubFamily: TargetFamily<GithubSnapshot> = { collector: githubCollector, checks: GITHUB_CHECKS };

export * from './checks.js';
export { githubCollector } from './collect.js';
export type { CiCheck, GithubSnapshot } from './collect.js';
