/*
 * myserver: start a throwaway MariaDB server for tests.
 *
 * The server runs from a fresh `mariadb-install-db` in a private temporary
 * folder, listens only on 127.0.0.1 (plus a Unix socket inside that folder),
 * and is tuned for speed rather than durability (no binary log, no doublewrite
 * buffer, the redo log written at commit and flushed once a second: a killed
 * server keeps its commits, a killed machine may not).  Its settings are the
 * ones Prisma's users run: utf8mb4 with utf8mb4_unicode_ci, MariaDB's default
 * strict sql_mode, REPEATABLE READ, time zone UTC.
 *
 * It has a user MYSERVER_USER with password MYSERVER_PASSWORD that may do
 * everything (ALL PRIVILEGES ON *.* WITH GRANT OPTION: create and drop
 * databases, KILL other sessions), and a database MYSERVER_DATABASE the URL
 * names.  The server is a direct child of the calling process; on Linux it is
 * also killed if that process dies without calling myserver_stop().
 *
 * Binaries: mariadbd and mariadb-install-db, looked up in
 * $PRISMAC_MARIADB_BINDIR if set, else on PATH, /usr/sbin and /usr/bin (older
 * names mysqld and mysql_install_db are accepted).  When running as root the
 * server runs as the user "nobody", which owns the folder.
 *
 * Not thread-safe: call from one thread.
 */
#ifndef PRISMAC_TESTS_MYSERVER_H
#define PRISMAC_TESTS_MYSERVER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct myserver myserver;

/* The account and database every URL of a started server uses. */
#define MYSERVER_USER "prisma"
#define MYSERVER_PASSWORD "prisma"
#define MYSERVER_DATABASE "prismac"

/*
 * Starts a fresh server.  On success returns 0 and stores the handle in *out.
 * On failure returns -1, sets *out to NULL and writes a one-paragraph reason
 * into errbuf (what was tried, what failed, tail of the install or server log).
 */
int myserver_start(myserver **out, char *errbuf, size_t errlen);

/* "mysql://prisma:prisma@127.0.0.1:PORT/prismac": Prisma's url of the server. */
const char *myserver_url(const myserver *s);

/* TCP port the server listens on. */
int myserver_port(const myserver *s);

/* Temporary folder holding the data, logs and Unix socket. */
const char *myserver_dir(const myserver *s);

/* Path of the server's Unix socket (root connects there without a password). */
const char *myserver_socket(const myserver *s);

/* Kills the server (as a crash would: sessions see their connection lost)
 * and keeps the data: myserver_restart starts it again.  Accepts NULL. */
void myserver_halt(myserver *s);

/* Kills the server if it runs and starts it again on the same data and port
 * (what a server restart does to its clients).  0, or -1 with errbuf. */
int myserver_restart(myserver *s, char *errbuf, size_t errlen);

/* Stops the server, removes its temporary folder and frees s.  Accepts NULL. */
void myserver_stop(myserver *s);

/*
 * URL of a server shared by the whole process, started on first use and
 * stopped at exit (only by the process that started it, so forked children,
 * e.g. check's fork mode, can use it safely when it was started before the
 * fork).
 *   - PRISMAC_SKIP_MYSQL=1: returns NULL and sets *skipped = 1.
 *   - PRISMAC_TEST_MYSQL_URL set and non-empty: returns that URL, starts
 *     nothing (its user must be able to create and drop databases).
 *   - otherwise starts a server; on failure returns NULL, sets *skipped = 0
 *     and writes the reason into errbuf (the test must then fail).  A failure
 *     is remembered: later calls fail the same way without retrying.
 */
const char *myserver_shared_url(int *skipped, char *errbuf, size_t errlen);

/*
 * A fresh, empty database of the test program's own on the shared server
 * (myserver_shared_url: same opt-out and errors): creates a database named
 * `<prefix>_<pid>_<n>` and writes its URL into url (cap bytes).  The
 * databases made on a server of one's own (PRISMAC_TEST_MYSQL_URL) are
 * dropped at exit.  0; -1 with errbuf and *skipped as myserver_shared_url.
 */
int myserver_fresh_database(const char *prefix, char *url, size_t cap, int *skipped, char *errbuf,
                            size_t errlen);

/* server_url with its database replaced by `database` (query kept), into out
 * (n bytes).  Creates nothing. */
void myserver_database_url(const char *server_url, const char *database, char *out, size_t n);

/*
 * Connects with Connector/C to a `mysql://user:password@host:port/database`
 * url (percent-escapes decoded; query parameters ignored), utf8mb4, found
 * rows reported as Prisma connects (CLIENT_FOUND_ROWS), multi-statement text
 * queries allowed.  Returns the MYSQL handle (close with mysql_close) cast to
 * void * so that this header needs no <mysql.h>, or NULL with errbuf set.
 */
void *myserver_connect(const char *url, char *errbuf, size_t errlen);

/*
 * Runs sql (one statement, or several separated by `;`) on a handle of
 * myserver_connect, reading and discarding every result.  0, or -1 with
 * "errno: message" in errbuf.
 */
int myserver_exec(void *mysql, const char *sql, char *errbuf, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* PRISMAC_TESTS_MYSERVER_H */
