-- AlterTable
ALTER TABLE "Piece" DROP COLUMN "nickName",
ADD COLUMN     "nickname" TEXT;
