/* `prismac db push`: make a database match the schema (DDL as Prisma's
 * migration engine emits it). */
#ifndef PRISMAC_DBPUSH_H
#define PRISMAC_DBPUSH_H

#include <stdbool.h>

/* What db push is asked to do. */
typedef struct prismac_push_options {
    const char *schema_path; /* the schema file (not NULL) */
    const char *url;         /* the database, or NULL for the datasource's url */
    bool force_reset;        /* drop everything first */
} prismac_push_options;

/* Pushes the schema; reports on stdout/stderr. Returns the exit status. */
int prismac_db_push(const prismac_push_options *o);

/* Runs `prismac db push ARGS...` (ARGS after "push"); returns the exit status. */
int prismac_cmd_db_push(int argc, char **argv);

#endif
