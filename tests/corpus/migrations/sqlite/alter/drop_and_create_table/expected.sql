-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "cows";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "cats" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "meows" BOOLEAN DEFAULT true
);
