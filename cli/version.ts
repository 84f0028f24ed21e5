import { readFileSync } from 'node:fs';

/** prodcheck's version: printed by --version and written into SARIF's tool.driver. */
export const VERSION = '0.1.0';

/**
 * The package's public page, from package.json: `homepage`, else `repository` (a URL, `git+https://…git`,
 * or the `github:owner/name` / `owner/name` shorthand) as an https URL. SARIF's tool `informationUri`
 * and each rule's `helpUri` point there; without one they are left out (a SARIF reader then shows
 * each rule's help text, which carries the remediation).
 */
export function projectUrlOf(pkg: { readonly homepage?: unknown; readonly repository?: unknown }): string | undefined {
  const repository = typeof pkg.repository === 'object' && pkg.repository !== null ? (pkg.repository as { url?: unknown }).url : pkg.repository;
  for (const raw of [pkg.homepage, repository]) {
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const value = raw.trim();
    const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(value);
    const url = shorthand ? `https://github.com/${shorthand[1]}` : value.replace(/^git\+/, '').replace(/\.git$/, '');
    if (/^https?:\/\/[^\s]+$/.test(url)) return url;
  }
  return undefined;
}

let projectUrl: { value: string | undefined } | undefined;

/** projectUrlOf this package's package.json (two levels up once built into dist/cli/, one in the sources). */
export function packageProjectUrl(): string | undefined {
  if (projectUrl) return projectUrl.value;
  let pkg: { name?: unknown; homepage?: unknown; repository?: unknown } = {};
  for (const at of ['../../package.json', '../package.json']) {
    try {
      const read = JSON.parse(readFileSync(new URL(at, import.meta.url), 'utf8')) as typeof pkg;
      if (read.name === 'prodcheck') {
        pkg = read;
        break;
      }
    } catch {
      // not there: try the next level
    }
  }
  projectUrl = { value: projectUrlOf(pkg) };
  return projectUrl.value;
}
