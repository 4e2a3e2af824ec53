-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/relations/postgres.rs name_ambiguity_with_a_scalar_field

CREATE TABLE "b" (
    id SERIAL PRIMARY KEY,
    a INT NOT NULL
);

CREATE TABLE "a" (
    id SERIAL PRIMARY KEY,
    b INT NOT NULL,
    CONSTRAINT "a_b_fkey" FOREIGN KEY (b) REFERENCES "b"(id) ON DELETE RESTRICT ON UPDATE CASCADE
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model a {
  id       Int @id @default(autoincrement())
  b        Int
  b_a_bTob b   @relation("a_bTob", fields: [b], references: [id])
}

model b {
  id       Int @id @default(autoincrement())
  a        Int
  a_a_bTob a[] @relation("a_bTob")
}
*/
