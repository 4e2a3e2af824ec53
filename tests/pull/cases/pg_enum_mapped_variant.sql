-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/enums/postgres.rs a_mapped_variant_will_not_warn

CREATE Type "A" as ENUM ('0first', '1second');

CREATE TABLE "B" (
    id SERIAL PRIMARY KEY,
    val "A" NOT NULL
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
  first  @map("0first")
  second @map("1second")
}
*/
