-- tags=postgres
-- source=ours, after prisma-engines multi_schema/postgres.rs: with the datasource's schemas,
-- every model and enum gets @@schema, relations cross schemas.

CREATE SCHEMA a;
CREATE SCHEMA b;
CREATE TABLE a."User" (id SERIAL PRIMARY KEY);
CREATE TYPE b."Kind" AS ENUM ('X', 'Y');
CREATE TABLE b."Post" (
    id SERIAL PRIMARY KEY,
    "userId" INT NOT NULL REFERENCES a."User"(id),
    kind b."Kind" NOT NULL DEFAULT 'Y'
);

/*
generator client {
  provider = "prismac"
}

datasource db {
  provider = "postgresql"
  schemas  = ["a", "b"]
}

model User {
  id   Int    @id @default(autoincrement())
  Post Post[]

  @@schema("a")
}

model Post {
  id     Int  @id @default(autoincrement())
  userId Int
  kind   Kind @default(Y)
  User   User @relation(fields: [userId], references: [id], onDelete: NoAction, onUpdate: NoAction)

  @@schema("b")
}

enum Kind {
  X
  Y

  @@schema("b")
}
*/
