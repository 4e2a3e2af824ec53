-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/enums/postgres.rs a_table_with_enum_default_values_that_look_like_booleans

CREATE Type truth as ENUM ('true', 'false', 'rumor');

CREATE TABLE "News" (
    id SERIAL PRIMARY KEY,
    confirmed truth NOT NULL DEFAULT 'true'
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model News {
  id        Int   @id @default(autoincrement())
  confirmed truth @default(true)
}

enum truth {
  true
  false
  rumor
}
*/
