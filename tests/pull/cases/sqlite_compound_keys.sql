-- tags=sqlite
-- source=ours: a compound primary key is @@id, a compound foreign key's relation lists
-- every column, index names that are not Prisma's default get map:.

CREATE TABLE "Account" (
    provider TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    label TEXT,
    PRIMARY KEY (provider, "providerId")
);
CREATE INDEX "Account_label_idx" ON "Account"(label);
CREATE INDEX "label_lookup" ON "Account"(label, provider);

CREATE TABLE "Session" (
    id TEXT NOT NULL PRIMARY KEY,
    provider TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    FOREIGN KEY (provider, "providerId") REFERENCES "Account"(provider, "providerId") ON DELETE CASCADE ON UPDATE CASCADE
);

/*
generator client {
  provider = "prismac"
}

datasource db {
  provider = "sqlite"
}

model Account {
  provider   String
  providerId String
  label      String?
  Session    Session[]

  @@id([provider, providerId])
  @@index([label])
  @@index([label, provider], map: "label_lookup")
}

model Session {
  id         String  @id
  provider   String
  providerId String
  Account    Account @relation(fields: [provider, providerId], references: [provider, providerId], onDelete: Cascade)
}
*/
