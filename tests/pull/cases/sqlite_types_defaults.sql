-- tags=sqlite
-- source=ours: SQLite's declared types as Prisma's describer reads them, defaults
-- (CURRENT_TIMESTAMP is now(); an expression is dbgenerated), Unsupported types.

CREATE TABLE "Thing" (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    big BIGINT NOT NULL DEFAULT 42,
    ratio REAL NOT NULL DEFAULT 1.5,
    price DECIMAL NOT NULL DEFAULT 0,
    flag BOOLEAN NOT NULL DEFAULT true,
    off BOOLEAN NOT NULL DEFAULT false,
    name TEXT NOT NULL DEFAULT 'it''s',
    code VARCHAR(10),
    created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    day DATE,
    data BLOB,
    meta JSONB,
    stamp INTEGER DEFAULT (strftime('%s', 'now')),
    odd GEOMETRY
);

/*
generator client {
  provider = "prismac"
}

datasource db {
  provider = "sqlite"
}

model Thing {
  id      Int                      @id @default(autoincrement())
  big     BigInt                   @default(42)
  ratio   Float                    @default(1.5)
  price   Decimal                  @default(0)
  flag    Boolean                  @default(true)
  off     Boolean                  @default(false)
  name    String                   @default("it's")
  code    String?
  created DateTime                 @default(now())
  day     DateTime?
  data    Bytes?
  meta    Json?
  stamp   Int?                     @default(dbgenerated("strftime('%s', 'now')"))
  odd     Unsupported("geometry")?
}
*/
