-- AlterTable
ALTER TABLE "TestModel" DROP COLUMN "names",
ADD COLUMN     "names" TEXT[];

-- CreateTable
CREATE TABLE "TestModel2" (
    "id" SERIAL NOT NULL,

    CONSTRAINT "TestModel2_pkey" PRIMARY KEY ("id")
);
