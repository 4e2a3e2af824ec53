-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/relations/sqlite.rs two_one_to_one_relations_between_the_same_models

CREATE TABLE "User" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "post_id" INTEGER UNIQUE NOT NULL, FOREIGN KEY("post_id") REFERENCES "Post"("id"));
CREATE TABLE "Post" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" INTEGER UNIQUE NOT NULL, FOREIGN KEY("user_id") REFERENCES "User"("id"));

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "sqlite"
}

model Post {
  id                      Int   @id @default(autoincrement())
  user_id                 Int   @unique(map: "sqlite_autoindex_Post_1")
  User_Post_user_idToUser User  @relation("Post_user_idToUser", fields: [user_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
  User_User_post_idToPost User? @relation("User_post_idToPost")
}

model User {
  id                      Int   @id @default(autoincrement())
  post_id                 Int   @unique(map: "sqlite_autoindex_User_1")
  Post_Post_user_idToUser Post? @relation("Post_user_idToUser")
  Post_User_post_idToPost Post  @relation("User_post_idToPost", fields: [post_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
}
*/
