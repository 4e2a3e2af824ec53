-- RedefineIndex
DROP INDEX "A_a_b_key";
CREATE UNIQUE INDEX "CustomCompoundUnique" ON "A"("a", "b");

-- RedefineIndex
DROP INDEX "A_a_idx";
CREATE INDEX "CustomIndex" ON "A"("a");

-- RedefineIndex
DROP INDEX "A_name_key";
CREATE UNIQUE INDEX "CustomUnique" ON "A"("name");

-- RedefineIndex
DROP INDEX "B_a_b_idx";
CREATE INDEX "AnotherCustomIndex" ON "B"("a", "b");
