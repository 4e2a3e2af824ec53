-- tags=sqlite
-- source=ours: a table without a primary key or a usable unique index is @@ignore'd
-- (model.rs has_usable_identifier); a unique index over a nullable column does not count.

CREATE TABLE "Log" (
    message TEXT NOT NULL,
    ref TEXT
);
CREATE UNIQUE INDEX "Log_ref_key" ON "Log"(ref);

CREATE TABLE "Pair" (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL
);
CREATE UNIQUE INDEX "Pair_a_b_key" ON "Pair"(a, b);

/*
generator client {
  provider = "prismac"
}

datasource db {
  provider = "sqlite"
}

/// The underlying table does not contain a valid unique identifier and can therefore currently not be handled by Prisma Client.
model Log {
  message String
  ref     String? @unique

  @@ignore
}

model Pair {
  a Int
  b Int

  @@unique([a, b])
}
*/
