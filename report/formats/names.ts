/** The format names alone, so the CLI's command table can list them without loading a renderer. */
export const FORMATS = ['console', 'json', 'junit', 'md', 'sarif', 'github', 'html'] as const;
export type Format = (typeof FORMATS)[number];
