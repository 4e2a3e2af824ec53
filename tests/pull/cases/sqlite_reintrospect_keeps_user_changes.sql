-- tags=sqlite
-- source=ours: re-introspection keeps the model, field and relation names given in the
-- existing schema (matched through @@map / @map), @updatedAt, @ignore, @@ignore, the
-- client-side defaults uuid() / cuid(), documentation comments and the models' order;
-- a new table is added at the end.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email_address TEXT NOT NULL,
    updated_at DATETIME NOT NULL,
    token TEXT NOT NULL,
    secret TEXT
);
CREATE UNIQUE INDEX users_email_address_key ON users(email_address);

CREATE TABLE posts (
    id TEXT NOT NULL PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT ON UPDATE CASCADE,
    body TEXT
);

CREATE TABLE audit (
    msg TEXT
);

CREATE TABLE new_table (
    id TEXT NOT NULL PRIMARY KEY
);

/* previous
generator client {
  provider = "prismac"
}

datasource db {
  provider = "sqlite"
}

/// A person.
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique @map("email_address")
  updatedAt DateTime @updatedAt @map("updated_at")
  token     String   @default(uuid())
  /// Never sent to clients.
  secret    String?  @ignore
  posts     Post[]

  @@map("users")
}

model Post {
  id       String  @id @default(cuid())
  authorId Int     @map("author_id")
  author   User    @relation(fields: [authorId], references: [id])
  body     String?

  @@map("posts")
}

model audit {
  msg String?

  @@ignore
}
*/

/*
generator client {
  provider = "prismac"
}

datasource db {
  provider = "sqlite"
}

/// A person.
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique @map("email_address")
  updatedAt DateTime @updatedAt @map("updated_at")
  token     String   @default(uuid())
  /// Never sent to clients.
  secret    String?  @ignore
  posts     Post[]

  @@map("users")
}

model Post {
  id       String  @id @default(cuid())
  authorId Int     @map("author_id")
  body     String?
  author   User    @relation(fields: [authorId], references: [id])

  @@map("posts")
}

model audit {
  msg String?

  @@ignore
}

model new_table {
  id String @id
}
*/
