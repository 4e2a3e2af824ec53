-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_cat" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "externalTableId" INTEGER,
    CONSTRAINT "cat_externalTableId_fkey" FOREIGN KEY ("externalTableId") REFERENCES "ExternalTableA" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_cat" ("id", "name") SELECT "id", "name" FROM "cat";
DROP TABLE "cat";
ALTER TABLE "new_cat" RENAME TO "cat";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
