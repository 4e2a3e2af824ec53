-- AlterTable
ALTER TABLE "UserToken" DROP COLUMN "expires_at",
ADD COLUMN     "expires_at" BIGINT;
