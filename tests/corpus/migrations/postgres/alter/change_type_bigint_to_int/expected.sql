-- AlterTable
ALTER TABLE "UserModel" ALTER COLUMN "tokenVersion" SET DATA TYPE INTEGER;
