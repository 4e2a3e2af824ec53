DROP INDEX `Item_code_key` ON `Item`;
DROP INDEX `Item_shelf_idx` ON `Item`;
CREATE INDEX `Item_code_idx` ON `Item`(`code`);
CREATE UNIQUE INDEX `Item_shelf_slot_key` ON `Item`(`shelf`, `slot`);
