-- tags=postgres
-- source=prisma-engines sql-introspection-tests/tests/enums/postgres.rs invalid_enum_variants_regression

CREATE TYPE invalid_enum AS ENUM ('Y','N','123','$§!');

CREATE TABLE invalid_enum_value_name (
  field1 SERIAL PRIMARY KEY NOT NULL,
  here_be_enum invalid_enum DEFAULT NULL
);

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model invalid_enum_value_name {
  field1       Int           @id @default(autoincrement())
  here_be_enum invalid_enum?
}

enum invalid_enum {
  Y
  N
  // 123 @map("123")
  // $§! @map("$§!")
}
*/
