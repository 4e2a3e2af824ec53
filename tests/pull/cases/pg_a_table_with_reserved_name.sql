-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/simple/postgres/a_table_with_reserved_name.sql

CREATE TABLE "PrismaClient" (
    id SERIAL PRIMARY KEY
);

/*
generator js {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

/// This model has been renamed to 'RenamedPrismaClient' during introspection, because the original name 'PrismaClient' is reserved.
model RenamedPrismaClient {
  id Int @id @default(autoincrement())

  @@map("PrismaClient")
}
*/
