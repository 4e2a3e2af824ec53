-- tags=sqlite
-- source=ours: names Prisma cannot take are sanitized (sanitize_datamodel_names.rs:
-- leading non-letters dropped, other characters turned into '_') and mapped back.

CREATE TABLE "1-order items" (
    "item id" INTEGER NOT NULL PRIMARY KEY,
    "_qty" INTEGER NOT NULL,
    "price$" REAL
);
CREATE INDEX "by price" ON "1-order items"("price$" DESC, "_qty");

/*
generator client {
  provider = "prismac"
}

datasource db {
  provider = "sqlite"
}

model order_items {
  item_id Int    @id @default(autoincrement()) @map("item id")
  qty     Int    @map("_qty")
  price_  Float? @map("price$")

  @@index([price_(sort: Desc), qty], map: "by price")
  @@map("1-order items")
}
*/
