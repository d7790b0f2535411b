// Entry point of the `sendbot` command (see bin/sendbot.js).
import { runCli } from './cli/program.js';
import './cli/all-commands.js';

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin });
process.exitCode = code;
