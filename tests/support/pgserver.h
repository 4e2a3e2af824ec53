/*
 * pgserver: start a throwaway PostgreSQL server for tests.
 *
 * The server runs from a fresh initdb in a private temporary folder, listens
 * only on 127.0.0.1 (plus a Unix socket inside that folder), trusts every
 * local connection, and is tuned for speed rather than durability.  It is a
 * direct child of the calling process; on Linux it is also told to shut down
 * if that process dies without calling pgserver_stop().
 *
 * Binaries are looked up in $PRISMAC_PG_BINDIR if set, else the first PATH
 * directory holding both initdb and postgres, else the highest version under
 * /usr/lib/postgresql/<version>/bin.  When running as root the server runs as
 * the user "nobody", because PostgreSQL refuses to run as root.
 *
 * Not thread-safe: call from one thread (ideally the main one; on Linux the
 * server is shut down when the thread that started it exits).
 */
#ifndef PRISMAC_TESTS_PGSERVER_H
#define PRISMAC_TESTS_PGSERVER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pgserver pgserver;

/* Superuser name created by initdb; the URL connects as this user. */
#define PGSERVER_USER "prismac"

/*
 * Starts a fresh server.  On success returns 0 and stores the handle in *out.
 * On failure returns -1, sets *out to NULL and writes a one-paragraph reason
 * into errbuf (what was tried, what failed, tail of initdb/postgres stderr).
 */
int pgserver_start(pgserver **out, char *errbuf, size_t errlen);

/* "postgresql://prismac@127.0.0.1:PORT/postgres", usable by libpq. */
const char *pgserver_url(const pgserver *s);

/* TCP port the server listens on. */
int pgserver_port(const pgserver *s);

/* Temporary folder holding the cluster, logs and Unix socket. */
const char *pgserver_dir(const pgserver *s);

/* Stops the postmaster (immediate shutdown, as a crash would) and keeps the
 * data: pgserver_restart starts it again.  Accepts NULL. */
void pgserver_halt(pgserver *s);

/* Stops the postmaster if it runs and starts it again on the same data and
 * port (what a server restart does to its clients).  0, or -1 with errbuf. */
int pgserver_restart(pgserver *s, char *errbuf, size_t errlen);

/* Stops the postmaster with a fast shutdown (sessions are ended, a
 * checkpoint is written and every WAL record reaches the streaming standbys
 * first) and keeps the data.  Accepts NULL. */
void pgserver_shutdown(pgserver *s);

/* ---- standbys (read replicas, failover) ----
 * The servers allow replication connections from loopback (initdb's
 * default), with wal_level replica. */

/* A streaming hot standby of `primary`, which must be running: pg_basebackup
 * into its own temporary folder (-R: it streams from primary), started on a
 * new free port; read-only until promoted.  0, or -1 with errbuf. */
int pgserver_start_standby(pgserver **out, const pgserver *primary, char *errbuf, size_t errlen);

/* Promotes the standby s (pg_promote) and returns once it takes writes.
 * 0, or -1 with errbuf. */
int pgserver_promote(pgserver *s, char *errbuf, size_t errlen);

/* Throws away s's data and makes it a fresh standby of `primary`, on the
 * same port and url as before (an old primary rejoining as a standby).
 * 0, or -1 with errbuf. */
int pgserver_rebuild_standby(pgserver *s, const pgserver *primary, char *errbuf, size_t errlen);

/* Stops the server, removes its temporary folder and frees s.  Accepts NULL. */
void pgserver_stop(pgserver *s);

/*
 * URL of a server shared by the whole process, started on first use and
 * stopped at exit (only by the process that started it, so forked children,
 * e.g. check's fork mode, can use it safely when it was started before the
 * fork).
 *   - PRISMAC_SKIP_POSTGRES=1: returns NULL and sets *skipped = 1.
 *   - PRISMAC_TEST_PG_URL set and non-empty: returns that URL, starts nothing.
 *   - otherwise starts a server; on failure returns NULL, sets *skipped = 0
 *     and writes the reason into errbuf (the test must then fail).  A failure
 *     is remembered: later calls fail the same way without retrying.
 */
const char *pgserver_shared_url(int *skipped, char *errbuf, size_t errlen);

/* server_url with its database replaced by `database`, into out (n bytes):
 * a test's own database on a shared server.  Creates nothing. */
void pgserver_database_url(const char *server_url, const char *database, char *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* PRISMAC_TESTS_PGSERVER_H */
