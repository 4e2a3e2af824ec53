/* The datasource, resolved once for the runtime and for `prismac db push`.
 *
 * A datasource url is the url passed by the caller, else the schema's
 * literal url, else its env("VAR"), else (a Prisma 7 schema, without url)
 * DATABASE_URL: the variable from the environment, else from the .env file
 * of the current directory. The url then parses (each backend
 * parses its own scheme: backend_parse_url) into what the backend opens: a
 * file, or a server's conninfo without Prisma's own parameters, plus the
 * schema and Prisma's parameters as values. This file knows no database.
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

struct prisma_backend;

/* Prisma's connection parameters, -1 when the url does not set them. */
typedef struct dburl_params {
    int connection_limit;
    int pool_timeout_s;
    int connect_timeout_s; /* 0: no limit */
    int socket_timeout_s;
    int statement_cache_size;
    int max_connection_lifetime_s;
    int max_idle_connection_lifetime_s;
    int pgbouncer;              /* 1 true, 0 false */
    int single_use_connections; /* 1 true, 0 false */
    int sslaccept;              /* 1 strict, 0 accept_invalid_certs */
} dburl_params;

/* A parsed url. The backend whose scheme it has fills in what it opens
 * (its parse_url; backend_parse_url in backend.h picks the backend). */
typedef struct dburl {
    const struct prisma_backend *backend; /* the backend that opens it */
    char *url;       /* the url as resolved */
    char *path;      /* a file database: what it opens (SQLite: a path, or a file: URI in memory) */
    bool memory;     /* a database in memory (each connection would be its own) */
    char *conninfo;  /* a server: the url as its client library takes it */
    char *schema;    /* a server with schemas: ?schema= (percent-decoded), its default when absent */
    bool schema_set; /* the url has ?schema= */
    char *database;  /* a server: the database in the url's path, NULL when none */
    /* Prisma's TLS parameters (percent-decoded), NULL when absent: sslmode
     * (disable, prefer, require; a backend may take more), sslcert (the
     * SERVER's certificate or its CA, PEM, to trust), sslidentity (the
     * client's certificate and key, PKCS#12) and sslpassword (that file's
     * password). Paths are as given: relative to the current directory. */
    char *sslmode, *sslcert, *sslidentity, *sslpassword;
    dburl_params params;
} dburl;

/* Empties a dburl (every parameter -1); dburl_free frees what it holds and
 * accepts an emptied one. */
void dburl_init(dburl *u);
void dburl_free(dburl *u);
/* u->url, its parameters kept, naming another database (malloc'd; NULL when
 * out of memory): the url_with_database of scheme://host/database?... urls. */
char *dburl_with_database(const dburl *u, const char *database);

/* For the backends' parsers. One query parameter `k`=`v` (lengths klen and
 * vlen; k[klen] is '=' when a value is given): Prisma's typed parameters go
 * to u->params, ?schema= to u->schema, the TLS ones to u->ssl*. *prisma_only
 * says it is one of Prisma's, which the backend applies itself (it is not
 * handed to a client library as it is). Returns 0; -1 with `why` (Prisma's
 * P1013 words, naming the parameter) when its value is invalid; -2 when out
 * of memory. */
int dburl_param(dburl *u, const char *k, size_t klen, const char *v, size_t vlen, bool *prisma_only, char *why,
                size_t why_len);
/* Whether k[0..klen) is `name`. */
bool dburl_key_is(const char *k, size_t klen, const char *name);
/* %XX-decoded copy of s[0..n), or NULL when out of memory. */
char *dburl_percent_decode(const char *s, size_t n);

typedef enum dburl_status {
    DBURL_OK,
    DBURL_ENV_MISSING, /* the variable (env("VAR"), else DATABASE_URL) is neither in the environment nor in ./.env */
    DBURL_NOMEM,
} dburl_status;

/* The variable a datasource without url reads (Prisma 7 keeps the url out of
 * the schema; its projects set DATABASE_URL). */
#define DBURL_DEFAULT_ENV "DATABASE_URL"

/* The datasource url, in the order a Prisma user expects: `given` (the
 * caller's: prisma_connect's url, --url), else `literal` (the schema's url =
 * "..."), else the variable `env_name` (url = env("VAR")), else, when the
 * schema has no url at all (env_name NULL too), DATABASE_URL; a variable is
 * read from the environment, else from ./.env. *out is malloc'd on DBURL_OK. */
dburl_status dburl_resolve(const char *given, const char *literal, const char *env_name, char **out);

/* The value of `name`: the environment's when set and not empty, else
 * ./.env's; NULL when neither (or out of memory). malloc'd. */
char *dburl_getenv(const char *name);

/* Looks `key` up in the text of a .env file. Returns 1 and a malloc'd value
 * in *out, 0 when the key is absent, -1 when out of memory. */
int dburl_dotenv_find(const char *text, size_t len, const char *key, char **out);

#endif
