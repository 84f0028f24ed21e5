/**
 * Where each policy's documentation lives: policies/README.md, one heading per control, on the
 * repository's default branch. GitHub anchors a heading by its text without the dots.
 */
export const DOCS_URL = 'https://github.com/prodcheck/prodcheck/blob/main/policies/README.md';

export function docsUrl(controlId: string): string {
  return `${DOCS_URL}#${controlId.replace(/[^a-z0-9-]/g, '')}`;
}
