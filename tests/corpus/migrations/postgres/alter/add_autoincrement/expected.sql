-- AlterTable
CREATE SEQUENCE "kambancolumn_order_seq";
ALTER TABLE "KambanColumn" ALTER COLUMN "order" SET DEFAULT nextval('kambancolumn_order_seq');
ALTER SEQUENCE "kambancolumn_order_seq" OWNED BY "KambanColumn"."order";
