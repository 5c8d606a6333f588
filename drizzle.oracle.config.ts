import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'sqlite', schema: './oracle/store/schema.ts', out: './oracle/store/migrations' });
