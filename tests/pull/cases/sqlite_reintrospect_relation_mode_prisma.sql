-- tags=sqlite
-- source=ours, after prisma-engines re_introspection/relation_mode: with relationMode = "prisma"
-- the database has no foreign keys; the relation fields are copied from the existing schema
-- where the related table still exists.

CREATE TABLE "User" (
    id INTEGER PRIMARY KEY AUTOINCREMENT
);

CREATE TABLE "Post" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL
);
CREATE INDEX "Post_userId_idx" ON "Post"("userId");

/* previous
datasource db {
  provider     = "sqlite"
  relationMode = "prisma"
}

model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
  gone  Gone[]
}

model Post {
  id     Int  @id @default(autoincrement())
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId])
}

model Gone {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index([userId])
}
*/

/*
datasource db {
  provider     = "sqlite"
  relationMode = "prisma"
}

model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
}

model Post {
  id     Int  @id @default(autoincrement())
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId])
}
*/
