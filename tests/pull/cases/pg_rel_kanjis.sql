-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/relations/postgres.rs kanjis

CREATE TABLE "A"
(
    id  int primary key,
    b患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患 int not null
);

CREATE TABLE "B"
(
    a者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者 int primary key
);

ALTER TABLE "A" ADD CONSTRAINT "患者ID" FOREIGN KEY (b患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患患) REFERENCES "B"(a者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者者) ON DELETE RESTRICT ON UPDATE CASCADE;

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model A {
  id                    Int @id
  b____________________ Int @map("b患患患患患患患患患患患患患患患患患患患患")
  B                     B   @relation(fields: [b____________________], references: [a____________________], map: "患者ID")
}

model B {
  a____________________ Int @id @map("a者者者者者者者者者者者者者者者者者者者者")
  A                     A[]
}
*/
