-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/enums/postgres.rs enum_array_type

CREATE TYPE "_foo" AS ENUM ('FIRST', 'SECOND');

CREATE TABLE "Post" (
    "id" TEXT NOT NULL,
    "contentFilters" "_foo"[],
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model Post {
  id             String @id
  contentFilters foo[]
}

enum foo {
  FIRST
  SECOND

  @@map("_foo")
}
*/
