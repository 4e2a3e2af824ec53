-- tags=postgres
-- source=ours, after prisma-engines re_introspection views tests: a view's id, uniques and
-- required fields come from the existing schema (view.rs); a view without an existing
-- block nothing identifies gets the comment and @@ignore.

CREATE TABLE "User" (
    id SERIAL PRIMARY KEY,
    first_name VARCHAR(255) NOT NULL,
    last_name VARCHAR(255)
);

CREATE VIEW "Names" AS SELECT id, first_name FROM "User";
CREATE VIEW "Counts" AS SELECT count(*) AS n FROM "User";

/* previous
generator client {
  provider        = "prismac"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
}

model User {
  id         Int     @id @default(autoincrement())
  first_name String  @db.VarChar(255)
  last_name  String? @db.VarChar(255)
}

/// Who is who.
view Names {
  id   Int    @unique
  name String @map("first_name") @db.VarChar(255)
}
*/

/*
generator client {
  provider        = "prismac"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
}

model User {
  id         Int     @id @default(autoincrement())
  first_name String  @db.VarChar(255)
  last_name  String? @db.VarChar(255)
}

/// Who is who.
view Names {
  id   Int    @unique
  name String @map("first_name") @db.VarChar(255)
}

/// The underlying view does not contain a valid unique identifier and can therefore currently not be handled by Prisma Client.
view Counts {
  n BigInt?

  @@ignore
}
*/
