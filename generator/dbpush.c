/* `prismac db push [options]`: the command line of generator/migrate/push.h
 * (until the one option parser of the CLI calls prismac_db_push itself). */
#include "dbpush.h"

#include <stdio.h>
#include <string.h>

#include "migrate/push.h"

static const char usage[] =
    "Usage: prismac db push [--schema FILE] [--url URL] [--force-reset]\n"
    "\n"
    "Creates the tables, columns, enums, indexes and foreign keys of the schema that the\n"
    "database lacks, in one transaction. Changes that would lose data are refused.\n"
    "\n"
    "  --schema FILE   the schema (default: ./schema.prisma, then ./prisma/schema.prisma)\n"
    "  --url URL       the database (default: the datasource url; env(\"X\") is read from the\n"
    "                  environment, then from the .env file of the current directory)\n"
    "                  file:PATH (SQLite, relative to the current directory),\n"
    "                  postgresql://USER:PASSWORD@HOST:PORT/DATABASE?schema=SCHEMA\n"
    "  --force-reset   drop every table, view and enum in the database (its schemas) first:\n"
    "                  all data is lost\n";

int prismac_cmd_db_push(int argc, char **argv)
{
    prismac_push_options o = { 0 };
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--schema") == 0 && i + 1 < argc) {
            o.schema_path = argv[++i];
        } else if (strncmp(a, "--schema=", 9) == 0) {
            o.schema_path = a + 9;
        } else if (strcmp(a, "--url") == 0 && i + 1 < argc) {
            o.url = argv[++i];
        } else if (strncmp(a, "--url=", 6) == 0) {
            o.url = a + 6;
        } else if (strcmp(a, "--force-reset") == 0) {
            o.force_reset = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "prismac db push: unknown option '%s'\n\n%s", a, usage);
            return 2;
        }
    }
    return prismac_db_push(&o);
}
