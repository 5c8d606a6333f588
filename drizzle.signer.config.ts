import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'sqlite', schema: './committee/store/schema.ts', out: './committee/store/migrations' });
