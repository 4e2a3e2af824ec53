/* `prismac db push` as a library: make a database match the schema.
 *
 * The target is the database schema Prisma's migration engine computes
 * (ddl.h). db push opens the datasource through the runtime's backends
 * (the url resolved by runtime/base/dburl.c and each backend's parse_url, as the program resolves it),
 * reads what the database holds (the dialect's describe), plans what is
 * missing (plan.c) and applies the plan in one transaction (apply.c).
 * As Prisma's db push: changes that lose data (a dropped column or table, a
 * cast, a new unique constraint, removed enum values, a changed primary key)
 * are listed as warnings and applied only with accept_data_loss; changes
 * that cannot run over the rows there are (a required column without
 * default added to a table with rows, ...) are refused unless force_reset,
 * which drops everything db push can see and recreates it. */
#ifndef PRISMAC_MIGRATE_PUSH_H
#define PRISMAC_MIGRATE_PUSH_H

#include <stdbool.h>

typedef struct prismac_push_options {
    const char *schema_path; /* a file or a folder (multi-file); NULL: ./schema.prisma, else ./prisma/schema.prisma */
    const char *url;         /* NULL: the datasource's url (a literal, or env("VAR"); none: DATABASE_URL), a
                                variable from the environment or ./.env */
    bool force_reset;        /* drop everything in the database (its schemas) first */
    bool accept_data_loss;   /* apply changes that lose data (else they are listed and nothing is done) */
} prismac_push_options;

/* Pushes; reports on stdout and stderr. Returns the exit status: 0 done (or
 * nothing to do), 1 failed or refused, 2 no schema to read. */
int prismac_db_push(const prismac_push_options *o);

/* Plans as prismac_db_push does, and applies nothing: *script receives the
 * statements the push would run, in order, each followed by ";\n" (""
 * when the database is in sync; malloc'd, NULL unless 0 is returned). A
 * plan the push would refuse (warnings without accept_data_loss,
 * unexecutable steps) returns 1, as the push does. */
int prismac_db_push_plan(const prismac_push_options *o, char **script);

#endif
