/* The datasource, resolved once for the runtime and for `prismac db push`.
 *
 * A datasource url is the url passed by the caller, else the schema's
 * literal url, else its env("VAR"): VAR from the environment, else from the
 * .env file of the current directory. The url then parses into what a
 * driver opens: the SQLite file, or the libpq conninfo without Prisma's own
 * parameters, plus the PostgreSQL schema and Prisma's parameters as values.
 *
 * Rules (README "Connecting"):
 *  - Relative SQLite paths are relative to the current directory (the
 *    project root, where prismac and the program run), as in Prisma 7; not
 *    to the schema's folder, as in Prisma 6.
 *  - .env is read from the current directory only. The environment wins
 *    over .env; in .env the first definition of a key wins. Values may be
 *    'single' (literal) or "double" quoted (\n, \r, \t, \", \\ escapes) and
 *    may span lines; an unquoted value ends at a `#` that follows a space
 *    or tab (a comment), so `p#w` stays whole. `export KEY=v` is KEY=v.
 *
 * Everything returned is malloc'd; dburl_free accepts a zeroed dburl. */
#ifndef PRISMA_DBURL_H
#define PRISMA_DBURL_H

#include <stdbool.h>
#include <stddef.h>

typedef enum dburl_kind {
    DBURL_INVALID = 0,
    DBURL_SQLITE,   /* file:PATH */
    DBURL_POSTGRES, /* postgresql:// or postgres:// (PostgreSQL and CockroachDB) */
} dburl_kind;

/* Prisma's connection parameters, -1 when the url does not set them. */
typedef struct dburl_params {
    int connection_limit;
    int pool_timeout_s;
    int connect_timeout_s; /* also kept in the conninfo: libpq reads it too */
    int socket_timeout_s;
    int statement_cache_size;
    int max_connection_lifetime_s;
    int max_idle_connection_lifetime_s;
    int pgbouncer;              /* 1 true, 0 false */
    int single_use_connections; /* 1 true, 0 false */
} dburl_params;

typedef struct dburl {
    dburl_kind kind;
    char *url;      /* the url as resolved */
    char *path;     /* SQLite: what sqlite3_open_v2 opens (SQLITE_OPEN_URI): the file, or a file: URI in memory */
    bool memory;    /* SQLite: an in-memory database (:memory: or mode=memory) */
    char *conninfo; /* PostgreSQL: the url as libpq takes it */
    char *schema;   /* PostgreSQL: ?schema= (percent-decoded), "public" when absent */
    bool schema_set; /* PostgreSQL: the url has ?schema= */
    char *database; /* PostgreSQL: the database in the url's path, NULL when none */
    dburl_params params;
} dburl;

/* What the url's scheme names (DBURL_INVALID: none we know). */
dburl_kind dburl_kind_of(const char *url);

/* Parses `url`. Returns 0; -1 when the url is not one we know or a
 * parameter is invalid (a sentence in why, Prisma's P1013); -2 when out of
 * memory. */
int dburl_parse(const char *url, dburl *out, char *why, size_t why_len);
void dburl_free(dburl *u);

/* The same PostgreSQL url (Prisma's parameters included) naming another
 * database, or NULL (out of memory, or not PostgreSQL). */
char *dburl_with_database(const dburl *u, const char *database);

typedef enum dburl_status {
    DBURL_OK,
    DBURL_NO_URL,      /* no override, no literal, no env() */
    DBURL_ENV_MISSING, /* env("VAR"): VAR is neither in the environment nor in ./.env */
    DBURL_NOMEM,
} dburl_status;

/* The datasource url: `given` (the caller's), else `literal`, else the
 * variable `env_name`. *out is malloc'd on DBURL_OK. */
dburl_status dburl_resolve(const char *given, const char *literal, const char *env_name, char **out);

/* The value of `name`: the environment's when set and not empty, else
 * ./.env's; NULL when neither (or out of memory). malloc'd. */
char *dburl_getenv(const char *name);

/* Looks `key` up in the text of a .env file. Returns 1 and a malloc'd value
 * in *out, 0 when the key is absent, -1 when out of memory. */
int dburl_dotenv_find(const char *text, size_t len, const char *key, char **out);

#endif
