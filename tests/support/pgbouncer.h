/*
 * pgbouncer: Debian's PgBouncer (/usr/sbin/pgbouncer, or $PRISMAC_PGBOUNCER)
 * in transaction mode in front of a test's PostgreSQL server (pgserver.h).
 *
 * It runs from its own temporary folder (pgbouncer.ini, userlist.txt, log),
 * listens on 127.0.0.1 on a free port, trusts its clients, passes any
 * database name through to the server, and is stopped (its folder removed)
 * by pgbouncer_stop or, for the shared one, at exit. As root it runs as
 * `nobody` (PgBouncer refuses root). A PgBouncer that cannot start is a
 * failure with the reason (its log's tail); PRISMAC_SKIP_POSTGRES=1 skips it
 * as it skips PostgreSQL.
 */
#ifndef PRISMAC_TESTS_PGBOUNCER_H
#define PRISMAC_TESTS_PGBOUNCER_H

#include <stddef.h>

typedef struct pgbouncer pgbouncer;

/* Starts PgBouncer in front of the server of `server_url`
 * ("postgresql://user@127.0.0.1:PORT/db"). 0, or -1 with the reason. */
int pgbouncer_start(const char *server_url, pgbouncer **out, char *errbuf, size_t errlen);

/* Port PgBouncer listens on. */
int pgbouncer_port(const pgbouncer *b);

/* server_url with PgBouncer's port, `database` (NULL: the same) and
 * `params` appended (NULL: none; e.g. "pgbouncer=true"), into out. */
void pgbouncer_url(const pgbouncer *b, const char *server_url, const char *database, const char *params, char *out,
                   size_t n);

/* Stops PgBouncer, removes its folder and frees b. Accepts NULL. */
void pgbouncer_stop(pgbouncer *b);

/* A PgBouncer in front of the process's shared server (pgserver_shared_url),
 * started on first use and stopped at exit: its url to the shared server's
 * database, without parameters, or NULL (*skipped set for
 * PRISMAC_SKIP_POSTGRES=1, else the reason in errbuf). *direct (may be
 * NULL) receives the server's own url. */
const char *pgbouncer_shared_url(const char **direct, int *skipped, char *errbuf, size_t errlen);

#endif
