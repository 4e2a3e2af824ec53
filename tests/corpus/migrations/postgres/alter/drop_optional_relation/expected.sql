-- DropForeignKey
ALTER TABLE "cat" DROP CONSTRAINT "cat_externalTableId_fkey";

-- AlterTable
ALTER TABLE "cat" DROP COLUMN "externalTableId";
