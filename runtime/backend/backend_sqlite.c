/* The SQLite backend: one sqlite3 handle per pooled connection, WAL mode and
 * a busy timeout so several threads can share a database file; SQLite's
 * spelling (BEGIN IMMEDIATE, GLOB, LIMIT -1) and its error codes. */
#include "backend.h"
#include "backend_json.h"


#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const prisma_backend backend_sqlite; /* at the end of this file */

/* Transaction statements (BEGIN, COMMIT, SAVEPOINT ...) run on every
 * transaction: prepared once per connection rather than parsed each time. */
enum { EXEC_CACHE = 8 };

/* ---- errors: SQLite's codes in Prisma's codes and words (user-facing-errors) ---- */

/* A table or column the schema has but the database lacks (the schema was
 * not pushed): P2021 / P2022 with the name SQLite reports, as Prisma's
 * SQLite adapters read it; a column without the table or alias before it
 * ("no such column: t0.extra"), as a write reports it ("table Drifted has
 * no column named extra"). */
static bool map_missing_name(prisma_err *err, const char *msg)
{
    static const char no_table[] = "no such table: ", no_column[] = "no such column: ", named[] = " has no column named ";
    const char *column = NULL, *dot;
    if (!msg)
        return false;
    if (strncmp(msg, no_table, sizeof no_table - 1) == 0) {
        const char *table = msg + sizeof no_table - 1;
        if (strncmp(table, "main.", 5) == 0)
            table += 5;
        err_set(err, "P2021", "The table `%s` does not exist in the current database.", table);
        return true;
    }
    if (strncmp(msg, no_column, sizeof no_column - 1) == 0) {
        column = msg + sizeof no_column - 1;
        if ((dot = strrchr(column, '.')) != NULL)
            column = dot + 1;
    } else if ((column = strstr(msg, named)) != NULL) {
        column += sizeof named - 1;
    }
    if (!column)
        return false;
    err_set(err, "P2022", "The column `%s` does not exist in the current database.", column);
    return true;
}

static void map_sqlite_error(prisma_err *err, int code, int extended, const char *msg)
{
    snprintf(err->db_code, sizeof err->db_code, "%d", extended);
    snprintf(err->db_message, sizeof err->db_message, "%s", msg ? msg : "");
    const char *colon = msg ? strstr(msg, "failed: ") : NULL;
    char fields[512] = "";
    if (colon)
        err_field_list(colon + 8, fields, sizeof fields);
    switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        err_set(err, "P2002", "Unique constraint failed on the fields: %s", fields);
        return;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_TRIGGER: /* ON DELETE / ON UPDATE RESTRICT reports itself this way */
        if (extended == SQLITE_CONSTRAINT_TRIGGER && (!msg || !strstr(msg, "FOREIGN KEY")))
            break;
        err_set(err, "P2003", "Foreign key constraint violated on the foreign key");
        return;
    case SQLITE_CONSTRAINT_NOTNULL:
        err_set(err, "P2011", "Null constraint violation on the fields: %s", fields);
        return;
    default:
        break;
    }
    if (code == SQLITE_ERROR && msg && strcmp(msg, "integer overflow") == 0) {
        /* Integer arithmetic out of range: the update's guard (int_guard_open). */
        err_set(err, "P2020", "Value out of range for the type: %s", msg);
        return;
    }
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        err_set(err, "P2034", "Transaction failed due to a write conflict or a deadlock. Please retry your transaction");
        return;
    case SQLITE_NOMEM:
        err_oom(err);
        return;
    case SQLITE_CANTOPEN:
        err_set(err, "P1003", "Database does not exist or cannot be opened: %s", msg ? msg : "");
        return;
    case SQLITE_INTERRUPT:
        err_set(err, "P1008", "Operation has timed out");
        return;
    case SQLITE_TOOBIG:
        err_set(err, "P2000", "The provided value for the column is too long for the column's type. Column: (not available)");
        return;
    default:
        if (map_missing_name(err, msg))
            return;
        /* Prisma 7's code for database errors it has no code of its own for. */
        err_set(err, "P2039", "Database error. Code: `%d`. Message: `%s`", extended, msg ? msg : "");
        return;
    }
}

/* ---- contains, starts_with, ends_with ----
 * SQLite's LIKE and GLOB refuse patterns over 50,000 bytes ("LIKE or GLOB
 * pattern too complex", a limit fixed when SQLite is built) and, with the
 * pattern a parameter, make SQLite read its value while planning. These
 * functions take the text as given (no wildcards to escape) and search for
 * it: prisma_contains(col, text) and the rest, each as a NULL column gives
 * NULL (as LIKE does), and _ci variants that ignore ASCII case as SQLite's
 * LIKE does (other letters compare as they are, without ICU). */
enum { MATCH_CONTAINS, MATCH_STARTS, MATCH_ENDS, MATCH_CI = 4 };

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static bool same_bytes(const unsigned char *a, const unsigned char *b, size_t n, bool ci)
{
    if (!ci)
        return memcmp(a, b, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

static bool text_match(const unsigned char *h, size_t hn, const unsigned char *n, size_t nn, int how)
{
    bool ci = how & MATCH_CI;
    if (nn > hn)
        return false;
    switch (how & ~MATCH_CI) {
    case MATCH_STARTS: return same_bytes(h, n, nn, ci);
    case MATCH_ENDS: return same_bytes(h + hn - nn, n, nn, ci);
    default: break;
    }
    if (nn == 0)
        return true;
    for (size_t i = 0; i + nn <= hn; i++) {
        if (!ci) { /* to the next place the first byte occurs */
            const unsigned char *at = memchr(h + i, n[0], hn - nn - i + 1);
            if (!at)
                return false;
            i = (size_t)(at - h);
        }
        if (same_bytes(h + i, n, nn, ci))
            return true;
    }
    return false;
}

static void match_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
        return; /* NULL, as `NULL LIKE x` */
    const unsigned char *h = sqlite3_value_text(argv[0]);
    size_t hn = (size_t)sqlite3_value_bytes(argv[0]);
    const unsigned char *n = sqlite3_value_text(argv[1]);
    size_t nn = (size_t)sqlite3_value_bytes(argv[1]);
    if (!h || !n) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_int(ctx, text_match(h, hn, n, nn, (int)(intptr_t)sqlite3_user_data(ctx)));
}

static const struct {
    const char *name;
    int how;
} match_fns[] = {
    { "prisma_contains", MATCH_CONTAINS },
    { "prisma_starts_with", MATCH_STARTS },
    { "prisma_ends_with", MATCH_ENDS },
    { "prisma_contains_ci", MATCH_CONTAINS | MATCH_CI },
    { "prisma_starts_with_ci", MATCH_STARTS | MATCH_CI },
    { "prisma_ends_with_ci", MATCH_ENDS | MATCH_CI },
};

static int add_match_fns(sqlite3 *db)
{
    for (size_t i = 0; i < sizeof match_fns / sizeof match_fns[0]; i++) {
        int rc = sqlite3_create_function_v2(db, match_fns[i].name, 2,
                                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                            (void *)(intptr_t)match_fns[i].how, match_fn, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

typedef struct sqlite_conn {
    prisma_conn base;
    sqlite3 *db;
    struct {
        char *sql;
        sqlite3_stmt *stmt;
    } execs[EXEC_CACHE];
    unsigned n_execs;
    int busy_ms; /* how long a statement waits for a lock, as connected */
} sqlite_conn;

struct prisma_rows {
    sqlite_conn *conn;
    sqlite3_stmt *stmt;
    char (*reals)[32]; /* per column: a REAL's text with every digit it needs */
    int n_reals;
    int64_t changes;
    bool stepped_row; /* execute already stepped onto the first row */
    bool done;
};

/* One rows object per connection: a connection runs one statement at a time. */
typedef struct sqlite_conn_rows {
    sqlite_conn c;
    prisma_rows rows;
} sqlite_conn_rows;

static void set_err(prisma_err *err, sqlite3 *db, int rc)
{
    map_sqlite_error(err, rc & 0xff, db ? sqlite3_extended_errcode(db) : rc, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static sqlite3_stmt *exec_stmt(sqlite_conn *c, const char *sql)
{
    for (unsigned i = 0; i < c->n_execs; i++)
        if (strcmp(c->execs[i].sql, sql) == 0)
            return c->execs[i].stmt;
    if (c->n_execs == EXEC_CACHE || strchr(sql, ';'))
        return NULL;
    sqlite3_stmt *st = NULL;
    char *copy = strdup(sql);
    if (!copy || sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK || !st) {
        free(copy);
        sqlite3_finalize(st);
        return NULL;
    }
    c->execs[c->n_execs].sql = copy;
    c->execs[c->n_execs].stmt = st;
    c->n_execs++;
    return st;
}

static int sq_exec(prisma_conn *pc, const char *sql, prisma_err *err)
{
    sqlite_conn *c = (sqlite_conn *)pc;
    sqlite3_stmt *st = exec_stmt(c, sql);
    if (st) {
        int rc = sqlite3_step(st);
        while (rc == SQLITE_ROW)
            rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            set_err(err, c->db, rc);
            return PRISMA_ERROR;
        }
        return PRISMA_OK;
    }
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, c->db, rc);
        return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* file:PATH[?params]: the path relative to the current directory (the
 * project root, base/dburl.h); mode=memory or :memory: a database in memory. */
static int sq_parse_url(const char *url, dburl *u, char *why, size_t why_len)
{
    const char *p = url + 5; /* after "file:" */
    if (strncmp(p, "//", 2) == 0)
        p += 2;
    size_t n = strcspn(p, "?");
    const char *query = p[n] == '?' ? p + n + 1 : NULL;
    if (n == 0) {
        snprintf(why, why_len, "The provided database string is invalid. `%s` names no file.", url);
        return -1;
    }
    for (const char *q = query; q && *q;) {
        size_t len = strcspn(q, "&"), klen = strcspn(q, "=&");
        const char *v = q + klen + (q[klen] == '=' ? 1 : 0);
        size_t vlen = len > klen ? len - klen - 1 : 0;
        if (dburl_key_is(q, klen, "mode") && vlen == 6 && strncmp(v, "memory", 6) == 0)
            u->memory = true;
        bool prisma_only;
        int rc = dburl_param(u, q, klen, v, vlen, &prisma_only, why, why_len);
        if (rc != 0)
            return rc;
        q += len + (q[len] == '&');
    }
    if (n == 8 && strncmp(p, ":memory:", 8) == 0)
        u->memory = true;
    if (u->memory && query) {
        /* A named in-memory database: SQLite reads the URI itself. */
        size_t len = strlen(p) + 6;
        u->path = malloc(len);
        if (u->path)
            snprintf(u->path, len, "file:%s", p);
    } else {
        u->path = strndup(p, n);
    }
    return u->path ? 0 : -2;
}

/* SQLite without the legacy quirks that let a mistake pass as a result:
 * - DQS_DML/DQS_DDL off: a double-quoted name that names no column is an
 *   error ("no such column", P2022), not the string literal of its own name
 *   (a column missing because the schema was never pushed read back as its
 *   name, with success);
 * - LEGACY_ALTER_TABLE off: a rename also rewrites the triggers and views
 *   that use the old name (off by default; a build may turn it on);
 * - TRUSTED_SCHEMA off: the database file's own schema (views, triggers,
 *   defaults) cannot call functions with side effects;
 * - DEFENSIVE on: no statement, raw SQL included, can corrupt the file
 *   (writable_schema, journal_mode=OFF, sqlite_dbpage).
 * Each is a flag on the handle: no statement, nothing per query. */
static int strict_settings(sqlite3 *db)
{
    static const int settings[][2] = {
        { SQLITE_DBCONFIG_DQS_DML, 0 },
        { SQLITE_DBCONFIG_DQS_DDL, 0 },
        { SQLITE_DBCONFIG_LEGACY_ALTER_TABLE, 0 },
        { SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0 },
        { SQLITE_DBCONFIG_DEFENSIVE, 1 },
    };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        int now = -1;
        int rc = sqlite3_db_config(db, settings[i][0], settings[i][1], &now);
        if (rc != SQLITE_OK)
            return rc;
        if (now != settings[i][1])
            return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

static int sq_connect(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err)
{
    *out = NULL;
    /* The file, relative to the current directory (base/dburl.h). */
    dburl u;
    char why[512];
    dburl_init(&u);
    int prc = sq_parse_url(url, &u, why, sizeof why);
    if (prc != 0) {
        dburl_free(&u);
        return backend_url_error(prc, why, err);
    }
    char *p = u.path;
    u.path = NULL;
    dburl_free(&u);
    sqlite_conn_rows *c = calloc(1, sizeof *c);
    if (!c) {
        free(p);
        err_oom(err);
        return PRISMA_ERROR;
    }
    c->c.base.backend = &backend_sqlite;
    c->c.busy_ms = timeout_ms > 0 ? timeout_ms : 5000;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(p, &c->c.db, flags, NULL);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_NOMEM || !c->c.db)
            err_oom(err);
        else
            err_set(err, "P1003", "Database %s cannot be opened: %s", p, sqlite3_errmsg(c->c.db));
        snprintf(err->db_code, sizeof err->db_code, "%d", rc);
        sqlite3_close(c->c.db);
        free(c);
        free(p);
        return PRISMA_ERROR;
    }
    free(p);
    sqlite3_extended_result_codes(c->c.db, 1);
    if ((rc = strict_settings(c->c.db)) != SQLITE_OK || (rc = add_match_fns(c->c.db)) != SQLITE_OK) {
        /* SQLite before 3.31 has no DQS or TRUSTED_SCHEMA setting (or memory ran out). */
        map_sqlite_error(err, rc & 0xff, rc, rc == SQLITE_NOMEM ? sqlite3_errstr(rc)
                                                                : "this SQLite cannot turn off its legacy settings "
                                                                  "(double-quoted strings): SQLite 3.31 or later is needed");
        sqlite3_close(c->c.db);
        free(c);
        return PRISMA_ERROR;
    }
    sqlite3_busy_timeout(c->c.db, c->c.busy_ms);
    if (sq_exec(&c->c.base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", err) !=
        PRISMA_OK) {
        sqlite3_close(c->c.db);
        free(c);
        return PRISMA_ERROR;
    }
    c->rows.conn = &c->c;
    *out = &c->c.base;
    return PRISMA_OK;
}

static void sq_close(prisma_conn *pc)
{
    if (!pc)
        return;
    sqlite_conn *c = (sqlite_conn *)pc;
    for (unsigned i = 0; i < c->n_execs; i++) {
        sqlite3_finalize(c->execs[i].stmt);
        free(c->execs[i].sql);
    }
    sqlite3_close_v2(c->db);
    free(((sqlite_conn_rows *)c)->rows.reals);
    free(c);
}

static int sq_prepare(prisma_conn *pc, const char *sql, int n_params, void **stmt, prisma_err *err)
{
    (void)n_params;
    sqlite_conn *c = (sqlite_conn *)pc;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, c->db, rc);
        return PRISMA_ERROR;
    }
    *stmt = s;
    return PRISMA_OK;
}

static void sq_finalize(prisma_conn *pc, void *stmt)
{
    (void)pc;
    sqlite3_finalize(stmt);
}

static int bind_all(sqlite3_stmt *s, const prisma_value *params, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const prisma_value *v = &params[i];
        int idx = (int)i + 1, rc;
        switch (v->kind) {
        case V_NULL: rc = sqlite3_bind_null(s, idx); break;
        case V_INT:
        case V_BOOL:
        case V_DATETIME: rc = sqlite3_bind_int64(s, idx, v->i); break;
        case V_DOUBLE: rc = sqlite3_bind_double(s, idx, v->d); break;
        case V_TEXT: rc = sqlite3_bind_text64(s, idx, v->s, v->len, SQLITE_STATIC, SQLITE_UTF8); break;
        default: rc = sqlite3_bind_blob64(s, idx, v->len ? v->s : "", v->len, SQLITE_STATIC); break;
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int sq_execute(prisma_conn *pc, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                      prisma_err *err)
{
    sqlite_conn_rows *c = (sqlite_conn_rows *)pc;
    sqlite3_stmt *s = stmt;
    int rc = bind_all(s, params, n);
    if (rc != SQLITE_OK) {
        set_err(err, c->c.db, rc);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return PRISMA_ERROR;
    }
    prisma_rows *r = &c->rows;
    r->stmt = s;
    r->done = false;
    r->stepped_row = false;
    /* Step once now: statements without rows (and errors) finish here. */
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        r->stepped_row = true;
    } else if (rc == SQLITE_DONE) {
        r->done = true;
        r->changes = sqlite3_changes64(c->c.db);
    } else {
        set_err(err, c->c.db, rc);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return PRISMA_ERROR;
    }
    *rows = r;
    return PRISMA_OK;
}

static int sq_next(prisma_rows *r, prisma_err *err)
{
    if (r->stepped_row) {
        r->stepped_row = false;
        return 1;
    }
    if (r->done)
        return 0;
    int rc = sqlite3_step(r->stmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        r->done = true;
        r->changes = sqlite3_changes64(r->conn->db);
        return 0;
    }
    set_err(err, r->conn->db, rc);
    return -1;
}

static bool sq_col_null(prisma_rows *r, int i)
{
    return sqlite3_column_type(r->stmt, i) == SQLITE_NULL;
}

static int64_t sq_col_int(prisma_rows *r, int i)
{
    return sqlite3_column_int64(r->stmt, i);
}

static double sq_col_double(prisma_rows *r, int i)
{
    return sqlite3_column_double(r->stmt, i);
}

/* A REAL read as text (a bare Json number, which SQLite's JSONB column, of
 * numeric affinity, stores as a number; a Decimal): SQLite writes 15
 * significant digits, which may be another double (0.30000000000000004
 * reads "0.3"). Such a value gets the digits it needs, up to 17, in its
 * column's slot (valid until the next row, as col_text promises). When 15
 * digits give the value back, SQLite's own text stays. */
static const char *real_text(prisma_rows *r, int i, const char *t, size_t *len)
{
    double d = sqlite3_column_double(r->stmt, i);
    if (strtod(t, NULL) == d)
        return t;
    if (i >= r->n_reals) {
        int n = sqlite3_column_count(r->stmt);
        char(*grown)[32] = n > i ? realloc(r->reals, (size_t)n * sizeof *grown) : NULL;
        if (!grown) {
            *len = SIZE_MAX; /* out of memory, as col_text reports it */
            return NULL;
        }
        r->reals = grown;
        r->n_reals = n;
    }
    char *out = r->reals[i];
    for (int digits = 16; digits <= 17; digits++) {
        snprintf(out, sizeof r->reals[i], "%.*g", digits, d);
        if (strtod(out, NULL) == d)
            break;
    }
    *len = strlen(out);
    return out;
}

static const char *sq_col_text(prisma_rows *r, int i, size_t *len)
{
    const char *t = (const char *)sqlite3_column_text(r->stmt, i);
    *len = (size_t)sqlite3_column_bytes(r->stmt, i);
    if (!t) {
        /* NULL, or converting the value to text ran out of memory: SQLite
         * then leaves SQLITE_NOMEM on the connection (asking the column's
         * type first would cost every read). */
        if (sqlite3_errcode(sqlite3_db_handle(r->stmt)) == SQLITE_NOMEM) {
            *len = SIZE_MAX;
            return NULL;
        }
        return "";
    }
    /* Only text that starts as a number can be a REAL ("Inf" reads back as
     * itself), so only then is the type asked. */
    if (((t[0] >= '0' && t[0] <= '9') || t[0] == '-') && sqlite3_column_type(r->stmt, i) == SQLITE_FLOAT)
        return real_text(r, i, t, len);
    return t;
}

static const void *sq_col_blob(prisma_rows *r, int i, size_t *len)
{
    const void *b = sqlite3_column_blob(r->stmt, i);
    *len = (size_t)sqlite3_column_bytes(r->stmt, i);
    return b;
}

static int64_t sq_changes(prisma_rows *r)
{
    return r->changes;
}

static void sq_done(prisma_rows *r)
{
    if (!r->stmt)
        return;
    /* A write stepped to its end: SQLite checkpoints the WAL only when a
     * statement returns DONE (RETURNING's remaining rows are buffered: cheap). */
    if (!r->done && !sqlite3_stmt_readonly(r->stmt))
        while (sqlite3_step(r->stmt) == SQLITE_ROW) {
        }
    /* No clear_bindings: every execution binds every parameter again. */
    sqlite3_reset(r->stmt);
    r->stmt = NULL;
}

static int sq_n_cols(prisma_rows *r)
{
    return sqlite3_column_count(r->stmt);
}

static const char *sq_col_name(prisma_rows *r, int i)
{
    const char *n = sqlite3_column_name(r->stmt, i);
    return n ? n : "";
}

/* A raw query's column: by the value's storage class, and by the declared
 * type of the table column it reads, where it reads one (SQLite knows no
 * other types: a computed column has none). The declared types are those
 * Prisma's SQLite columns have: BOOLEAN, DATETIME, DECIMAL, JSONB. */
static prisma_raw_type sq_col_type(prisma_rows *r, int i)
{
    int st = sqlite3_column_type(r->stmt, i);
    if (st == SQLITE_NULL)
        return PRISMA_RAW_NULL;
    if (st == SQLITE_BLOB)
        return PRISMA_RAW_BYTES;
    const char *decl = sqlite3_column_decltype(r->stmt, i);
    char up[32] = "";
    for (size_t k = 0; decl && decl[k] && k + 1 < sizeof up; k++)
        up[k] = (char)(decl[k] >= 'a' && decl[k] <= 'z' ? decl[k] - 32 : decl[k]);
    if (up[0]) {
        if (strstr(up, "BOOL") && st == SQLITE_INTEGER)
            return PRISMA_RAW_BOOL;
        if (strstr(up, "DATE") || strstr(up, "TIME")) {
            int64_t ms;
            if (st == SQLITE_INTEGER)
                return PRISMA_RAW_DATETIME;
            if (st == SQLITE_TEXT &&
                dt_parse((const char *)sqlite3_column_text(r->stmt, i), (size_t)sqlite3_column_bytes(r->stmt, i), &ms) == 0)
                return PRISMA_RAW_DATETIME;
        }
        if (strstr(up, "DEC") || strstr(up, "NUMERIC"))
            return PRISMA_RAW_DECIMAL;
        if (strstr(up, "JSON"))
            return PRISMA_RAW_JSON;
    }
    switch (st) {
    case SQLITE_INTEGER: return PRISMA_RAW_INT;
    case SQLITE_FLOAT: return PRISMA_RAW_FLOAT;
    default: return PRISMA_RAW_TEXT;
    }
}

/* Raw SQL's placeholders as ?NNN; [ident] and `ident` are quoted names. */
static void sq_raw_param(strbuf *b, size_t n)
{
    sb_printf(b, "?%zu", n);
}

static const raw_lex sqlite_raw_lex = { .bracket_idents = true, .backtick_idents = true, .param = sq_raw_param };

static int sq_raw_sql(const char *sql, size_t n_params, strbuf *out, prisma_err *err)
{
    return raw_translate(&sqlite_raw_lex, sql, n_params, out, err);
}

static bool sq_tx_aborted(prisma_conn *pc)
{
    /* SQLite rolls back by itself on some errors: the transaction is gone. */
    return sqlite3_get_autocommit(((sqlite_conn *)pc)->db) != 0;
}

static void sq_cancel(prisma_conn *pc)
{
    sqlite3_interrupt(((sqlite_conn *)pc)->db);
}

/* ---- transactions ---- */

/* BEGIN IMMEDIATE takes the write lock at once: a transaction never fails
 * later for want of it. SQLite has no isolation levels to name (every
 * transaction is serializable) and says ROLLBACK TO without SAVEPOINT. */
static void sq_tx_sql(tx_verb v, prisma_isolation level, const char *savepoint, char *out, size_t cap)
{
    (void)level;
    switch (v) {
    case TX_BEGIN: snprintf(out, cap, "BEGIN IMMEDIATE"); break;
    case TX_COMMIT: snprintf(out, cap, "COMMIT"); break;
    case TX_ROLLBACK: snprintf(out, cap, "ROLLBACK"); break;
    case TX_SAVEPOINT: snprintf(out, cap, "SAVEPOINT %s", savepoint); break;
    case TX_RELEASE: snprintf(out, cap, "RELEASE SAVEPOINT %s", savepoint); break;
    default: snprintf(out, cap, "ROLLBACK TO %s", savepoint); break;
    }
}

/* The write lock waits what the caller allows (what is left of max_wait),
 * then statements wait as connected again. */
static int sq_begin(prisma_conn *pc, prisma_isolation level, int lock_wait_ms, prisma_err *err)
{
    (void)level;
    sqlite_conn *c = (sqlite_conn *)pc;
    if (lock_wait_ms > 0)
        sqlite3_busy_timeout(c->db, lock_wait_ms);
    int rc = sq_exec(pc, "BEGIN IMMEDIATE", err);
    if (lock_wait_ms > 0)
        sqlite3_busy_timeout(c->db, c->busy_ms);
    return rc;
}

/* ---- the rest ---- */

static int sq_default_pool_size(const char *url)
{
    /* An in-memory database is one per connection: one connection sees it all. */
    return strstr(url, ":memory:") || strstr(url, "mode=memory") ? 1 : 4;
}

/* SQLITE_BUSY, SQLITE_LOCKED and their extended codes: another writer. */
static bool sq_retryable(const char *db_code)
{
    return strcmp(db_code, "5") == 0 || strcmp(db_code, "261") == 0 || strcmp(db_code, "517") == 0 ||
           strcmp(db_code, "6") == 0;
}

static const char *const sqlite_schemes[] = { "file:", NULL };

const prisma_backend backend_sqlite = {
    .name = "sqlite",
    .provider = PRISMA_SQLITE,
    .url_schemes = sqlite_schemes,
    .parse_url = sq_parse_url,
    .display_name = "SQLite",
    .caps = BACKEND_RETURNING | BACKEND_CONFLICT_TARGET,
    /* SQLITE_MAX_VARIABLE_NUMBER, 32766 since 3.32. */
    .max_params = 32766,
    .isolation_ok = 1u << PRISMA_SERIALIZABLE,
    .isolation_note = "SQLite supports only the Serializable isolation level.",
    .connect = sq_connect,
    .close = sq_close,
    .cancel = sq_cancel,
    .tx_aborted = sq_tx_aborted,
    .default_pool_size = sq_default_pool_size,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .execute = sq_execute,
    .execute_stream = sq_execute, /* SQLite steps row by row anyway */
    .exec = sq_exec,
    .next = sq_next,
    .col_null = sq_col_null,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    /* col_datetime: the default; DateTime is ms as an integer, or text written by something else. */
    .changes = sq_changes,
    .done = sq_done,
    .n_cols = sq_n_cols,
    .col_name = sq_col_name,
    .col_type = sq_col_type,
    .tx_sql = sq_tx_sql,
    .begin = sq_begin,
    /* SQLite 3.53 reads a bound `LIMIT ?` while planning, so binding it
     * again (every run) expires the statement and the next step prepares it
     * again. Under a unary plus the value is read when the statement runs,
     * as SQLite 3.40 does: same rows, no re-prepare. */
    .limit_param = " LIMIT +",
    .no_limit = " LIMIT -1",
    /* contains, starts_with and ends_with: the functions above (SQLite's
     * LIKE and GLOB refuse patterns over 50,000 bytes), with and without
     * ASCII case folding. */
    .match = { { .fn = { "prisma_contains", "prisma_starts_with", "prisma_ends_with" } },
               { .fn = { "prisma_contains_ci", "prisma_starts_with_ci", "prisma_ends_with_ci" } } },
    /* SQLite keeps any 64-bit integer in a column, and an overflow of 64
     * bits turns the result into a REAL: either would be committed and read
     * back wrong. The result, computed once (v), is kept when in range;
     * otherwise abs() of the smallest integer raises "integer overflow"
     * (its argument depends on v so it is never evaluated ahead of time). */
    .int_guard_open = { "(SELECT CASE WHEN v IS NULL OR (typeof(v) = 'integer' AND v BETWEEN -2147483648 AND "
                        "2147483647) THEN v ELSE abs(-9223372036854775807 - 1 + (v IS NULL)) END FROM (SELECT ",
                        "(SELECT CASE WHEN v IS NULL OR typeof(v) = 'integer' THEN v ELSE "
                        "abs(-9223372036854775807 - 1 + (v IS NULL)) END FROM (SELECT " },
    .int_guard_close = " AS v))",
    .retryable = sq_retryable,
    .json = &backend_sqlite_json,
    /* issue 13: aggregate. MIN and MAX work on booleans (stored as 0 / 1). */
    .bool_min_max = { NULL, NULL },
    /* An aggregate has no affinity: without NUMERIC, a bound decimal text
     * would compare as text, greater than every number. */
    .decimal_agg = { "CAST(", " AS DECIMAL)" },
    .raw_sql = sq_raw_sql,
    /* search: none (full-text search is PostgreSQL's in Prisma) */
};
