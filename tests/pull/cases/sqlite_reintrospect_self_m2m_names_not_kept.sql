-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/re_introspection/sqlite.rs do_not_try_to_keep_custom_many_to_many_self_relation_field_names

CREATE TABLE "User" (
    id INTEGER PRIMARY KEY
);

CREATE TABLE "_FollowRelation" (
    "A" INTEGER NOT NULL REFERENCES "User"("id"),
    "B" INTEGER NOT NULL REFERENCES "User"("id")
);

CREATE UNIQUE INDEX "_FollowRelation_AB_unique" ON "_FollowRelation"("A", "B");
CREATE INDEX "_FollowRelation_B_index" ON "_FollowRelation"("B");

/* previous
datasource db {
  provider = "sqlite"
}

model User {
    id          Int       @id @default(autoincrement())
    followers   User[]    @relation("FollowRelation")
    following   User[]    @relation("FollowRelation")
}
*/

/*
datasource db {
  provider = "sqlite"
}

model User {
  id     Int    @id @default(autoincrement())
  User_A User[] @relation("FollowRelation")
  User_B User[] @relation("FollowRelation")
}
*/
