-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/enums/postgres.rs a_mapped_enum_will_not_warn

CREATE Type "1A" as ENUM ('first', 'second');

CREATE TABLE "B" (
    id SERIAL PRIMARY KEY,
    val "1A" NOT NULL
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model B {
  id  Int @id @default(autoincrement())
  val A
}

enum A {
  first
  second

  @@map("1A")
}
*/
