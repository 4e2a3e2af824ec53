-- AlterTable
ALTER TABLE "Tokens" DROP COLUMN "expiration_time",
ADD COLUMN     "expiration_time" INTEGER NOT NULL;
