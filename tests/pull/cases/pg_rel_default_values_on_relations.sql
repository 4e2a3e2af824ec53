-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/relations/postgres.rs default_values_on_relations

CREATE TABLE "User" (id SERIAL PRIMARY KEY);
CREATE TABLE "Post" (id SERIAL PRIMARY KEY, user_id INTEGER REFERENCES "User"("id") Default 0);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model Post {
  id      Int   @id @default(autoincrement())
  user_id Int?  @default(0)
  User    User? @relation(fields: [user_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
}

model User {
  id   Int    @id @default(autoincrement())
  Post Post[]
}
*/
