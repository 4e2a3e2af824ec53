-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/relations/sqlite.rs a_many_to_many_relation_with_an_id

CREATE TABLE "User" (
    id INTEGER PRIMARY KEY
);

CREATE TABLE "Post" (
    id INTEGER PRIMARY KEY
);

CREATE TABLE "PostsToUsers" (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES "User"("id"),
    post_id INTEGER NOT NULL REFERENCES "Post"("id")
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "sqlite"
}

model Post {
  id           Int            @id @default(autoincrement())
  PostsToUsers PostsToUsers[]
}

model PostsToUsers {
  id      Int  @id @default(autoincrement())
  user_id Int
  post_id Int
  Post    Post @relation(fields: [post_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
  User    User @relation(fields: [user_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
}

model User {
  id           Int            @id @default(autoincrement())
  PostsToUsers PostsToUsers[]
}
*/
