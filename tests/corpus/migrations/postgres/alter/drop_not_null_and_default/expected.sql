-- AlterTable
ALTER TABLE "ps_dashboard_consolidado" ALTER COLUMN "fase_atual" DROP NOT NULL,
ALTER COLUMN "fase_atual" DROP DEFAULT,
ALTER COLUMN "ciclo_fisico_id" DROP NOT NULL;
