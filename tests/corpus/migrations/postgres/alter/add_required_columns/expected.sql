-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "assortment" TEXT[],
ADD COLUMN     "description_full" TEXT NOT NULL,
ADD COLUMN     "image" TEXT NOT NULL,
ADD COLUMN     "recipe" TEXT NOT NULL,
ADD COLUMN     "umovy" TEXT NOT NULL,
ADD COLUMN     "weight" TEXT NOT NULL;
