// The benchmark's PostgreSQL housekeeping, shared by the postgres and two-instances parts: the URL
// of a database on the run's cluster, and one short-lived connection for create/drop database.
import pg from 'pg';

/** `server` (the cluster's URL) pointing at the database `name`. */
export function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` on a connection of its own to `server`, closed afterwards. */
export async function withAdminConnection<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
