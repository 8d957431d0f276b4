import "reflect-metadata";
import { chooseEngine } from "@interlace/compute/backend";
import { parseCommandArgs, UsageError } from "./command.js";
import { commands } from "./commands/index.js";
import { loadCliConfig } from "./config.js";
import { findCommand, helpText, overviewText } from "./help.js";

/** From INTERLACE_DEBUG once the configuration is read: print a failed command's stack, not only its message. */
let showStack = false;

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    process.stdout.write(overviewText(commands));
    return 0;
  }
  const match = findCommand(commands, argv);
  if (!match) {
    process.stderr.write(`interlace: unknown command "${argv.join(" ")}".\n\n${overviewText(commands)}`);
    return 2;
  }
  const { command, rest } = match;
  const { values, positionals } = parseCommandArgs(command, rest);
  if (values.help) {
    process.stdout.write(helpText(command));
    return 0;
  }
  const config = loadCliConfig();
  showStack = config.debug;
  if (command.usesEngine !== false) config.backend = (await chooseEngine(config.backend, { home: config.home })).engine;
  await command.run(values, positionals, config);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`interlace: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const message = error instanceof Error ? (showStack ? error.stack : error.message) : String(error);
    process.stderr.write(`interlace: ${message}\n`);
    // A failed command may leave a listener or a database handle open; do not hang after saying why.
    process.exit(1);
  },
);
