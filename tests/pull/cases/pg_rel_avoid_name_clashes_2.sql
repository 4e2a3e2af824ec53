-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/relations/postgres.rs relations_should_avoid_name_clashes_2

CREATE TABLE "x" (id SERIAL PRIMARY KEY, y INTEGER NOT NULL);
CREATE UNIQUE INDEX "unique_y_id" ON "x"(id, y);
CREATE TABLE "y" (id SERIAL PRIMARY KEY, x INTEGER NOT NULL, fk_x_1 INTEGER NOT NULL, fk_x_2 INTEGER NOT NULL);
ALTER TABLE "x" ADD FOREIGN KEY (y) REFERENCES "y"(id);
ALTER TABLE "y" ADD CONSTRAINT "y_fkey" FOREIGN KEY (fk_x_1, fk_x_2) REFERENCES "x"(id, y);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model x {
  id                   Int @id @default(autoincrement())
  y                    Int
  y_x_yToy             y   @relation("x_yToy", fields: [y], references: [id], onDelete: NoAction, onUpdate: NoAction)
  y_y_fk_x_1_fk_x_2Tox y[] @relation("y_fk_x_1_fk_x_2Tox")

  @@unique([id, y], map: "unique_y_id")
}

model y {
  id                   Int @id @default(autoincrement())
  x                    Int
  fk_x_1               Int
  fk_x_2               Int
  x_x_yToy             x[] @relation("x_yToy")
  x_y_fk_x_1_fk_x_2Tox x   @relation("y_fk_x_1_fk_x_2Tox", fields: [fk_x_1, fk_x_2], references: [id, y], onDelete: NoAction, onUpdate: NoAction, map: "y_fkey")
}
*/
