// Registers the CLI commands that live outside src/cli (chat commands, scheduler, digest).
// Importing this module once is enough; later layers add their registrations here.
import './digest-command.js';
import './export-command.js';
import '../jobs/jobs-cli.js';
