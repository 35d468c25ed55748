// Prisma CLI configuration. The CLI's schema engine runs as WebAssembly ("js" engine) through a
// driver adapter, since these machines cannot download Prisma's native engine (DESIGN.md).
// adapter-pg 7 is used here because 6.19's cannot read the `name` type the schema engine queries.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg-7';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' });
  },
});
