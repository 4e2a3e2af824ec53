-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/relations/postgres.rs multiple_foreign_key_constraints_are_taken_always_in_the_same_order

CREATE TABLE "A"
(
    id  int primary key,
    foo int not null
);

CREATE TABLE "B"
(
    id int primary key
);

ALTER TABLE "A" ADD CONSTRAINT "fk_1" FOREIGN KEY (foo) REFERENCES "B"(id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "A" ADD CONSTRAINT "fk_2" FOREIGN KEY (foo) REFERENCES "B"(id) ON DELETE RESTRICT ON UPDATE RESTRICT;

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model A {
  id  Int @id
  foo Int
  B   B   @relation(fields: [foo], references: [id], onDelete: Cascade, map: "fk_1")
}

model B {
  id Int @id
  A  A[]
}
*/
