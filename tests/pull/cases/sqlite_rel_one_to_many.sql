-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/relations/sqlite.rs a_one_to_many_relation

CREATE TABLE "User" (
    id INTEGER PRIMARY KEY
);

CREATE TABLE "Post" (
    id INTEGER PRIMARY KEY,
    user_id INTEGER,
    CONSTRAINT "user_id_fkey" FOREIGN KEY (user_id) REFERENCES "User"(id)
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "sqlite"
}

model Post {
  id      Int   @id @default(autoincrement())
  user_id Int?
  User    User? @relation(fields: [user_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
}

model User {
  id   Int    @id @default(autoincrement())
  Post Post[]
}
*/
