-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/simple/postgres/relations/inline_self_relation.sql

CREATE TABLE "Biscuit" (
    id SERIAL PRIMARY KEY,
    next_biscuit_id INTEGER REFERENCES "Biscuit"("id")
);

/*
generator js {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Biscuit {
  id              Int       @id @default(autoincrement())
  next_biscuit_id Int?
  Biscuit         Biscuit?  @relation("BiscuitToBiscuit", fields: [next_biscuit_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
  other_Biscuit   Biscuit[] @relation("BiscuitToBiscuit")
}
*/
