-- CreateTable
CREATE TABLE "_JogoToTag" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    CONSTRAINT "_JogoToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "Jogo" ("id_jogo") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "_JogoToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag" ("id_tags") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "_JogoToTag_AB_unique" ON "_JogoToTag"("A", "B");

-- CreateIndex
CREATE INDEX "_JogoToTag_B_index" ON "_JogoToTag"("B");
