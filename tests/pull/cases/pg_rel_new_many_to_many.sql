-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/relations/postgres.rs new_prisma_many_to_many_relation

CREATE TABLE "User" (
    id SERIAL PRIMARY KEY
);

CREATE TABLE "Post" (
    id SERIAL PRIMARY KEY
);

CREATE TABLE "_PostToUser" (
    "A" INT NOT NULL,
    "B" INT NOT NULL,
    CONSTRAINT "_PostToUser_A_fkey" FOREIGN KEY ("A") REFERENCES "Post"(id),
    CONSTRAINT "_PostToUser_B_fkey" FOREIGN KEY ("B") REFERENCES "User"(id),
    CONSTRAINT "_PostToUser_AB_pkey" PRIMARY KEY ("A", "B")
);

CREATE INDEX test ON "_PostToUser" ("B");

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model Post {
  id   Int    @id @default(autoincrement())
  User User[]
}

model User {
  id   Int    @id @default(autoincrement())
  Post Post[]
}
*/
