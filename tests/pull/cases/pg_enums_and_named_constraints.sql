-- tags=postgres
-- source=ours: enums (values Prisma cannot name are sanitized and mapped), enum
-- defaults, constraint names that differ from Prisma's defaults as map:, referential
-- actions, and an implicit many-to-many table with Prisma's default name.

CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'super-user');

CREATE TABLE "User" (
    id INTEGER NOT NULL,
    role "Role" NOT NULL DEFAULT 'USER',
    roles "Role"[],
    email TEXT NOT NULL,
    CONSTRAINT "custom_pk" PRIMARY KEY (id),
    CONSTRAINT "email_unique" UNIQUE (email)
);

CREATE TABLE "Post" (
    id INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    title VARCHAR(200) NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY (id),
    CONSTRAINT "post_user" FOREIGN KEY ("userId") REFERENCES "User"(id) ON DELETE CASCADE ON UPDATE RESTRICT
);
CREATE INDEX "Post_title_idx" ON "Post" USING HASH (title);
CREATE INDEX "Post_userId_title_idx" ON "Post"("userId" DESC, title);

CREATE TABLE "Category" (
    id SERIAL PRIMARY KEY
);

CREATE TABLE "_CategoryToPost" (
    "A" INTEGER NOT NULL REFERENCES "Category"(id) ON DELETE CASCADE ON UPDATE CASCADE,
    "B" INTEGER NOT NULL REFERENCES "Post"(id) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "_CategoryToPost_AB_pkey" PRIMARY KEY ("A", "B")
);
CREATE INDEX "_CategoryToPost_B_index" ON "_CategoryToPost"("B");

/*
generator client {
  provider = "prismac"
}

datasource db {
  provider = "postgresql"
}

model Category {
  id   Int    @id @default(autoincrement())
  Post Post[]
}

model Post {
  id       Int        @id
  userId   Int
  title    String     @db.VarChar(200)
  User     User       @relation(fields: [userId], references: [id], onDelete: Cascade, onUpdate: Restrict, map: "post_user")
  Category Category[]

  @@index([title], type: Hash)
  @@index([userId(sort: Desc), title])
}

model User {
  id    Int    @id(map: "custom_pk")
  role  Role   @default(USER)
  roles Role[]
  email String @unique(map: "email_unique")
  Post  Post[]
}

enum Role {
  USER
  ADMIN
  super_user @map("super-user")
}
*/
