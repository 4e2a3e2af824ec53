-- DropIndex
DROP INDEX "Post_slug_key";

-- DropIndex
DROP INDEX "Post_title_idx";

-- CreateIndex
CREATE INDEX "Post_authorId_title_idx" ON "Post"("authorId", "title");
