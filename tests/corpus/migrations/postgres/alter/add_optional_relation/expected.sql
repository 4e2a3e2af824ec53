-- AlterTable
ALTER TABLE "cat" ADD COLUMN     "externalTableId" INTEGER;

-- AddForeignKey
ALTER TABLE "cat" ADD CONSTRAINT "cat_externalTableId_fkey" FOREIGN KEY ("externalTableId") REFERENCES "ExternalTableA"("id") ON DELETE SET NULL ON UPDATE CASCADE;
