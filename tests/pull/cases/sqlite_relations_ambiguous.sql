-- tags=sqlite
-- source=ours: two foreign keys between the same tables name their relations
-- "{Model}_{columns}To{Referenced}" (relation_names.rs), a 1:1 back side is optional,
-- referential actions other than Prisma's defaults are written.

CREATE TABLE "User" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL
);
CREATE UNIQUE INDEX "User_email_key" ON "User"(email);

CREATE TABLE "Post" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    "authorId" INTEGER NOT NULL REFERENCES "User"(id) ON DELETE CASCADE ON UPDATE CASCADE,
    "editorId" INTEGER REFERENCES "User"(id) ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE TABLE "Profile" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL REFERENCES "User"(id) ON DELETE RESTRICT ON UPDATE NO ACTION
);
CREATE UNIQUE INDEX "Profile_userId_key" ON "Profile"("userId");

/*
generator client {
  provider = "prismac"
}

datasource db {
  provider = "sqlite"
}

model Post {
  id                       Int   @id @default(autoincrement())
  authorId                 Int
  editorId                 Int?
  User_Post_editorIdToUser User? @relation("Post_editorIdToUser", fields: [editorId], references: [id])
  User_Post_authorIdToUser User  @relation("Post_authorIdToUser", fields: [authorId], references: [id], onDelete: Cascade)
}

model Profile {
  id     Int  @id @default(autoincrement())
  userId Int  @unique
  User   User @relation(fields: [userId], references: [id], onUpdate: NoAction)
}

model User {
  id                       Int      @id @default(autoincrement())
  email                    String   @unique
  Post_Post_editorIdToUser Post[]   @relation("Post_editorIdToUser")
  Post_Post_authorIdToUser Post[]   @relation("Post_authorIdToUser")
  Profile                  Profile?
}
*/
