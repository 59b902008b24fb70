/** A `teacher-train` subcommand: one file per command under commands/, listed in cli.ts. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full usage text for `teacher-train <name> --help`. */
  usage: string;
  /** Parses its own arguments; resolves to the exit code once the command is done (a server: once it stops). */
  run(args: string[]): Promise<number>;
}
