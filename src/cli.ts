// Entry point of the `sendbot` command (see bin/sendbot.js).
import { closedPipeTolerant } from './cli/closed-pipe.js';
import { runCli } from './cli/program.js';
import './cli/all-commands.js';

const code = await runCli(process.argv.slice(2), {
  stdout: closedPipeTolerant(process.stdout),
  stderr: closedPipeTolerant(process.stderr),
  env: process.env,
  stdin: process.stdin,
});
process.exitCode = code;
