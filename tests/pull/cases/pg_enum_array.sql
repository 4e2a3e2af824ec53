-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/enums/postgres.rs a_table_enums_array

CREATE TYPE "color" AS ENUM ('black','white');

CREATE TABLE "Book" (
    id SERIAL PRIMARY KEY,
    color color[] NOT NULL
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model Book {
  id    Int     @id @default(autoincrement())
  color color[]
}

enum color {
  black
  white
}
*/
