ALTER TABLE "public"."Account" ALTER COLUMN "name" SET NOT NULL;
ALTER TABLE "public"."Account" ALTER COLUMN "name" SET DEFAULT 'anonymous';
ALTER TABLE "public"."Account" ALTER COLUMN "balance" SET DEFAULT 10;
ALTER TABLE "public"."Account" ALTER COLUMN "note" DROP NOT NULL;
