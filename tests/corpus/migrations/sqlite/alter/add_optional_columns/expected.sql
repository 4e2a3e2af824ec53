-- AlterTable
ALTER TABLE "Settings" ADD COLUMN "note" TEXT;
ALTER TABLE "Settings" ADD COLUMN "quotaDays" INTEGER DEFAULT 7;
