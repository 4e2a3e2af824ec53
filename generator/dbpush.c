/* `prismac db push`: make a database match the schema.
 *
 * The target is the database schema Prisma's migration engine computes
 * (ddl.h). db push reads what the database holds (SQLite: sqlite_master and
 * the table pragmas; PostgreSQL: pg_catalog), plans what is missing, and
 * applies the plan in one transaction. Changes that would lose data or that
 * prismac cannot make in place (dropping or retyping a column or table, a
 * required column without default on a table with rows, removing enum
 * values, changing a primary key) are refused with a list of them, unless
 * --force-reset, which drops everything db push can see and recreates it. */
#include "dbpush.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "fileio.h"
#include "ddl.h"
#include "schema.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static const char usage[] =
    "Usage: prismac db push [--schema FILE] [--url URL] [--force-reset]\n"
    "\n"
    "Creates the tables, columns, enums, indexes and foreign keys of the schema that the\n"
    "database lacks, in one transaction. Changes that would lose data are refused.\n"
    "\n"
    "  --schema FILE   the schema (default: ./schema.prisma, then ./prisma/schema.prisma)\n"
    "  --url URL       the database (default: the datasource url; env(\"X\") is read from the\n"
    "                  environment, then from .env next to the schema, then from ./.env)\n"
    "                  file:PATH (SQLite, relative to the schema's folder),\n"
    "                  postgresql://USER:PASSWORD@HOST:PORT/DATABASE?schema=SCHEMA\n"
    "  --force-reset   drop every table, view and enum in the database (its schemas) first:\n"
    "                  all data is lost\n";

/* ---- options ---- */

typedef struct push_opts {
    const char *schema;
    const char *url;
    bool force_reset;
    bool help;
} push_opts;

static int parse_args(int argc, char **argv, push_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--schema") == 0 && i + 1 < argc) {
            o->schema = argv[++i];
        } else if (strncmp(a, "--schema=", 9) == 0) {
            o->schema = a + 9;
        } else if (strcmp(a, "--url") == 0 && i + 1 < argc) {
            o->url = argv[++i];
        } else if (strncmp(a, "--url=", 6) == 0) {
            o->url = a + 6;
        } else if (strcmp(a, "--force-reset") == 0) {
            o->force_reset = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
        } else {
            fprintf(stderr, "prismac db push: unknown option '%s'\n\n%s", a, usage);
            return -1;
        }
    }
    if (!o->schema && !o->help) {
        if (access("schema.prisma", F_OK) == 0)
            o->schema = "schema.prisma";
        else if (access("prisma/schema.prisma", F_OK) == 0)
            o->schema = "prisma/schema.prisma";
        else {
            fprintf(stderr, "prismac db push: no schema found: looked for ./schema.prisma and "
                            "./prisma/schema.prisma (use --schema FILE)\n");
            return -1;
        }
    }
    return 0;
}

/* ---- the database URL ---- */

/* The folder of `path` ("." when it has none), in the arena. */
static const char *dir_of(psl_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    if (slash == path)
        return "/";
    return psl_arena_strndup(a, path, (size_t)(slash - path));
}

/* Looks `key` up in a dotenv file: KEY=VALUE lines, `export ` allowed,
 * values optionally single- or double-quoted, `#` comments. Returns 0 and
 * the value (in the arena) in *out, or -1 when the file or key is absent. */
static int dotenv_lookup(psl_arena *a, const char *path, const char *key, const char **out)
{
    char *text = NULL;
    size_t len;
    int rc = -1;
    if (prismac_read_file(path, &text, &len) != 0)
        return -1;
    size_t klen = strlen(key);
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "export ", 7) == 0)
            p += 7;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, key, klen) != 0) {
            line = next;
            continue;
        }
        p += klen;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=') {
            line = next;
            continue;
        }
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        char *end;
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            end = strchr(p, q);
            if (!end)
                end = p + strlen(p);
        } else {
            end = p;
            while (*end && !(*end == '#' && (end == p || end[-1] == ' ' || end[-1] == '\t')))
                end++;
            while (end > p && isspace((unsigned char)end[-1]))
                end--;
        }
        *out = psl_arena_strndup(a, p, (size_t)(end - p));
        rc = 0; /* the last definition wins, as in dotenv */
        line = next;
    }
    free(text);
    return rc;
}

/* The URL to use: --url, the datasource's literal url, or its env("X") from
 * the environment, .env next to the schema, or ./.env. */
static int resolve_url(psl_arena *a, const push_opts *o, const psl_datasource *ds, const char **out)
{
    if (o->url) {
        *out = o->url;
        return 0;
    }
    if (ds->url) {
        *out = ds->url;
        return 0;
    }
    if (!ds->url_env) {
        fprintf(stderr, "Error: the datasource \"%s\" has no url: set one, or pass --url URL\n", ds->name);
        return -1;
    }
    const char *v = getenv(ds->url_env);
    if (v && *v) {
        *out = v;
        return 0;
    }
    const char *candidates[2] = { psl_arena_printf(a, "%s/.env", dir_of(a, o->schema)), ".env" };
    for (int i = 0; i < 2; i++)
        if (dotenv_lookup(a, candidates[i], ds->url_env, out) == 0 && **out)
            return 0;
    fprintf(stderr,
            "Error: P1012: Environment variable not found: %s.\n"
            "  The datasource \"%s\" reads its url from env(\"%s\"): set it in the environment or in a .env "
            "file (next to the schema or in the current folder), or pass --url URL.\n",
            ds->url_env, ds->name, ds->url_env);
    return -1;
}

/* ---- connections ---- */

typedef struct db {
    psl_provider provider;
    sqlite3 *lite;
    PGconn *pg;
    const char *schema;   /* PostgreSQL: the default schema (?schema=, else public) */
    const char **managed; /* PostgreSQL: the schemas db push reads and writes */
    size_t n_managed;
    const char *where;    /* for messages: host:port, or the SQLite path */
    const char *db_name;  /* for messages */
    bool created;         /* the database did not exist and was created */
    psl_arena *a;
    char err[2048];       /* the last database error */
} db;

static void set_err(db *c, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void set_err(db *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    size_t n = strlen(c->err);
    while (n && isspace((unsigned char)c->err[n - 1]))
        c->err[--n] = '\0';
}

/* A query's rows as text; NULL cells for SQL NULL. Lives in the arena. */
typedef struct qres {
    size_t rows, cols;
    const char **cells;
} qres;

static const char *cell(const qres *r, size_t row, size_t col)
{
    return r->cells[row * r->cols + col];
}

static int lite_query(db *c, const char *sql, const char *const *params, int n, qres *out)
{
    sqlite3_stmt *st = NULL;
    psl_vec cells = { 0 };
    int rc = -1, s;
    if (sqlite3_prepare_v2(c->lite, sql, -1, &st, NULL) != SQLITE_OK) {
        set_err(c, "%s", sqlite3_errmsg(c->lite));
        goto done;
    }
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
    out->cols = (size_t)sqlite3_column_count(st);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t k = 0; k < out->cols; k++) {
            bool null = sqlite3_column_type(st, (int)k) == SQLITE_NULL;
            const unsigned char *v = sqlite3_column_text(st, (int)k);
            psl_vec_push_const(c->a, &cells, null || !v ? NULL : psl_arena_strdup(c->a, (const char *)v));
        }
        out->rows++;
    }
    if (s != SQLITE_DONE) {
        set_err(c, "%s", sqlite3_errmsg(c->lite));
        goto done;
    }
    out->cells = psl_arena_alloc(c->a, (cells.len + 1) * sizeof *out->cells);
    for (size_t i = 0; i < cells.len; i++)
        out->cells[i] = cells.items[i];
    rc = 0;
done:
    sqlite3_finalize(st);
    return rc;
}

static int pg_query(db *c, const char *sql, const char *const *params, int n, qres *out)
{
    PGresult *r = PQexecParams(c->pg, sql, n, NULL, params, NULL, NULL, 0);
    int rc = -1;
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        set_err(c, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg));
        goto done;
    }
    out->rows = (size_t)PQntuples(r);
    out->cols = (size_t)PQnfields(r);
    out->cells = psl_arena_alloc(c->a, (out->rows * out->cols + 1) * sizeof *out->cells);
    for (size_t i = 0; i < out->rows; i++)
        for (size_t k = 0; k < out->cols; k++)
            out->cells[i * out->cols + k] =
                PQgetisnull(r, (int)i, (int)k) ? NULL : psl_arena_strdup(c->a, PQgetvalue(r, (int)i, (int)k));
    rc = 0;
done:
    PQclear(r);
    return rc;
}

/* Runs a query with text parameters ($1 / ?1). Returns 0, or -1 with c->err. */
static int db_query(db *c, const char *sql, const char *const *params, int n, qres *out)
{
    memset(out, 0, sizeof *out);
    return c->pg ? pg_query(c, sql, params, n, out) : lite_query(c, sql, params, n, out);
}

/* Runs one statement. Returns 0, or -1 with c->err. */
static int db_exec(db *c, const char *sql)
{
    int rc = -1;
    if (c->pg) {
        PGresult *r = PQexec(c->pg, sql);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
            rc = 0;
        else
            set_err(c, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg));
        PQclear(r);
        return rc;
    }
    char *msg = NULL;
    if (sqlite3_exec(c->lite, sql, NULL, NULL, &msg) == SQLITE_OK)
        rc = 0;
    else
        set_err(c, "%s", msg ? msg : sqlite3_errmsg(c->lite));
    sqlite3_free(msg);
    return rc;
}

static long long db_count(db *c, const char *sql)
{
    qres r;
    if (db_query(c, sql, NULL, 0, &r) != 0 || r.rows != 1 || !cell(&r, 0, 0))
        return -1;
    return strtoll(cell(&r, 0, 0), NULL, 10);
}

static void db_close(db *c)
{
    if (c->lite)
        sqlite3_close(c->lite);
    if (c->pg)
        PQfinish(c->pg);
    c->lite = NULL;
    c->pg = NULL;
}

/* Opens file:PATH, relative to the schema's folder as in Prisma. */
static int open_sqlite(db *c, const char *url, const char *schema_path)
{
    const char *p = url + 5;
    if (strncmp(p, "//", 2) == 0)
        p += 2;
    size_t n = strcspn(p, "?");
    if (n == 0) {
        fprintf(stderr, "Error: P1013: The provided database string is invalid: `%s` names no file.\n", url);
        return -1;
    }
    const char *rel = psl_arena_strndup(c->a, p, n);
    const char *path = rel[0] == '/' ? rel : psl_arena_printf(c->a, "%s/%s", dir_of(c->a, schema_path), rel);
    const char *base = strrchr(rel, '/');
    c->db_name = base ? base + 1 : rel;
    c->where = url;
    struct stat st;
    c->created = stat(path, &st) != 0;
    if (sqlite3_open_v2(path, &c->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fprintf(stderr, "Error: P1003: cannot open the SQLite database at `%s`: %s\n", path,
                c->lite ? sqlite3_errmsg(c->lite) : "out of memory");
        return -1;
    }
    sqlite3_busy_timeout(c->lite, 5000);
    /* The database file exists once something is written; make it now so a
     * push with nothing to do still leaves a database behind, as Prisma. */
    if (db_exec(c, "PRAGMA user_version") != 0) {
        fprintf(stderr, "Error: cannot use the SQLite database at `%s`: %s\n", path, c->err);
        return -1;
    }
    return 0;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = tolower(ch);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

static const char *percent_decode(psl_arena *a, const char *s, size_t n)
{
    char *out = psl_arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            out[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

/* Splits Prisma's own query parameters off a PostgreSQL URL: libpq rejects
 * them. `schema` selects the default schema. */
static const char *libpq_url(psl_arena *a, const char *url, const char **schema)
{
    static const char *const prisma_only[] = {
        "schema", "connection_limit", "pool_timeout", "socket_timeout", "pgbouncer",
        "statement_cache_size", "sslaccept", "sslidentity", "max_connection_lifetime",
        "max_idle_connection_lifetime", "single_use_connections",
    };
    const char *q = strchr(url, '?');
    if (!q)
        return url;
    char *out = psl_arena_alloc(a, strlen(url) + 1);
    size_t o = (size_t)(q - url);
    memcpy(out, url, o);
    char sep = '?';
    for (const char *p = q + 1; *p;) {
        size_t n = strcspn(p, "&");
        size_t klen = strcspn(p, "=&");
        bool drop = false;
        for (size_t i = 0; i < sizeof prisma_only / sizeof prisma_only[0]; i++)
            if (strlen(prisma_only[i]) == klen && strncmp(p, prisma_only[i], klen) == 0)
                drop = true;
        if (klen == 6 && strncmp(p, "schema", 6) == 0 && p[klen] == '=')
            *schema = percent_decode(a, p + 7, n - 7);
        if (!drop && n) {
            out[o++] = sep;
            memcpy(out + o, p, n);
            o += n;
            sep = '&';
        }
        p += n;
        if (*p == '&')
            p++;
    }
    out[o] = '\0';
    return out;
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "schema already exists, skipping" and the like */
}

/* Connects to url, with a 10 s default connect timeout; dbname overrides the
 * URL's database when not NULL. */
static PGconn *pg_connect(const char *url, const char *dbname)
{
    const char *keys[] = { "connect_timeout", "dbname", dbname ? "dbname" : NULL, NULL };
    const char *vals[] = { "10", url, dbname, NULL };
    return PQconnectdbParams(keys, vals, 1);
}

/* Prisma's connection error codes from libpq's message. */
static const char *pg_error_code(const char *msg)
{
    if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied") ||
        (strstr(msg, "role \"") && strstr(msg, "does not exist")))
        return "P1000";
    if (strstr(msg, "database \"") && strstr(msg, "does not exist"))
        return "P1003";
    return "P1001";
}

static int open_postgres(db *c, const char *url)
{
    const char *schema = NULL;
    const char *conninfo = libpq_url(c->a, url, &schema);
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &perr);
    int rc = -1;
    if (!opts) {
        fprintf(stderr, "Error: P1013: The provided database string is invalid. %s\n",
                perr ? perr : "out of memory");
        PQfreemem(perr);
        return -1;
    }
    const char *host = NULL, *port = NULL, *dbname = NULL, *user = NULL;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !*o->val)
            continue;
        if (strcmp(o->keyword, "host") == 0)
            host = psl_arena_strdup(c->a, o->val);
        else if (strcmp(o->keyword, "port") == 0)
            port = psl_arena_strdup(c->a, o->val);
        else if (strcmp(o->keyword, "dbname") == 0)
            dbname = psl_arena_strdup(c->a, o->val);
        else if (strcmp(o->keyword, "user") == 0)
            user = psl_arena_strdup(c->a, o->val);
    }
    PQconninfoFree(opts);
    c->schema = schema && *schema ? schema : "public";
    c->where = psl_arena_printf(c->a, "%s:%s", host ? host : "localhost", port ? port : "5432");
    c->db_name = dbname ? dbname : user ? user : "postgres";

    c->pg = pg_connect(conninfo, NULL);
    if (c->pg && PQstatus(c->pg) != CONNECTION_OK &&
        strcmp(pg_error_code(PQerrorMessage(c->pg)), "P1003") == 0) {
        /* Like Prisma, db push creates a database that does not exist yet. */
        PGconn *admin = pg_connect(conninfo, "postgres");
        if (admin && PQstatus(admin) == CONNECTION_OK) {
            psl_sql q = { 0 };
            psl_sql_puts(&q, "CREATE DATABASE ");
            psl_sql_ident(&q, c->db_name);
            PGresult *r = q.failed ? NULL : PQexec(admin, psl_sql_text(&q));
            c->created = PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
            psl_sql_free(&q);
        }
        PQfinish(admin);
        if (c->created) {
            PQfinish(c->pg);
            c->pg = pg_connect(conninfo, NULL);
        }
    }
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        char *msg = psl_arena_strdup(c->a, c->pg ? PQerrorMessage(c->pg) : "out of memory");
        for (size_t n = strlen(msg); n && isspace((unsigned char)msg[n - 1]); n--)
            msg[n - 1] = '\0'; /* libpq ends its messages with a newline */
        const char *code = pg_error_code(msg);
        if (strcmp(code, "P1001") == 0)
            fprintf(stderr,
                    "Error: P1001: Can't reach database server at `%s`\n\n"
                    "Please make sure your database server is running at `%s`.\n(libpq: %s)\n",
                    c->where, c->where, msg);
        else if (strcmp(code, "P1000") == 0)
            fprintf(stderr,
                    "Error: P1000: Authentication failed against database server at `%s`, the provided "
                    "database credentials for `%s` are not valid.\n(libpq: %s)\n",
                    c->where, user ? user : "(default user)", msg);
        else
            fprintf(stderr, "Error: P1003: Database `%s` does not exist on the database server at `%s`.\n(libpq: %s)\n",
                    c->db_name, c->where, msg);
        goto done;
    }
    PQsetNoticeProcessor(c->pg, quiet_notices, NULL);
    /* Unqualified names (the single-schema case) go to the default schema. */
    const char *params[1] = { c->schema };
    qres r;
    if (db_query(c, "SELECT set_config('search_path', quote_ident($1), false)", params, 1, &r) != 0) {
        fprintf(stderr, "Error: cannot select the schema \"%s\": %s\n", c->schema, c->err);
        goto done;
    }
    rc = 0;
done:
    return rc;
}

/* ---- what the database holds ---- */

typedef struct db_col {
    const char *name, *type, *dflt;
    const char *enum_schema, *enum_name; /* PostgreSQL enum (or enum array) columns */
    bool not_null, is_list, identity, matched;
} db_col;

typedef struct db_index {
    const char *name, *method;
    bool unique;
    bool constraint; /* PostgreSQL: backs a UNIQUE constraint; SQLite: made by a UNIQUE clause */
    bool special;    /* on an expression, or partial: never one of ours */
    bool matched;
    size_t n;
    const char **cols, **ops;
    bool *desc, *ops_default;
} db_index;

typedef struct db_fk {
    const char *name, *ref_schema, *ref_table, *on_delete, *on_update;
    size_t n;
    const char **cols, **ref_cols;
    bool matched;
} db_fk;

typedef struct db_table {
    const char *schema, *name, *oid;
    psl_vec cols, indexes, fks; /* db_col*, db_index*, db_fk* */
    const char *pk_name;
    psl_vec pk_cols; /* const char* */
    long long rows;  /* -1 until counted */
    bool matched;
} db_table;

typedef struct db_enum {
    const char *schema, *name;
    psl_vec values;
    bool matched;
} db_enum;

typedef struct db_state {
    psl_vec tables;  /* db_table* */
    psl_vec enums;   /* db_enum* */
    psl_vec schemas; /* existing namespaces among the managed ones */
    psl_vec views;   /* "kind\tschema\tname": v, m (for --force-reset) */
} db_state;

static db_table *new_table(db *c, const char *schema, const char *name)
{
    db_table *t = psl_arena_alloc(c->a, sizeof *t);
    t->schema = schema;
    t->name = name;
    t->rows = -1;
    return t;
}

static int lite_introspect_table(db *c, db_table *t)
{
    qres r;
    const char *p[1] = { t->name };
    if (db_query(c, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid", p, 1,
                 &r) != 0)
        return -1;
    const char *pk[64] = { 0 };
    size_t n_pk = 0;
    for (size_t i = 0; i < r.rows; i++) {
        db_col *col = psl_arena_alloc(c->a, sizeof *col);
        col->name = cell(&r, i, 0);
        col->type = cell(&r, i, 1) ? cell(&r, i, 1) : "";
        col->not_null = cell(&r, i, 2) && strcmp(cell(&r, i, 2), "0") != 0;
        col->dflt = cell(&r, i, 3);
        long k = cell(&r, i, 4) ? strtol(cell(&r, i, 4), NULL, 10) : 0;
        if (k > 0 && k <= 64) {
            pk[k - 1] = col->name;
            if ((size_t)k > n_pk)
                n_pk = (size_t)k;
        }
        psl_vec_push(c->a, &t->cols, col);
    }
    for (size_t i = 0; i < n_pk; i++)
        psl_vec_push_const(c->a, &t->pk_cols, pk[i]);

    qres ix;
    if (db_query(c, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)", p, 1, &ix) != 0)
        return -1;
    for (size_t i = 0; i < ix.rows; i++) {
        if (strcmp(cell(&ix, i, 2), "pk") == 0)
            continue;
        db_index *x = psl_arena_alloc(c->a, sizeof *x);
        x->name = cell(&ix, i, 0);
        x->unique = strcmp(cell(&ix, i, 1), "0") != 0;
        x->constraint = strcmp(cell(&ix, i, 2), "u") == 0;
        x->special = strcmp(cell(&ix, i, 3), "0") != 0;
        const char *q[1] = { x->name };
        qres cols;
        if (db_query(c, "SELECT name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno", q, 1,
                     &cols) != 0)
            return -1;
        x->n = cols.rows;
        x->cols = psl_arena_alloc(c->a, (cols.rows + 1) * sizeof *x->cols);
        x->ops = psl_arena_alloc(c->a, (cols.rows + 1) * sizeof *x->ops);
        x->desc = psl_arena_alloc(c->a, (cols.rows + 1) * sizeof *x->desc);
        x->ops_default = psl_arena_alloc(c->a, (cols.rows + 1) * sizeof *x->ops_default);
        for (size_t k = 0; k < cols.rows; k++) {
            x->cols[k] = cell(&cols, k, 0);
            x->desc[k] = cell(&cols, k, 1) && strcmp(cell(&cols, k, 1), "0") != 0;
            x->ops_default[k] = true;
            if (!x->cols[k])
                x->special = true; /* an expression */
        }
        psl_vec_push(c->a, &t->indexes, x);
    }

    qres fk;
    if (db_query(c,
                 "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?1) "
                 "ORDER BY id, seq",
                 p, 1, &fk) != 0)
        return -1;
    for (size_t i = 0; i < fk.rows;) {
        size_t j = i;
        while (j < fk.rows && strcmp(cell(&fk, j, 0), cell(&fk, i, 0)) == 0)
            j++;
        db_fk *f = psl_arena_alloc(c->a, sizeof *f);
        f->ref_table = cell(&fk, i, 1);
        f->on_update = cell(&fk, i, 4);
        f->on_delete = cell(&fk, i, 5);
        f->n = j - i;
        f->cols = psl_arena_alloc(c->a, (f->n + 1) * sizeof *f->cols);
        f->ref_cols = psl_arena_alloc(c->a, (f->n + 1) * sizeof *f->ref_cols);
        for (size_t k = i; k < j; k++) {
            f->cols[k - i] = cell(&fk, k, 2);
            f->ref_cols[k - i] = cell(&fk, k, 3) ? cell(&fk, k, 3) : "";
        }
        psl_vec_push(c->a, &t->fks, f);
        i = j;
    }
    return 0;
}

static int lite_introspect(db *c, db_state *st)
{
    qres r;
    if (db_query(c,
                 "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE "
                 "'sqlite\\_%' ESCAPE '\\' AND name <> '_prisma_migrations' ORDER BY rowid",
                 NULL, 0, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows; i++) {
        if (strcmp(cell(&r, i, 0), "view") == 0) {
            psl_vec_push_const(c->a, &st->views, psl_arena_printf(c->a, "v\t\t%s", cell(&r, i, 1)));
            continue;
        }
        db_table *t = new_table(c, NULL, cell(&r, i, 1));
        if (lite_introspect_table(c, t) != 0)
            return -1;
        psl_vec_push(c->a, &st->tables, t);
    }
    return 0;
}

/* A PostgreSQL text[] literal of the managed schemas, for = ANY($1). */
static const char *managed_array(db *c)
{
    psl_sql b = { 0 };
    psl_sql_puts(&b, "{");
    for (size_t i = 0; i < c->n_managed; i++) {
        psl_sql_puts(&b, i ? ",\"" : "\"");
        for (const char *p = c->managed[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                psl_sql_puts(&b, "\\");
            psl_sql_putn(&b, p, 1);
        }
        psl_sql_puts(&b, "\"");
    }
    psl_sql_puts(&b, "}");
    const char *out = b.failed ? NULL : psl_arena_strdup(c->a, psl_sql_text(&b));
    psl_sql_free(&b);
    return out;
}

static const char *pg_action(const char *code)
{
    switch (code ? code[0] : 'a') {
    case 'r': return "RESTRICT";
    case 'c': return "CASCADE";
    case 'n': return "SET NULL";
    case 'd': return "SET DEFAULT";
    default: return "NO ACTION";
    }
}

static bool is_true(const char *v)
{
    return v && (strcmp(v, "t") == 0 || strcmp(v, "true") == 0);
}

static int pg_introspect_table(db *c, db_table *t)
{
    const char *p[1] = { t->oid };
    qres r;
    if (db_query(c,
                 "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                 "pg_get_expr(d.adbin, d.adrelid), t.typcategory = 'A', COALESCE(et.typtype, t.typtype) = 'e', "
                 "COALESCE(en.nspname, tn.nspname), COALESCE(et.typname, t.typname), a.attidentity <> '' "
                 "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                 "JOIN pg_namespace tn ON tn.oid = t.typnamespace "
                 "LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem "
                 "LEFT JOIN pg_namespace en ON en.oid = et.typnamespace "
                 "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                 "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                 p, 1, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows; i++) {
        db_col *col = psl_arena_alloc(c->a, sizeof *col);
        col->name = cell(&r, i, 0);
        col->type = cell(&r, i, 1);
        col->not_null = is_true(cell(&r, i, 2));
        col->dflt = cell(&r, i, 3);
        col->is_list = is_true(cell(&r, i, 4));
        if (is_true(cell(&r, i, 5))) {
            col->enum_schema = cell(&r, i, 6);
            col->enum_name = cell(&r, i, 7);
        }
        col->identity = is_true(cell(&r, i, 8));
        psl_vec_push(c->a, &t->cols, col);
    }

    qres pk;
    if (db_query(c,
                 "SELECT con.conname, a.attname FROM pg_constraint con "
                 "CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord) "
                 "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
                 "WHERE con.conrelid = $1::oid AND con.contype = 'p' ORDER BY k.ord",
                 p, 1, &pk) != 0)
        return -1;
    for (size_t i = 0; i < pk.rows; i++) {
        t->pk_name = cell(&pk, i, 0);
        psl_vec_push_const(c->a, &t->pk_cols, cell(&pk, i, 1));
    }

    qres ix;
    if (db_query(c,
                 "SELECT ic.relname, i.indisunique, am.amname, "
                 "EXISTS (SELECT 1 FROM pg_constraint u WHERE u.conindid = i.indexrelid AND u.conrelid = i.indrelid "
                 "AND u.contype IN ('u', 'x')), "
                 "i.indpred IS NOT NULL OR i.indexprs IS NOT NULL, a.attname, "
                 "(i.indoption[k.ord - 1] & 1) = 1, opc.opcname, opc.opcdefault "
                 "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam "
                 "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) "
                 "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0 "
                 "LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.ord - 1] "
                 "WHERE i.indrelid = $1::oid AND NOT i.indisprimary AND k.ord <= i.indnkeyatts "
                 "ORDER BY ic.relname, k.ord",
                 p, 1, &ix) != 0)
        return -1;
    for (size_t i = 0; i < ix.rows;) {
        size_t j = i;
        while (j < ix.rows && strcmp(cell(&ix, j, 0), cell(&ix, i, 0)) == 0)
            j++;
        db_index *x = psl_arena_alloc(c->a, sizeof *x);
        x->name = cell(&ix, i, 0);
        x->unique = is_true(cell(&ix, i, 1));
        x->method = cell(&ix, i, 2);
        x->constraint = is_true(cell(&ix, i, 3));
        x->special = is_true(cell(&ix, i, 4));
        x->n = j - i;
        x->cols = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->cols);
        x->ops = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->ops);
        x->desc = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->desc);
        x->ops_default = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->ops_default);
        for (size_t k = i; k < j; k++) {
            x->cols[k - i] = cell(&ix, k, 5);
            x->desc[k - i] = is_true(cell(&ix, k, 6));
            x->ops[k - i] = cell(&ix, k, 7);
            x->ops_default[k - i] = is_true(cell(&ix, k, 8));
            if (!x->cols[k - i])
                x->special = true;
        }
        psl_vec_push(c->a, &t->indexes, x);
        i = j;
    }

    qres fk;
    if (db_query(c,
                 "SELECT con.conname, a.attname, rn.nspname, rc.relname, ra.attname, con.confdeltype, "
                 "con.confupdtype FROM pg_constraint con "
                 "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY k(attnum, refnum, ord) "
                 "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
                 "JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
                 "JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refnum "
                 "WHERE con.conrelid = $1::oid AND con.contype = 'f' ORDER BY con.conname, k.ord",
                 p, 1, &fk) != 0)
        return -1;
    for (size_t i = 0; i < fk.rows;) {
        size_t j = i;
        while (j < fk.rows && strcmp(cell(&fk, j, 0), cell(&fk, i, 0)) == 0)
            j++;
        db_fk *f = psl_arena_alloc(c->a, sizeof *f);
        f->name = cell(&fk, i, 0);
        f->ref_schema = cell(&fk, i, 2);
        f->ref_table = cell(&fk, i, 3);
        f->on_delete = pg_action(cell(&fk, i, 5));
        f->on_update = pg_action(cell(&fk, i, 6));
        f->n = j - i;
        f->cols = psl_arena_alloc(c->a, (f->n + 1) * sizeof *f->cols);
        f->ref_cols = psl_arena_alloc(c->a, (f->n + 1) * sizeof *f->ref_cols);
        for (size_t k = i; k < j; k++) {
            f->cols[k - i] = cell(&fk, k, 1);
            f->ref_cols[k - i] = cell(&fk, k, 4);
        }
        psl_vec_push(c->a, &t->fks, f);
        i = j;
    }
    return 0;
}

static int pg_introspect(db *c, db_state *st)
{
    const char *arr = managed_array(c);
    if (!arr) {
        set_err(c, "out of memory");
        return -1;
    }
    const char *p[1] = { arr };
    qres ns, r, en;
    if (db_query(c, "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])", p, 1, &ns) != 0)
        return -1;
    for (size_t i = 0; i < ns.rows; i++)
        psl_vec_push_const(c->a, &st->schemas, cell(&ns, i, 0));
    if (db_query(c,
                 "SELECT c.oid::text, n.nspname, c.relname, c.relkind FROM pg_class c "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition "
                 "AND n.nspname = ANY($1::text[]) AND c.relname <> '_prisma_migrations' "
                 "ORDER BY n.nspname, c.relname",
                 p, 1, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows; i++) {
        const char *kind = cell(&r, i, 3);
        if (strcmp(kind, "v") == 0 || strcmp(kind, "m") == 0) {
            psl_vec_push_const(c->a, &st->views,
                               psl_arena_printf(c->a, "%s\t%s\t%s", kind, cell(&r, i, 1), cell(&r, i, 2)));
            continue;
        }
        db_table *t = new_table(c, cell(&r, i, 1), cell(&r, i, 2));
        t->oid = cell(&r, i, 0);
        if (pg_introspect_table(c, t) != 0)
            return -1;
        psl_vec_push(c->a, &st->tables, t);
    }
    if (db_query(c,
                 "SELECT n.nspname, t.typname, e.enumlabel FROM pg_type t "
                 "JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid "
                 "WHERE n.nspname = ANY($1::text[]) ORDER BY n.nspname, t.typname, e.enumsortorder",
                 p, 1, &en) != 0)
        return -1;
    db_enum *cur = NULL;
    for (size_t i = 0; i < en.rows; i++) {
        if (!cur || strcmp(cur->schema, cell(&en, i, 0)) != 0 || strcmp(cur->name, cell(&en, i, 1)) != 0) {
            cur = psl_arena_alloc(c->a, sizeof *cur);
            cur->schema = cell(&en, i, 0);
            cur->name = cell(&en, i, 1);
            psl_vec_push(c->a, &st->enums, cur);
        }
        psl_vec_push_const(c->a, &cur->values, cell(&en, i, 2));
    }
    return 0;
}

/* ---- the plan ---- */

/* Statement phases, in Prisma's step order. */
enum {
    PH_RESET,
    PH_SCHEMA,
    PH_ENUM,
    PH_DROP_FK,
    PH_DROP_INDEX,
    PH_ALTER,
    PH_DROP_ENUM,
    PH_CREATE_TABLE,
    PH_REDEFINE,
    PH_CREATE_INDEX,
    PH_ADD_FK,
    PH_COUNT
};

/* What db push counts for its summary. */
enum { N_SCHEMAS, N_ENUMS, N_VALUES, N_TABLES, N_COLUMNS, N_INDEXES, N_FKS, N_CHANGED, N_DROPPED, N_COUNT };

typedef struct plan {
    psl_vec pre;            /* PostgreSQL enum values: committed before the rest (see run_plan) */
    psl_vec ph[PH_COUNT];   /* statements */
    psl_vec changes;        /* one line per change, for the summary */
    psl_vec blockers;       /* destructive or impossible changes: the push is refused */
    psl_vec warnings;
    size_t n[N_COUNT];
    bool check_fks;         /* SQLite tables were recreated: check the foreign keys */
} plan;

typedef struct pusher {
    db *c;
    const psl_ddl *want;
    db_state *have;
    plan *p;
    psl_arena *a;
    psl_sql sql; /* scratch for the statement being built */
} pusher;

static void note(pusher *P, psl_vec *v, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void note(pusher *P, psl_vec *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *s = psl_arena_alloc(P->a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    psl_vec_push(P->a, v, s);
}

/* Moves the scratch statement into `v`. */
static void emit(pusher *P, psl_vec *v)
{
    if (!P->sql.failed)
        psl_vec_push_const(P->a, v, psl_arena_strdup(P->a, psl_sql_text(&P->sql)));
    psl_sql_clear(&P->sql);
}

static bool same(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

static const char *schema_of(const pusher *P, const char *s)
{
    return P->c->pg ? (s ? s : P->c->schema) : NULL;
}

static db_table *find_table(pusher *P, const psl_ddl_table *t)
{
    const char *schema = schema_of(P, t->schema);
    for (size_t i = 0; i < P->have->tables.len; i++) {
        db_table *h = P->have->tables.items[i];
        if (same(h->schema, schema) && strcmp(h->name, t->name) == 0)
            return h;
    }
    return NULL;
}

static db_col *find_col(db_table *h, const char *name)
{
    for (size_t i = 0; i < h->cols.len; i++) {
        db_col *c = h->cols.items[i];
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

/* "T" or "schema"."T", for statements on a database table. */
static void put_have_table(pusher *P, const db_table *h)
{
    psl_sql_qualified(&P->sql, h->schema, h->name);
}

static long long table_rows(pusher *P, db_table *h)
{
    if (h->rows >= 0)
        return h->rows;
    psl_sql q = { 0 };
    psl_sql_puts(&q, "SELECT count(*) FROM ");
    psl_sql_qualified(&q, h->schema, h->name);
    h->rows = q.failed ? -1 : db_count(P->c, psl_sql_text(&q));
    psl_sql_free(&q);
    return h->rows;
}

/* Rows where `col` IS NULL (or IS NOT NULL). */
static long long null_count(pusher *P, const db_table *h, const char *col, bool nulls)
{
    psl_sql q = { 0 };
    psl_sql_puts(&q, "SELECT count(*) FROM ");
    psl_sql_qualified(&q, h->schema, h->name);
    psl_sql_puts(&q, " WHERE ");
    psl_sql_ident(&q, col);
    psl_sql_puts(&q, nulls ? " IS NULL" : " IS NOT NULL");
    long long n = q.failed ? -1 : db_count(P->c, psl_sql_text(&q));
    psl_sql_free(&q);
    return n;
}

/* ---- comparing columns ---- */

/* A PostgreSQL type as format_type() prints it, from the way Prisma writes
 * it: VARCHAR(30) -> character varying(30), TIMESTAMP(3) -> timestamp(3)
 * without time zone. -1 when the type is not one we know (Unsupported). */
static int pg_canonical(const char *t, psl_sql *o)
{
    static const struct {
        const char *sql, *pg;
    } names[] = {
        { "TEXT", "text" },       { "INTEGER", "integer" },   { "SERIAL", "integer" },
        { "SMALLSERIAL", "smallint" }, { "BIGSERIAL", "bigint" }, { "SMALLINT", "smallint" },
        { "BIGINT", "bigint" },   { "DOUBLE PRECISION", "double precision" }, { "REAL", "real" },
        { "DECIMAL", "numeric" }, { "BOOLEAN", "boolean" },   { "DATE", "date" },
        { "JSONB", "jsonb" },     { "JSON", "json" },         { "BYTEA", "bytea" },
        { "UUID", "uuid" },       { "XML", "xml" },           { "INET", "inet" },
        { "CITEXT", "citext" },   { "MONEY", "money" },       { "OID", "oid" },
        { "VARCHAR", "character varying" }, { "CHAR", "character" }, { "BIT", "bit" },
        { "VARBIT", "bit varying" }, { "STRING", "text" },    { "INT2", "smallint" },
        { "INT4", "integer" },    { "INT8", "bigint" },       { "FLOAT4", "real" },
        { "FLOAT8", "double precision" }, { "BOOL", "boolean" }, { "BYTES", "bytea" },
        { "\"char\"", "\"char\"" },
    };
    size_t n = strlen(t), lists = 0;
    while (n >= 2 && t[n - 2] == '[' && t[n - 1] == ']') {
        n -= 2;
        lists++;
    }
    size_t name_len = strcspn(t, "(");
    if (name_len > n)
        name_len = n;
    const char *args = name_len < n ? t + name_len : "";
    size_t args_len = n - name_len;
    bool zone = false, time = false;
    const char *pg = NULL;
    if (name_len == 9 && strncmp(t, "TIMESTAMP", 9) == 0)
        pg = "timestamp";
    else if (name_len == 11 && strncmp(t, "TIMESTAMPTZ", 11) == 0)
        pg = "timestamp", zone = true;
    else if (name_len == 4 && strncmp(t, "TIME", 4) == 0)
        pg = "time";
    else if (name_len == 6 && strncmp(t, "TIMETZ", 6) == 0)
        pg = "time", zone = true;
    if (pg) {
        time = true;
    } else {
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].sql) == name_len && strncmp(names[i].sql, t, name_len) == 0)
                pg = names[i].pg;
    }
    if (!pg)
        return -1;
    if (strcmp(pg, "text") == 0 && args_len) /* CockroachDB STRING(n) */
        pg = "character varying";
    psl_sql_puts(o, pg);
    if (args_len)
        psl_sql_putn(o, args, args_len);
    else if (strcmp(pg, "character") == 0 || strcmp(pg, "bit") == 0)
        psl_sql_puts(o, "(1)"); /* CHAR and BIT default to one */
    if (time)
        psl_sql_puts(o, zone ? " with time zone" : " without time zone");
    for (size_t i = 0; i < lists; i++)
        psl_sql_puts(o, "[]");
    return o->failed ? -1 : 0;
}

/* Whether the column's type is what the schema wants. Unknown types
 * (Unsupported("...")) are taken as equal: prismac cannot compare them. */
static bool type_matches(pusher *P, const psl_ddl_column *w, const db_col *h)
{
    if (!P->c->pg)
        return strcasecmp(w->type, h->type) == 0;
    if (w->enum_type) {
        const char *schema = NULL;
        for (size_t i = 0; i < P->want->n_enums; i++)
            if (P->want->enums[i].src == w->enum_type)
                schema = P->want->enums[i].schema;
        schema = schema_of(P, schema);
        return h->enum_name && strcmp(h->enum_name, w->enum_type->db_name) == 0 && same(h->enum_schema, schema) &&
               h->is_list == w->is_list;
    }
    if (h->enum_name)
        return false;
    psl_sql canon = { 0 };
    bool ok = true;
    if (pg_canonical(w->base_type, &canon) == 0)
        ok = strcmp(psl_sql_text(&canon), h->type) == 0;
    psl_sql_free(&canon);
    return ok;
}

/* Drops `::type` casts and outer parentheses: '0'::integer -> '0'. */
static void strip_casts(const char *in, psl_sql *o)
{
    const char *p = in;
    while (*p) {
        if (*p == '\'') { /* a string literal, '' inside */
            const char *s = p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;
            if (*p)
                p++;
            psl_sql_putn(o, s, (size_t)(p - s));
        } else if (p[0] == ':' && p[1] == ':') {
            p += 2;
            for (;;) {
                if (*p == '"') {
                    p++;
                    while (*p && *p != '"')
                        p++;
                    if (*p)
                        p++;
                } else if (isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '[' || *p == ']') {
                    p++;
                } else if (*p == '(') {
                    while (*p && *p != ')')
                        p++;
                    if (*p)
                        p++;
                } else if (*p == ' ' && isalpha((unsigned char)p[1])) {
                    p++; /* character varying, timestamp without time zone */
                } else {
                    break;
                }
            }
        } else {
            psl_sql_putn(o, p++, 1);
        }
    }
    /* ( x ) -> x, when the parentheses enclose everything */
    while (o->len >= 2 && o->data[0] == '(' && o->data[o->len - 1] == ')') {
        int depth = 0;
        bool whole = true;
        for (size_t i = 0; i < o->len - 1 && whole; i++) {
            depth += o->data[i] == '(' ? 1 : o->data[i] == ')' ? -1 : 0;
            whole = depth > 0;
        }
        if (!whole)
            break;
        memmove(o->data, o->data + 1, o->len - 2);
        o->len -= 2;
        o->data[o->len] = '\0';
    }
}

static bool contains_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; s && *s; s++)
        if (strncasecmp(s, needle, n) == 0)
            return true;
    return false;
}

/* Whether the database default is the one the schema wants: the same text
 * once casts are dropped, or, failing that, the same value when the
 * database evaluates both (now() and CURRENT_TIMESTAMP, '-1' and -1,
 * '2020-01-01 00:00:00 +00:00' and '2020-01-01 00:00:00'::timestamp). */
static bool default_matches(pusher *P, const psl_ddl_column *w, const db_col *h)
{
    const char *want = w->default_sql;
    if (!want || !h->dflt)
        return !want && !h->dflt;
    if (strcmp(want, h->dflt) == 0)
        return true;
    if (contains_ci(h->dflt, "nextval("))
        return false; /* never evaluated: it would advance the sequence */
    psl_sql a = { 0 }, b = { 0 }, q = { 0 };
    strip_casts(want, &a);
    strip_casts(h->dflt, &b);
    bool eq = !a.failed && !b.failed && strcmp(psl_sql_text(&a), psl_sql_text(&b)) == 0;
    if (!eq) {
        if (P->c->pg)
            psl_sql_printf(&q, "SELECT ((%s)::%s) IS NOT DISTINCT FROM (%s)", want, h->type, h->dflt);
        else
            psl_sql_printf(&q, "SELECT (%s) IS (%s)", want, h->dflt);
        qres r;
        if (!q.failed && db_query(P->c, psl_sql_text(&q), NULL, 0, &r) == 0 && r.rows == 1)
            eq = is_true(cell(&r, 0, 0)) || same(cell(&r, 0, 0), "1");
    }
    psl_sql_free(&a);
    psl_sql_free(&b);
    psl_sql_free(&q);
    return eq;
}

/* SQLite's ALTER TABLE ADD COLUMN takes no PRIMARY KEY, no NOT NULL without
 * a default, and only a constant default. */
static bool sqlite_can_add(const psl_ddl_column *w)
{
    if (w->primary_key_inline || (w->not_null && !w->default_sql))
        return false;
    const char *d = w->default_sql;
    if (!d)
        return true;
    if (d[0] == '\'' || isdigit((unsigned char)d[0]) || ((d[0] == '-' || d[0] == '+') && isdigit((unsigned char)d[1])))
        return true;
    return strcasecmp(d, "true") == 0 || strcasecmp(d, "false") == 0 || strcasecmp(d, "null") == 0;
}

/* ---- comparing indexes and foreign keys ---- */

static bool index_matches(const psl_ddl *d, const psl_ddl_table *t, const psl_ddl_index *w, const db_index *h)
{
    if (h->special || h->unique != w->unique || h->n != w->n_cols)
        return false;
    if (h->method && strcasecmp(h->method, w->using ? w->using : "btree") != 0)
        return false;
    for (size_t i = 0; i < w->n_cols; i++) {
        if (!same(h->cols[i], t->cols[w->cols[i]].name))
            return false;
        if (h->desc[i] != (w->sort[i] && strcmp(w->sort[i], "DESC") == 0))
            return false;
        if (w->ops[i] ? !same(h->ops[i], w->ops[i]) : !h->ops_default[i])
            return false;
    }
    (void)d;
    return true;
}

static bool fk_matches(pusher *P, const psl_ddl_fk *w, const db_fk *h)
{
    const psl_ddl_table *t = &P->want->tables[w->table], *r = &P->want->tables[w->ref_table];
    if (h->n != w->n_cols || strcmp(h->ref_table, r->name) != 0 || !same(h->ref_schema, schema_of(P, r->schema)) ||
        strcasecmp(h->on_delete, w->on_delete) != 0 || strcasecmp(h->on_update, w->on_update) != 0)
        return false;
    for (size_t i = 0; i < w->n_cols; i++)
        if (strcmp(h->cols[i], t->cols[w->cols[i]].name) != 0 || strcmp(h->ref_cols[i], r->cols[w->ref_cols[i]].name) != 0)
            return false;
    return true;
}

/* ---- planning ---- */

static void plan_new_table(pusher *P, size_t ti)
{
    const psl_ddl *d = P->want;
    const psl_ddl_table *t = &d->tables[ti];
    psl_ddl_create_table(d, t, &P->sql);
    emit(P, &P->p->ph[PH_CREATE_TABLE]);
    note(P, &P->p->changes, "+ table `%s`", t->name);
    P->p->n[N_TABLES]++;
    for (size_t k = 0; k < t->n_indexes; k++) {
        psl_ddl_create_index(d, t, &t->indexes[k], &P->sql);
        emit(P, &P->p->ph[PH_CREATE_INDEX]);
        note(P, &P->p->changes, "+ %sindex `%s` on `%s`", t->indexes[k].unique ? "unique " : "", t->indexes[k].name,
             t->name);
        P->p->n[N_INDEXES]++;
    }
    if (P->c->lite)
        for (size_t k = 0; k < d->n_fks; k++)
            if (d->fks[k].table == ti) {
                note(P, &P->p->changes, "+ foreign key `%s` on `%s`", d->fks[k].name, t->name);
                P->p->n[N_FKS]++;
            }
}

static void plan_add_fk(pusher *P, const psl_ddl_fk *fk)
{
    psl_ddl_add_foreign_key(P->want, fk, &P->sql);
    emit(P, &P->p->ph[PH_ADD_FK]);
    note(P, &P->p->changes, "+ foreign key `%s` on `%s`", fk->name, P->want->tables[fk->table].name);
    P->p->n[N_FKS]++;
}

static void drop_index(pusher *P, const db_table *h, const db_index *x, psl_vec *out)
{
    if (P->c->pg && x->constraint) {
        psl_sql_puts(&P->sql, "ALTER TABLE ");
        put_have_table(P, h);
        psl_sql_puts(&P->sql, " DROP CONSTRAINT ");
        psl_sql_ident(&P->sql, x->name);
    } else {
        psl_sql_puts(&P->sql, "DROP INDEX ");
        psl_sql_qualified(&P->sql, h->schema, x->name);
    }
    emit(P, out);
    note(P, &P->p->changes, "- index `%s` on `%s`", x->name, h->name);
    P->p->n[N_DROPPED]++;
}

/* SQLite cannot change a table in place: create the new shape under another
 * name, copy the rows, drop the old table, rename, recreate its indexes. */
static void plan_redefine(pusher *P, size_t ti, db_table *h)
{
    const psl_ddl *d = P->want;
    const psl_ddl_table *t = &d->tables[ti];
    const char *tmp = psl_arena_printf(P->a, "new_%s", t->name);
    psl_vec *out = &P->p->ph[PH_REDEFINE];
    psl_ddl_create_table_as(d, t, tmp, &P->sql);
    emit(P, out);
    psl_sql into = { 0 }, from = { 0 };
    size_t copied = 0;
    for (size_t i = 0; i < t->n_cols; i++) {
        const psl_ddl_column *w = &t->cols[i];
        const db_col *hc = find_col(h, w->name);
        if (!hc)
            continue; /* new: gets its default */
        if (copied++) {
            psl_sql_puts(&into, ", ");
            psl_sql_puts(&from, ", ");
        }
        psl_sql_ident(&into, w->name);
        if (w->not_null && !hc->not_null && w->default_sql) {
            /* became required with a default: NULLs take the default */
            psl_sql_puts(&from, "coalesce(");
            psl_sql_ident(&from, w->name);
            psl_sql_printf(&from, ", %s) AS ", w->default_sql);
        }
        psl_sql_ident(&from, w->name);
    }
    if (copied) {
        psl_sql_puts(&P->sql, "INSERT INTO ");
        psl_sql_ident(&P->sql, tmp);
        psl_sql_printf(&P->sql, " (%s) SELECT %s FROM ", psl_sql_text(&into), psl_sql_text(&from));
        psl_sql_ident(&P->sql, h->name);
        if (into.failed || from.failed)
            P->sql.failed = true;
        emit(P, out);
    }
    psl_sql_free(&into);
    psl_sql_free(&from);
    psl_sql_puts(&P->sql, "DROP TABLE ");
    psl_sql_ident(&P->sql, h->name);
    emit(P, out);
    psl_sql_puts(&P->sql, "ALTER TABLE ");
    psl_sql_ident(&P->sql, tmp);
    psl_sql_puts(&P->sql, " RENAME TO ");
    psl_sql_ident(&P->sql, t->name);
    emit(P, out);
    for (size_t k = 0; k < t->n_indexes; k++) {
        psl_ddl_create_index(d, t, &t->indexes[k], &P->sql);
        emit(P, out);
    }
    P->p->check_fks = true;
    note(P, &P->p->changes, "~ table `%s` recreated with its rows (SQLite cannot alter it in place)", t->name);
}

/* Plans the changes to a table that exists. */
static void plan_existing_table(pusher *P, size_t ti, db_table *h)
{
    const psl_ddl *d = P->want;
    const psl_ddl_table *t = &d->tables[ti];
    plan *p = P->p;
    bool lite = P->c->lite != NULL, redefine = false;
    /* Incremental statements; on SQLite they are dropped when the table is
     * recreated instead. */
    psl_vec alter = { 0 }, drop_ix = { 0 }, create_ix = { 0 }, drop_fk = { 0 }, add_fk = { 0 };
    h->matched = true;

    for (size_t i = 0; i < t->n_cols; i++) {
        const psl_ddl_column *w = &t->cols[i];
        db_col *hc = find_col(h, w->name);
        if (!hc) {
            bool needs_value = w->not_null && !w->default_sql && !(w->autoincrement && P->c->pg);
            if (needs_value && table_rows(P, h) != 0)
                note(P, &p->blockers,
                     "Added the required column `%s` to the `%s` table without a default value. There are %lld "
                     "rows in this table, it is not possible to execute this step.",
                     w->name, t->name, table_rows(P, h));
            if (lite && !sqlite_can_add(w))
                redefine = true;
            psl_ddl_add_column(d, t, w, &P->sql);
            emit(P, &alter);
            note(P, &p->changes, "+ column `%s`.`%s`", t->name, w->name);
            p->n[N_COLUMNS]++;
            continue;
        }
        hc->matched = true;
        if (!type_matches(P, w, hc)) {
            note(P, &p->blockers,
                 "The column `%s` on the `%s` table would change type from `%s` to `%s`%s.", w->name, t->name,
                 hc->enum_name ? hc->enum_name : hc->type, w->type,
                 table_rows(P, h) > 0 ? ": its values would have to be cast or dropped" : "");
            continue;
        }
        if (w->not_null && !hc->not_null) {
            long long nulls = null_count(P, h, w->name, true);
            if (nulls != 0 && !(lite && w->default_sql)) {
                note(P, &p->blockers, "Made the column `%s` on table `%s` required, but there are %lld existing NULL values.",
                     w->name, t->name, nulls);
            } else if (lite) {
                redefine = true;
            } else {
                psl_sql_puts(&P->sql, "ALTER TABLE ");
                put_have_table(P, h);
                psl_sql_puts(&P->sql, " ALTER COLUMN ");
                psl_sql_ident(&P->sql, w->name);
                psl_sql_puts(&P->sql, " SET NOT NULL");
                emit(P, &alter);
            }
            note(P, &p->changes, "~ column `%s`.`%s` made required", t->name, w->name);
            p->n[N_CHANGED]++;
        } else if (!w->not_null && hc->not_null && !w->is_list) {
            if (lite) {
                redefine = true;
            } else {
                psl_sql_puts(&P->sql, "ALTER TABLE ");
                put_have_table(P, h);
                psl_sql_puts(&P->sql, " ALTER COLUMN ");
                psl_sql_ident(&P->sql, w->name);
                psl_sql_puts(&P->sql, " DROP NOT NULL");
                emit(P, &alter);
            }
            note(P, &p->changes, "~ column `%s`.`%s` made optional", t->name, w->name);
            p->n[N_CHANGED]++;
        }
        if (w->autoincrement && P->c->provider == PSL_PROVIDER_POSTGRESQL) {
            if (!hc->identity && !contains_ci(hc->dflt, "nextval("))
                note(P, &p->blockers,
                     "The column `%s` on the `%s` table would become autoincrementing (SERIAL), which prismac cannot "
                     "do in place.",
                     w->name, t->name);
            continue;
        }
        if (!default_matches(P, w, hc)) {
            if (lite) {
                redefine = true;
            } else {
                psl_sql_puts(&P->sql, "ALTER TABLE ");
                put_have_table(P, h);
                psl_sql_puts(&P->sql, " ALTER COLUMN ");
                psl_sql_ident(&P->sql, w->name);
                if (w->default_sql)
                    psl_sql_printf(&P->sql, " SET DEFAULT %s", w->default_sql);
                else
                    psl_sql_puts(&P->sql, " DROP DEFAULT");
                emit(P, &alter);
            }
            note(P, &p->changes, "~ column `%s`.`%s`: default %s", t->name, w->name,
                 w->default_sql ? w->default_sql : "dropped");
            p->n[N_CHANGED]++;
        }
    }
    for (size_t i = 0; i < h->cols.len; i++) {
        const db_col *hc = h->cols.items[i];
        if (hc->matched)
            continue;
        long long values = null_count(P, h, hc->name, false);
        if (values > 0)
            note(P, &p->blockers,
                 "You are about to drop the column `%s` on the `%s` table, which still contains %lld non-null values.",
                 hc->name, h->name, values);
        else
            note(P, &p->blockers, "You are about to drop the column `%s` on the `%s` table.", hc->name, h->name);
    }

    /* The primary key: same columns, else refused; a new name is a rename. */
    bool pk_same = h->pk_cols.len == t->n_pk;
    for (size_t i = 0; pk_same && i < t->n_pk; i++)
        pk_same = strcmp(h->pk_cols.items[i], t->cols[t->pk_cols[i]].name) == 0;
    if (!pk_same) {
        note(P, &p->blockers, "The primary key of the `%s` table would change; prismac cannot change it in place.",
             t->name);
    } else if (P->c->pg && t->n_pk && h->pk_name && strcmp(h->pk_name, t->pk_name) != 0) {
        psl_sql_puts(&P->sql, "ALTER TABLE ");
        put_have_table(P, h);
        psl_sql_puts(&P->sql, " RENAME CONSTRAINT ");
        psl_sql_ident(&P->sql, h->pk_name);
        psl_sql_puts(&P->sql, " TO ");
        psl_sql_ident(&P->sql, t->pk_name);
        emit(P, &alter);
        note(P, &p->changes, "~ primary key of `%s` renamed to `%s`", t->name, t->pk_name);
        p->n[N_CHANGED]++;
    }

    /* Indexes, by name. */
    for (size_t k = 0; k < t->n_indexes; k++) {
        const psl_ddl_index *w = &t->indexes[k];
        db_index *hx = NULL;
        for (size_t i = 0; i < h->indexes.len && !hx; i++) {
            db_index *x = h->indexes.items[i];
            if (strcmp(x->name, w->name) == 0)
                hx = x;
        }
        if (hx) {
            hx->matched = true;
            if (index_matches(d, t, w, hx))
                continue;
            if (lite && hx->constraint)
                redefine = true;
            else
                drop_index(P, h, hx, &drop_ix);
        }
        if (w->unique && table_rows(P, h) > 0)
            note(P, &p->warnings,
                 "A unique constraint covering the columns of `%s` on the table `%s` will be added. If there are "
                 "existing duplicate values, this will fail.",
                 w->name, t->name);
        psl_ddl_create_index(d, t, w, &P->sql);
        emit(P, &create_ix);
        note(P, &p->changes, "+ %sindex `%s` on `%s`", w->unique ? "unique " : "", w->name, t->name);
        p->n[N_INDEXES]++;
    }
    for (size_t i = 0; i < h->indexes.len; i++) {
        db_index *x = h->indexes.items[i];
        if (x->matched)
            continue;
        if (lite && x->constraint)
            redefine = true; /* an inline UNIQUE: only a new table drops it */
        else
            drop_index(P, h, x, &drop_ix);
    }

    /* Foreign keys: by name on PostgreSQL; SQLite's have no usable names. */
    for (size_t k = 0; k < d->n_fks; k++) {
        const psl_ddl_fk *w = &d->fks[k];
        if (w->table != ti)
            continue;
        db_fk *hf = NULL;
        for (size_t i = 0; i < h->fks.len && !hf; i++) {
            db_fk *f = h->fks.items[i];
            if (f->matched)
                continue;
            if (lite ? fk_matches(P, w, f) : strcmp(f->name, w->name) == 0)
                hf = f;
        }
        if (hf && (lite || fk_matches(P, w, hf))) {
            hf->matched = true;
            continue;
        }
        if (lite) {
            redefine = true;
            note(P, &p->changes, "+ foreign key `%s` on `%s`", w->name, t->name);
            p->n[N_FKS]++;
            continue;
        }
        if (hf) {
            hf->matched = true;
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            put_have_table(P, h);
            psl_sql_puts(&P->sql, " DROP CONSTRAINT ");
            psl_sql_ident(&P->sql, hf->name);
            emit(P, &drop_fk);
            p->n[N_DROPPED]++;
        }
        psl_ddl_add_foreign_key(d, w, &P->sql);
        emit(P, &add_fk);
        note(P, &p->changes, "+ foreign key `%s` on `%s`", w->name, t->name);
        p->n[N_FKS]++;
    }
    for (size_t i = 0; i < h->fks.len; i++) {
        db_fk *f = h->fks.items[i];
        if (f->matched)
            continue;
        if (lite) {
            redefine = true;
        } else {
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            put_have_table(P, h);
            psl_sql_puts(&P->sql, " DROP CONSTRAINT ");
            psl_sql_ident(&P->sql, f->name);
            emit(P, &drop_fk);
        }
        note(P, &p->changes, "- foreign key `%s` on `%s`", f->name ? f->name : "(unnamed)", h->name);
        p->n[N_DROPPED]++;
    }

    if (redefine) {
        plan_redefine(P, ti, h);
        return;
    }
    psl_vec *dst[5] = { &p->ph[PH_ALTER], &p->ph[PH_DROP_INDEX], &p->ph[PH_CREATE_INDEX], &p->ph[PH_DROP_FK],
                        &p->ph[PH_ADD_FK] };
    psl_vec *src[5] = { &alter, &drop_ix, &create_ix, &drop_fk, &add_fk };
    for (int v = 0; v < 5; v++)
        for (size_t i = 0; i < src[v]->len; i++)
            psl_vec_push(P->a, dst[v], src[v]->items[i]);
}

static void plan_enums(pusher *P)
{
    const psl_ddl *d = P->want;
    plan *p = P->p;
    for (size_t i = 0; i < d->n_enums; i++) {
        const psl_ddl_enum *e = &d->enums[i];
        const char *schema = schema_of(P, e->schema);
        db_enum *he = NULL;
        for (size_t k = 0; k < P->have->enums.len && !he; k++) {
            db_enum *x = P->have->enums.items[k];
            if (strcmp(x->name, e->name) == 0 && same(x->schema, schema))
                he = x;
        }
        if (!he) {
            psl_ddl_create_enum(d, e, &P->sql);
            emit(P, &p->ph[PH_ENUM]);
            note(P, &p->changes, "+ enum `%s`", e->name);
            p->n[N_ENUMS]++;
            continue;
        }
        he->matched = true;
        for (size_t v = 0; v < e->n_values; v++) {
            bool found = false;
            for (size_t k = 0; k < he->values.len && !found; k++)
                found = strcmp(he->values.items[k], e->values[v]) == 0;
            if (found)
                continue;
            psl_sql_puts(&P->sql, "ALTER TYPE ");
            psl_sql_qualified(&P->sql, e->schema, e->name);
            psl_sql_puts(&P->sql, " ADD VALUE ");
            psl_sql_string(&P->sql, e->values[v], strlen(e->values[v]));
            emit(P, &p->pre);
            note(P, &p->changes, "+ enum value `%s`.`%s`", e->name, e->values[v]);
            p->n[N_VALUES]++;
        }
        for (size_t k = 0; k < he->values.len; k++) {
            bool found = false;
            for (size_t v = 0; v < e->n_values && !found; v++)
                found = strcmp(he->values.items[k], e->values[v]) == 0;
            if (!found)
                note(P, &p->blockers,
                     "The value `%s` of the enum `%s` would be removed. If it is still used in the database, this "
                     "will fail.",
                     (const char *)he->values.items[k], e->name);
        }
    }
    /* Enums the schema no longer has: nothing of ours uses them any more
     * (a column that did is a type change, refused above). */
    for (size_t k = 0; k < P->have->enums.len; k++) {
        db_enum *x = P->have->enums.items[k];
        if (x->matched)
            continue;
        psl_sql_puts(&P->sql, "DROP TYPE ");
        psl_sql_qualified(&P->sql, x->schema, x->name);
        emit(P, &p->ph[PH_DROP_ENUM]);
        note(P, &p->changes, "- enum `%s`", x->name);
        p->n[N_DROPPED]++;
    }
}

static bool has_schema(const db_state *st, const char *name)
{
    for (size_t i = 0; i < st->schemas.len; i++)
        if (strcmp(st->schemas.items[i], name) == 0)
            return true;
    return false;
}

/* --force-reset: drop every table, view and enum db push can see. */
static void plan_reset(pusher *P)
{
    db_state *st = P->have;
    psl_vec *out = &P->p->ph[PH_RESET];
    for (size_t i = 0; i < st->views.len; i++) {
        char *v = psl_arena_strdup(P->a, st->views.items[i]);
        char *schema = strchr(v, '\t');
        *schema++ = '\0';
        char *name = strchr(schema, '\t');
        *name++ = '\0';
        psl_sql_puts(&P->sql, strcmp(v, "m") == 0 ? "DROP MATERIALIZED VIEW IF EXISTS " : "DROP VIEW IF EXISTS ");
        psl_sql_qualified(&P->sql, *schema ? schema : NULL, name);
        if (P->c->pg)
            psl_sql_puts(&P->sql, " CASCADE");
        emit(P, out);
    }
    if (P->c->pg && st->tables.len) {
        psl_sql_puts(&P->sql, "DROP TABLE IF EXISTS ");
        for (size_t i = 0; i < st->tables.len; i++) {
            const db_table *t = st->tables.items[i];
            if (i)
                psl_sql_puts(&P->sql, ", ");
            psl_sql_qualified(&P->sql, t->schema, t->name);
        }
        psl_sql_puts(&P->sql, " CASCADE");
        emit(P, out);
    } else {
        for (size_t i = 0; i < st->tables.len; i++) {
            const db_table *t = st->tables.items[i];
            psl_sql_puts(&P->sql, "DROP TABLE ");
            psl_sql_ident(&P->sql, t->name);
            emit(P, out);
        }
    }
    if (st->enums.len) {
        psl_sql_puts(&P->sql, "DROP TYPE IF EXISTS ");
        for (size_t i = 0; i < st->enums.len; i++) {
            const db_enum *e = st->enums.items[i];
            if (i)
                psl_sql_puts(&P->sql, ", ");
            psl_sql_qualified(&P->sql, e->schema, e->name);
        }
        psl_sql_puts(&P->sql, " CASCADE");
        emit(P, out);
    }
    /* Everything is gone: plan as for an empty database. */
    memset(&st->tables, 0, sizeof st->tables);
    memset(&st->enums, 0, sizeof st->enums);
    memset(&st->views, 0, sizeof st->views);
}

static void plan_push(pusher *P, bool reset)
{
    const psl_ddl *d = P->want;
    plan *p = P->p;
    if (reset)
        plan_reset(P);
    if (P->c->pg) {
        if (!d->n_schemas && !has_schema(P->have, P->c->schema)) {
            psl_sql_puts(&P->sql, "CREATE SCHEMA IF NOT EXISTS ");
            psl_sql_ident(&P->sql, P->c->schema);
            emit(P, &p->ph[PH_SCHEMA]);
            note(P, &p->changes, "+ schema `%s`", P->c->schema);
            p->n[N_SCHEMAS]++;
        }
        for (size_t i = 0; i < d->n_schemas; i++) {
            if (has_schema(P->have, d->schemas[i]))
                continue;
            psl_ddl_create_schema(d, d->schemas[i], &P->sql);
            emit(P, &p->ph[PH_SCHEMA]);
            note(P, &p->changes, "+ schema `%s`", d->schemas[i]);
            p->n[N_SCHEMAS]++;
        }
        plan_enums(P);
    }
    bool *is_new = psl_arena_alloc(P->a, (d->n_tables + 1) * sizeof *is_new);
    for (size_t i = 0; i < d->n_tables; i++) {
        db_table *h = find_table(P, &d->tables[i]);
        is_new[i] = !h;
        if (h)
            plan_existing_table(P, i, h);
        else
            plan_new_table(P, i);
    }
    if (P->c->pg)
        for (size_t k = 0; k < d->n_fks; k++)
            if (is_new[d->fks[k].table])
                plan_add_fk(P, &d->fks[k]);
    for (size_t i = 0; i < P->have->tables.len; i++) {
        db_table *h = P->have->tables.items[i];
        if (h->matched)
            continue;
        long long rows = table_rows(P, h);
        if (rows > 0)
            note(P, &p->blockers, "You are about to drop the `%s` table, which is not empty (%lld rows).", h->name,
                 rows);
        else
            note(P, &p->blockers, "You are about to drop the `%s` table (empty).", h->name);
    }
}

static size_t plan_statements(const plan *p)
{
    size_t n = p->pre.len;
    for (int i = 0; i < PH_COUNT; i++)
        n += p->ph[i].len;
    return n;
}

/* ---- execution ---- */

/* Runs the plan: PostgreSQL enum values first (ALTER TYPE ... ADD VALUE
 * cannot be used in the transaction that adds it, and adding a value is
 * harmless), then everything else in one transaction. */
static int run_plan(db *c, const plan *p)
{
    const char *failed = NULL;
    bool in_tx = false;
    size_t pre_done = 0;
    int rc = -1;
    for (; pre_done < p->pre.len; pre_done++)
        if (db_exec(c, p->pre.items[pre_done]) != 0) {
            failed = p->pre.items[pre_done];
            goto done;
        }
    /* SQLite: dropping a table must not cascade to other tables' rows while
     * tables are recreated; the keys are checked before commit instead.
     * (The pragma is a no-op inside a transaction, hence before BEGIN.) */
    if (c->lite && db_exec(c, "PRAGMA foreign_keys = OFF") != 0)
        goto done;
    if (db_exec(c, c->lite ? "BEGIN IMMEDIATE" : "BEGIN") != 0)
        goto done;
    in_tx = true;
    for (int ph = 0; ph < PH_COUNT; ph++)
        for (size_t i = 0; i < p->ph[ph].len; i++)
            if (db_exec(c, p->ph[ph].items[i]) != 0) {
                failed = p->ph[ph].items[i];
                goto done;
            }
    if (c->lite && p->check_fks) {
        qres r;
        if (db_query(c, "PRAGMA foreign_key_check", NULL, 0, &r) != 0)
            goto done;
        if (r.rows) {
            set_err(c, "FOREIGN KEY constraint failed: %zu row(s) of `%s` reference missing rows of `%s`", r.rows,
                    cell(&r, 0, 0), cell(&r, 0, 2) ? cell(&r, 0, 2) : "?");
            goto done;
        }
    }
    if (db_exec(c, "COMMIT") != 0)
        goto done;
    in_tx = false;
    rc = 0;
done:
    if (rc != 0) {
        char saved[sizeof c->err];
        memcpy(saved, c->err, sizeof saved);
        if (in_tx)
            db_exec(c, "ROLLBACK");
        fprintf(stderr, "Error: the database rejected the change; nothing was applied%s.\n%s\n",
                pre_done ? " (except the new enum values, added first)" : "", saved);
        if (failed)
            fprintf(stderr, "  in statement:\n%s\n", failed);
    }
    return rc;
}

/* "3 tables, 1 enum" */
static void summary(const plan *p, psl_sql *o)
{
    static const char *const what[N_COUNT][2] = {
        { "schema", "schemas" }, { "enum", "enums" }, { "enum value", "enum values" },
        { "table", "tables" },   { "column", "columns" }, { "index", "indexes" },
        { "foreign key", "foreign keys" }, { "changed column or key", "changed columns or keys" },
        { "dropped index, key or enum", "dropped indexes, keys or enums" },
    };
    size_t shown = 0;
    for (int i = 0; i < N_COUNT; i++) {
        if (!p->n[i])
            continue;
        psl_sql_printf(o, "%s%zu %s", shown++ ? ", " : "", p->n[i], what[i][p->n[i] == 1 ? 0 : 1]);
    }
}

static long long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static const char *provider_title(psl_provider p)
{
    switch (p) {
    case PSL_PROVIDER_SQLITE: return "SQLite";
    case PSL_PROVIDER_POSTGRESQL: return "PostgreSQL";
    case PSL_PROVIDER_COCKROACHDB: return "CockroachDB";
    case PSL_PROVIDER_NONE: break;
    }
    return "?";
}

/* ---- the command ---- */

static psl_schema *load_schema(const char *path)
{
    char *text;
    size_t len;
    if (prismac_read_file(path, &text, &len) != 0) {
        fprintf(stderr, "prismac db push: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    psl_schema *s = psl_schema_load(path, text, len);
    free(text);
    if (!s) {
        fprintf(stderr, "prismac db push: out of memory\n");
        return NULL;
    }
    psl_diags_print(&s->diags, stderr, path, s->source.text, s->source.len, isatty(2) != 0);
    return s;
}

/* Checks the URL's protocol against the provider and opens the database. */
static int open_db(db *c, const psl_datasource *ds, const char *url, const char *schema_path)
{
    bool is_file = strncmp(url, "file:", 5) == 0;
    bool is_pg = strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
    if (c->provider == PSL_PROVIDER_SQLITE) {
        if (!is_file) {
            fprintf(stderr,
                    "Error: P1012: the URL must start with the protocol `file:` to use the sqlite provider of the "
                    "datasource \"%s\" (e.g. file:./dev.db).\n",
                    ds->name);
            return -1;
        }
        return open_sqlite(c, url, schema_path);
    }
    if (!is_pg) {
        fprintf(stderr,
                "Error: P1012: the URL must start with the protocol `postgresql://` or `postgres://` to use the %s "
                "provider of the datasource \"%s\".\n",
                ds->provider_text ? ds->provider_text : "postgresql", ds->name);
        return -1;
    }
    return open_postgres(c, url);
}

int prismac_cmd_db_push(int argc, char **argv)
{
    push_opts o;
    if (parse_args(argc, argv, &o) != 0)
        return 2;
    if (o.help) {
        fputs(usage, stdout);
        return 0;
    }
    prismac_push_options po = { .schema_path = o.schema, .url = o.url, .force_reset = o.force_reset };
    return prismac_db_push(&po);
}

int prismac_db_push(const prismac_push_options *po)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    push_opts o = { .schema = po->schema_path, .url = po->url, .force_reset = po->force_reset };
    psl_arena arena;
    psl_arena_init(&arena);
    psl_schema *s = NULL;
    psl_ddl *want = NULL;
    db c = { .a = &arena };
    db_state have = { 0 };
    plan p = { 0 };
    pusher P = { .c = &c, .have = &have, .p = &p, .a = &arena };
    psl_sql text = { 0 };
    int rc = 1;

    s = load_schema(o.schema);
    if (!s)
        goto done;
    if (s->diags.errors) {
        fprintf(stderr, "%zu error%s in %s: nothing was pushed.\n", s->diags.errors, s->diags.errors == 1 ? "" : "s",
                o.schema);
        goto done;
    }
    printf("Prisma schema loaded from %s\n", o.schema);
    const psl_datasource *ds = s->datasource;
    if (!ds || ds->provider == PSL_PROVIDER_NONE) {
        fprintf(stderr, "Error: the schema has no datasource: db push needs one to know the database.\n");
        goto done;
    }
    c.provider = ds->provider;
    const char *url;
    if (resolve_url(&arena, &o, ds, &url) != 0)
        goto done;
    if (open_db(&c, ds, url, o.schema) != 0)
        goto done;
    if (c.pg) {
        if (ds->n_schemas) {
            c.managed = ds->schemas;
            c.n_managed = ds->n_schemas;
        } else {
            c.managed = &c.schema;
            c.n_managed = 1;
        }
        psl_sql_printf(&text, "Datasource \"%s\": %s database \"%s\", schema%s \"", ds->name,
                       provider_title(c.provider), c.db_name, c.n_managed > 1 ? "s" : "");
        for (size_t i = 0; i < c.n_managed; i++)
            psl_sql_printf(&text, "%s%s", i ? ", " : "", c.managed[i]);
        psl_sql_printf(&text, "\" at \"%s\"", c.where);
    } else {
        psl_sql_printf(&text, "Datasource \"%s\": SQLite database \"%s\" at \"%s\"", ds->name, c.db_name, c.where);
    }
    printf("%s\n\n", psl_sql_text(&text));
    if (c.created)
        printf("%s database %s created at %s\n\n", provider_title(c.provider), c.db_name, c.where);

    if (psl_ddl_build(s, c.provider, &want) != 0) {
        fprintf(stderr, "Error: cannot compute the database schema\n");
        goto done;
    }
    P.want = want;
    if ((c.pg ? pg_introspect(&c, &have) : lite_introspect(&c, &have)) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", c.err);
        goto done;
    }
    plan_push(&P, o.force_reset);
    if (P.sql.failed) {
        fprintf(stderr, "prismac db push: out of memory\n");
        goto done;
    }
    if (p.blockers.len) {
        fprintf(stderr,
                "Error: db push would make changes that lose data or that prismac cannot make in place:\n\n");
        for (size_t i = 0; i < p.blockers.len; i++)
            fprintf(stderr, "  - %s\n", (const char *)p.blockers.items[i]);
        fprintf(stderr,
                "\nNothing was changed. Change the schema, or run `prismac db push --force-reset` to drop "
                "everything in the database and recreate it (all data is lost).\n");
        goto done;
    }
    for (size_t i = 0; i < p.warnings.len; i++)
        fprintf(stderr, "Warning: %s\n", (const char *)p.warnings.items[i]);
    if (plan_statements(&p) == 0) {
        printf("The database is already in sync with the Prisma schema.\n");
        rc = 0;
        goto done;
    }
    if (run_plan(&c, &p) != 0)
        goto done;
    if (o.force_reset)
        printf("The %s database \"%s\" at \"%s\" was successfully reset.\n\n", provider_title(c.provider), c.db_name,
               c.where);
    printf("Your database is now in sync with your Prisma schema. Done in %lldms\n", elapsed_ms(&t0));
    psl_sql_clear(&text);
    summary(&p, &text);
    if (text.len)
        printf("\nApplied: %s.\n", psl_sql_text(&text));
    for (size_t i = 0; i < p.changes.len; i++)
        printf("  %s\n", (const char *)p.changes.items[i]);
    rc = 0;
done:
    psl_sql_free(&text);
    psl_sql_free(&P.sql);
    db_close(&c);
    psl_ddl_free(want);
    psl_schema_free(s);
    psl_arena_release(&arena);
    fflush(stdout);
    return rc;
}
