-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/relations/sqlite.rs one_to_one_relation_on_a_singular_primary_key

CREATE TABLE "User" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL);
CREATE TABLE "Post" ("id" INTEGER UNIQUE NOT NULL, FOREIGN KEY("id") REFERENCES "User"("id"));

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "sqlite"
}

model Post {
  id   Int  @unique(map: "sqlite_autoindex_Post_1")
  User User @relation(fields: [id], references: [id], onDelete: NoAction, onUpdate: NoAction)
}

model User {
  id   Int   @id @default(autoincrement())
  Post Post?
}
*/
