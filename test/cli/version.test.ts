import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION, packageProjectUrl, projectUrlOf } from '../../cli/version.js';

describe('the package page SARIF links to', () => {
  it('is homepage first, else the repository as an https URL', () => {
    expect(projectUrlOf({ homepage: 'https://prodcheck.dev', repository: 'github:acme/prodcheck' })).toBe('https://prodcheck.dev');
    expect(projectUrlOf({ repository: 'github:acme/prodcheck' })).toBe('https://github.com/acme/prodcheck');
    expect(projectUrlOf({ repository: 'acme/prodcheck' })).toBe('https://github.com/acme/prodcheck');
    expect(projectUrlOf({ repository: { type: 'git', url: 'git+https://github.com/acme/prodcheck.git' } })).toBe('https://github.com/acme/prodcheck');
  });

  it('is none for what is no web address (ssh, empty), and none without homepage and repository', () => {
    expect(projectUrlOf({ repository: { type: 'git', url: 'git@github.com:acme/prodcheck.git' } })).toBeUndefined();
    expect(projectUrlOf({ homepage: ' ' })).toBeUndefined();
    expect(projectUrlOf({})).toBeUndefined();
  });

  it("is this package.json's: none today (no public URL yet), and the version is package.json's", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; homepage?: string; repository?: unknown };
    expect(packageProjectUrl()).toBe(projectUrlOf(pkg));
    expect(VERSION).toBe(pkg.version);
  });
});
