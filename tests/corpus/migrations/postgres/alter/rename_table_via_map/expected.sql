-- DropTable
DROP TABLE "Cat";

-- CreateTable
CREATE TABLE "cats" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "cats_pkey" PRIMARY KEY ("id")
);
