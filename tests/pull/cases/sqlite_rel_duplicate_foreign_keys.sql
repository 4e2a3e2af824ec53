-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/relations/sqlite.rs multiple_foreign_key_constraints_are_taken_always_in_the_same_order

CREATE TABLE A
(
    id  int NOT NULL PRIMARY KEY,
    foo int NOT NULL,
    FOREIGN KEY (foo) REFERENCES B(id) ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY (foo) REFERENCES B(id) ON DELETE RESTRICT ON UPDATE RESTRICT
);

CREATE TABLE B
(
    id int NOT NULL PRIMARY KEY
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "sqlite"
}

model A {
  id  Int @id
  foo Int
  B   B   @relation(fields: [foo], references: [id], onUpdate: Restrict)
}

model B {
  id Int @id
  A  A[]
}
*/
