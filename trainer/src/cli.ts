#!/usr/bin/env node
/**
 * @module
 * `teacher-train <command>`: the trainer's command line. Each command lives in commands/ and
 * parses its own options; adding one is a file there and a line in `commands` below.
 */
import type { Command } from './commands/command.ts';
import { simulatedVlmCommand } from './commands/simulated-vlm.ts';
import { ppoCommand } from './commands/ppo-command.ts';
import { lvlm2pCommand } from './commands/lvlm2p-command.ts';
import { evalCommand } from './commands/eval-command.ts';
import { reportCommand } from './commands/report-command.ts';
import { sacCommand } from './commands/sac-command.ts';
import { varlCommand } from './commands/varl-command.ts';
import { teacherEvalCommand } from './commands/teacher-eval-command.ts';

const commands: readonly Command[] = [simulatedVlmCommand, ppoCommand, lvlm2pCommand, evalCommand, reportCommand, sacCommand, varlCommand, teacherEvalCommand];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: teacher-train <command> [options]   (teacher-train <command> --help for its options)

commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name === undefined ? 1 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`teacher-train: unknown command "${name}"\n\n${overview()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`teacher-train: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
