-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/enums/postgres.rs a_table_with_an_enum_default_value_that_is_an_empty_string

CREATE TYPE "color" AS ENUM ('black', '');

CREATE TABLE "Book" (
    id SERIAL PRIMARY KEY,
    color color NOT NULL DEFAULT ''
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model Book {
  id    Int   @id @default(autoincrement())
  color color @default(EMPTY_ENUM_VALUE)
}

enum color {
  black
  EMPTY_ENUM_VALUE @map("")
}
*/
