import { describe, expect, it } from 'vitest';
import { envAppUrl, envBcryptRounds, envProductionMode, envTargets } from '../../policies/env.js';
import { UNKNOWN, envVar, runResource } from './harness.js';

describe('env.production-mode', () => {
  it('passes NODE_ENV=production and ignores other vars and other targets', async () => {
    expect((await runResource(envProductionMode, envVar('NODE_ENV', 'production'))).violations).toEqual([]);
    expect((await runResource(envProductionMode, envVar('NODE_ENV', 'development', { targets: ['development'] }))).violations).toEqual([]);
    expect((await runResource(envProductionMode, envVar('APP_NAME', 'chat'))).notApplicable).toBe('applies to env vars NODE_ENV, BILLING_MODE');
  });

  it('fails NODE_ENV=development in production', async () => {
    expect((await runResource(envProductionMode, envVar('NODE_ENV', 'development'))).violations).toEqual(['NODE_ENV must be "production" in the production target (found "development")']);
  });
});

describe('env.app-url', () => {
  const config = { domain: 'chat.example.com' };

  it('passes https on the domain or its www host', async () => {
    expect((await runResource(envAppUrl, envVar('NEXT_PUBLIC_APP_URL', 'https://chat.example.com'), config)).violations).toEqual([]);
    expect((await runResource(envAppUrl, envVar('NEXTAUTH_URL', 'https://www.chat.example.com/'), config)).violations).toEqual([]);
  });

  it('fails http, another host and a path', async () => {
    expect((await runResource(envAppUrl, envVar('NEXT_PUBLIC_APP_URL', 'http://chat.example.com'), config)).violations).toEqual(['NEXT_PUBLIC_APP_URL must use https:// (found "http://chat.example.com")']);
    expect((await runResource(envAppUrl, envVar('NEXTAUTH_URL', 'https://chat-git-main.vercel.app'), config)).violations).toEqual([
      'NEXTAUTH_URL must be on the production domain chat.example.com (found "https://chat-git-main.vercel.app")',
    ]);
    expect((await runResource(envAppUrl, envVar('AUTH_URL', 'https://chat.example.com/app'), config)).violations).toEqual([
      'AUTH_URL must be the bare origin https://chat.example.com (found "https://chat.example.com/app")',
    ]);
  });
});

describe('env.bcrypt-rounds', () => {
  it('passes 10 to 12 and fails outside or non-integers', async () => {
    expect((await runResource(envBcryptRounds, envVar('BCRYPT_ROUNDS', '12'))).violations).toEqual([]);
    expect((await runResource(envBcryptRounds, envVar('BCRYPT_ROUNDS', '8'))).violations).toEqual(['BCRYPT_ROUNDS must be an integer from 10 to 12 (found "8")']);
    expect((await runResource(envBcryptRounds, envVar('BCRYPT_ROUNDS', '10.5'))).violations).toEqual(['BCRYPT_ROUNDS must be an integer from 10 to 12 (found "10.5")']);
  });
});

describe('env.targets', () => {
  it('passes KV_* in production only', async () => {
    expect((await runResource(envTargets, envVar('KV_URL', UNKNOWN, { sensitive: true }))).violations).toEqual([]);
  });

  it('fails KV_* missing production or reaching development', async () => {
    expect((await runResource(envTargets, envVar('KV_REST_API_URL', 'https://kv.upstash.io', { targets: ['preview', 'development'] }))).violations).toEqual([
      'KV_REST_API_URL targets must include production (found [preview, development])',
      'KV_REST_API_URL targets must not include development (found [preview, development])',
    ]);
  });

  it('does not apply to vars outside the pattern', async () => {
    expect((await runResource(envTargets, envVar('REDIS_URL', UNKNOWN, { targets: ['development'] }))).notApplicable).toBe('applies to env vars matching /^KV_/');
  });
});
