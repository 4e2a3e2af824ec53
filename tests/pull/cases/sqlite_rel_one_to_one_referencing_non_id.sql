-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/relations/sqlite.rs a_one_to_one_relation_referencing_non_id

CREATE TABLE "User" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "email" VARCHAR(10) UNIQUE);
CREATE TABLE "Post" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "user_email" VARCHAR(10) UNIQUE, FOREIGN KEY("user_email") REFERENCES "User"("email"));

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "sqlite"
}

model Post {
  id         Int     @id @default(autoincrement())
  user_email String? @unique(map: "sqlite_autoindex_Post_1")
  User       User?   @relation(fields: [user_email], references: [email], onDelete: NoAction, onUpdate: NoAction)
}

model User {
  id    Int     @id @default(autoincrement())
  email String? @unique(map: "sqlite_autoindex_User_1")
  Post  Post?
}
*/
