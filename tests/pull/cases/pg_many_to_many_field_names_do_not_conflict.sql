-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/simple/postgres/many_to_many_relation_field_names_do_not_conflict_with_themselves.sql

CREATE TABLE "User" (
    id SERIAL PRIMARY KEY
);

CREATE TABLE "_Friendship" (
    "A" INTEGER NOT NULL REFERENCES "User"(id),
    "B" INTEGER NOT NULL REFERENCES "User"(id)
);

CREATE UNIQUE INDEX "_Friendship_AB_unique" ON "_Friendship"("A", "B");
CREATE INDEX "_Friendship_B_index" ON "_Friendship"("B");

CREATE TABLE "_Frenemyship" (
    "A" INTEGER NOT NULL REFERENCES "User"(id),
    "B" INTEGER NOT NULL REFERENCES "User"(id)
);

CREATE UNIQUE INDEX "_Frenemyship_AB_unique" ON "_Frenemyship"("A", "B");
CREATE INDEX "_Frenemyship_B_index" ON "_Frenemyship"("B");

/*
generator js {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model User {
  id                 Int    @id @default(autoincrement())
  User_Frenemyship_A User[] @relation("Frenemyship")
  User_Frenemyship_B User[] @relation("Frenemyship")
  User_Friendship_A  User[] @relation("Friendship")
  User_Friendship_B  User[] @relation("Friendship")
}
*/
