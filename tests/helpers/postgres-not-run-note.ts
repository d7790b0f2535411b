// globalSetup of the default `npm test` run (vitest.config.ts): says, once, at the end, that the
// PostgreSQL half was not run, so a green run is not read as covering PostgreSQL.
export default function setup(): () => void {
  return () => {
    console.log('PostgreSQL half not run: npm test covers SQLite only; `npm run test:postgres` runs the store, command, job, CLI and end-to-end suites again on PostgreSQL (a throw-away local cluster).');
  };
}
