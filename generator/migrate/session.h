/* What every database command (db push, db pull, db execute, migrate ...)
 * starts with: load the schema, find its datasource's dialect, resolve the
 * url (--url, the datasource's url or env(), DATABASE_URL, ./.env) and open
 * the database through the runtime's backend.
 *
 * One session owns everything it opened: session_close releases it all. */
#ifndef PRISMAC_MIGRATE_SESSION_H
#define PRISMAC_MIGRATE_SESSION_H

#include <stdbool.h>

#include "conn.h"
#include "dburl.h"
#include "dialect.h"
#include "schema.h"

typedef struct mig_session {
    const char *cmd;         /* for messages: "db push", "migrate dev" */
    const char *schema_path; /* as given, or the default found */
    psl_schema *schema;      /* checked, without errors (session_load) */
    const psl_datasource *ds;
    const migrate_dialect *D; /* the datasource's dialect */
    psl_arena arena;          /* the connection's rows, the describe's state */
    mconn c;                  /* open after session_open */
    dburl u;
} mig_session;

/* Loads and checks the schema at `path` (NULL: ./schema.prisma, else
 * ./prisma/schema.prisma) and finds its dialect. Prints why not and returns
 * the exit status to stop with (1 failed, 2 no schema), else 0. */
int session_load(mig_session *s, const char *cmd, const char *path);

/* Opens the datasource's database (`url` overrides it); creates a
 * PostgreSQL database that does not exist, as Prisma does. Prints why not
 * and returns -1. */
int session_open(mig_session *s, const char *url);

/* Opens `url` with dialect D (no schema needed: db execute --url, the
 * shadow database, migrate diff --from-url); it manages the url's schema.
 * Prints why not and returns -1. */
int session_open_url(mig_session *s, const char *cmd, const migrate_dialect *D, const char *url);

/* "Datasource "db": PostgreSQL database "app", schema "public" at "localhost:5432"" */
void session_describe_target(const mig_session *s, psl_sql *o);

/* Releases everything; accepts a session never loaded or opened. */
void session_close(mig_session *s);

#endif
