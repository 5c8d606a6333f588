import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'sqlite', schema: './oracle/signer/store/schema.ts', out: './oracle/signer/store/migrations' });
