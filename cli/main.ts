import { parseArgs } from 'node:util';
import { COMMANDS, findCommand } from './commands.js';
import type { Command, Values } from './types.js';
import type { Io } from './io.js';
import { EXIT } from './io.js';
import { reportError } from './errors.js';
import { VERSION } from './version.js';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}${c.pending ? ' (not built yet)' : ''}`);
  return `prodcheck ${VERSION}: production deployment checklists as code

Usage: prodcheck <command> [options]     prodcheck help <command>  (or prodcheck <command> --help)

Commands:
${lines.join('\n')}

Exit codes: 0 all good, 1 a check or policy failed, 2 usage or config error (nothing was run), 3 could not check.
`;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = findCommand(name);
  if (!command) {
    io.stderr(`prodcheck: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See prodcheck --help.\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return EXIT.ok;
  }
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parse(command, rest));
  } catch (e) {
    io.stderr(`prodcheck ${command.name}: ${(e as Error).message}\nUsage: ${command.usage.split('\n')[0]}\n`);
    return EXIT.usage;
  }
  if (!command.load) {
    io.stderr(`prodcheck ${command.name} is not built yet: it arrives with ${command.pending ?? 'a later issue'}. Nothing was run.\n`);
    return EXIT.usage;
  }
  try {
    const mod = await command.load();
    return await mod.run(values, positionals, io);
  } catch (e) {
    return reportError(e, command.name, io);
  }
}

function parse(command: Command, args: string[]): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: command.options, allowPositionals: true, strict: true });
    const max = command.positionals ?? 0;
    if (positionals.length > max) throw new Error(`unexpected argument "${positionals[max] ?? ''}"`);
    return { values: values as Values, positionals };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? String(e);
    throw new Error(msg.replace(/^Unknown option '(.+?)'.*$/, 'unknown option $1'));
  }
}
