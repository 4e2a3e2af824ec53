-- AlterTable
ALTER TABLE "merchants" DROP COLUMN "Age",
ADD COLUMN     "age" INTEGER NOT NULL;
