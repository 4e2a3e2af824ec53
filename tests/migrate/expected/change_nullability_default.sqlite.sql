PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Account" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL DEFAULT 'anonymous',
    "balance" INTEGER NOT NULL DEFAULT 10,
    "note" TEXT
);
INSERT INTO "new_Account" ("balance", "id", "name", "note") SELECT "balance", "id", coalesce("name", 'anonymous') AS "name", "note" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
