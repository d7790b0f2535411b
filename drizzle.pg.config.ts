import { defineConfig } from 'drizzle-kit';

// PostgreSQL twin of drizzle.config.ts (issue 21, in progress): `npx drizzle-kit generate --config
// drizzle.pg.config.ts` turns changes in db/schema.pg.ts into a new SQL migration in db/migrations-pg.
// Change db/schema.ts and db/schema.pg.ts together; tests/store/schema-twins.test.ts checks they agree.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.pg.ts',
  out: './db/migrations-pg',
});
