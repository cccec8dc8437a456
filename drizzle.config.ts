// drizzle-kit: generates the SQL migrations in drizzle/ from db/schema.ts (npm run db:generate).
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
})
