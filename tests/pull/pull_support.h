/* What the db pull tests share: a database's describe as canonical text,
 * db pull through the library, fresh PostgreSQL databases. */
#ifndef PRISMAC_TESTS_PULL_SUPPORT_H
#define PRISMAC_TESTS_PULL_SUPPORT_H

#include <stdbool.h>

#include "dialect.h"

/* Everything describe reads of the database at url (dialect D), one line per
 * item, sorted, without what differs between two databases of the same
 * shape (oids, the database's name). malloc'd; NULL with *err on failure. */
char *ps_describe_text(const migrate_dialect *D, const char *url, char *err, size_t errlen);

/* db pull of url through the library (prismac_pull_render), with the
 * existing schema text `previous` (NULL: none). malloc'd schema text, NULL
 * with *err on failure; *warnings (may be NULL) receives Prisma's warnings. */
char *ps_pull(const migrate_dialect *D, const char *url, const char *previous, char **warnings, char *err,
              size_t errlen);

/* A new, empty PostgreSQL database `name` on the server of base_url (dropped
 * first when it exists), `setup_sql` (may be NULL) run in it; its url into
 * url. 0, or -1 with err. */
int ps_fresh_pg_database(const char *base_url, const char *name, const char *setup_sql, char *url, size_t len,
                         char *err, size_t errlen);

/* Runs SQL statements on url (PostgreSQL through libpq, SQLite file:PATH
 * through sqlite3). 0, or -1 with err. */
int ps_exec(const char *url, const char *sql, char *err, size_t errlen);

char *ps_read_file(const char *path); /* malloc'd, NULL when unreadable */

#endif
