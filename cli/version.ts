/** prodcheck's version: printed by --version and written into SARIF's tool.driver. */
export const VERSION = '0.1.0';
