import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` turns changes in db/schema.ts into a new SQL migration in db/migrations.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
