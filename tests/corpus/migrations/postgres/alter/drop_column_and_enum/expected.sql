-- AlterTable
ALTER TABLE "transactions" DROP COLUMN "txType";

-- DropEnum
DROP TYPE "txType";
