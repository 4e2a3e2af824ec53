-- AlterEnum
BEGIN;
CREATE TYPE "Mood_new" AS ENUM ('HUNGRY', 'SLEEPY');
ALTER TABLE "Cat" ALTER COLUMN "moods" DROP DEFAULT;
ALTER TABLE "Cat" ALTER COLUMN "moods" TYPE "Mood_new"[] USING ("moods"::text::"Mood_new"[]);
ALTER TYPE "Mood" RENAME TO "Mood_old";
ALTER TYPE "Mood_new" RENAME TO "Mood";
DROP TYPE "Mood_old";
ALTER TABLE "Cat" ALTER COLUMN "moods" SET DEFAULT ARRAY['SLEEPY']::"Mood"[];
COMMIT;

-- AlterTable
ALTER TABLE "Cat" ALTER COLUMN "moods" SET DEFAULT ARRAY['SLEEPY']::"Mood"[];
