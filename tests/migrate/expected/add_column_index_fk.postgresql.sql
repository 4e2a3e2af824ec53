ALTER TABLE "User" ADD COLUMN     "bio" TEXT;
CREATE INDEX "Post_title_idx" ON "Post"("title");
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
