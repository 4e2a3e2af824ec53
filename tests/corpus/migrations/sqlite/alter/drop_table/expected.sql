-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "foo";
PRAGMA foreign_keys=on;
