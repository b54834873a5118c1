// Every subcommand is a module exporting one `Command`; main.ts only dispatches.
export interface Command {
  /** One line for the command list. */
  summary: string;
  /** Full help text, printed by `--help`. */
  usage: string;
  /** Runs the command and returns the process exit code (0 ok, 1 divergence, 2 setup error). */
  run(argv: string[]): Promise<number>;
}
