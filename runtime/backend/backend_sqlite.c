/* The SQLite backend: one sqlite3 handle per pooled connection, WAL mode and
 * a busy timeout so several threads can share a database file; SQLite's
 * spelling (BEGIN IMMEDIATE, GLOB, LIMIT -1) and its error codes. */
#include "backend.h"


#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const prisma_backend backend_sqlite; /* at the end of this file */

/* Transaction statements (BEGIN, COMMIT, SAVEPOINT ...) run on every
 * transaction: prepared once per connection rather than parsed each time. */
enum { EXEC_CACHE = 8 };

/* ---- errors: SQLite's codes in Prisma's codes and words (user-facing-errors) ---- */

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
        err_set(err, "P2020", "Value out of range for the type. %s", msg);
        return;
    }
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        err_set(err, "P2034", "Transaction failed due to a write conflict or a deadlock. Please retry your transaction");
        return;
    case SQLITE_CANTOPEN:
        err_set(err, "P1003", "Database does not exist or cannot be opened: %s", msg ? msg : "");
        return;
    case SQLITE_INTERRUPT:
        err_set(err, "P1008", "Operations timed out: the statement was interrupted");
        return;
    case SQLITE_TOOBIG:
        err_set(err, "P2000", "The provided value for the column is too long for the column's type.");
        return;
    default:
        /* Prisma 7's code for database errors it has no code of its own for. */
        err_set(err, "P2039", "Database error. Code: `%d`. Message: `%s`", extended, msg ? msg : "");
        return;
    }
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
        snprintf(why, why_len, "The provided database string is invalid: `%s` names no file.", url);
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
        err_set(err, prc == -2 ? "P1000" : "P1013", "%s", prc == -2 ? "out of memory" : why);
        return PRISMA_ERROR;
    }
    char *p = u.path;
    u.path = NULL;
    dburl_free(&u);
    sqlite_conn_rows *c = calloc(1, sizeof *c);
    if (!c) {
        free(p);
        err_set(err, "P1000", "out of memory");
        return PRISMA_ERROR;
    }
    c->c.base.backend = &backend_sqlite;
    c->c.busy_ms = timeout_ms > 0 ? timeout_ms : 5000;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(p, &c->c.db, flags, NULL);
    if (rc != SQLITE_OK) {
        err_set(err, "P1003", "Database %s cannot be opened: %s", p,
                c->c.db ? sqlite3_errmsg(c->c.db) : sqlite3_errstr(rc));
        snprintf(err->db_code, sizeof err->db_code, "%d", rc);
        sqlite3_close(c->c.db);
        free(c);
        free(p);
        return PRISMA_ERROR;
    }
    free(p);
    sqlite3_extended_result_codes(c->c.db, 1);
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

static const char *sq_col_text(prisma_rows *r, int i, size_t *len)
{
    const char *t = (const char *)sqlite3_column_text(r->stmt, i);
    *len = (size_t)sqlite3_column_bytes(r->stmt, i);
    return t ? t : "";
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

static prisma_raw_type sq_col_type(prisma_rows *r, int i)
{
    switch (sqlite3_column_type(r->stmt, i)) {
    case SQLITE_INTEGER: return PRISMA_RAW_INT;
    case SQLITE_FLOAT: return PRISMA_RAW_FLOAT;
    case SQLITE_BLOB: return PRISMA_RAW_BYTES;
    case SQLITE_NULL: return PRISMA_RAW_NULL;
    default: return PRISMA_RAW_TEXT;
    }
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
    /* SQLite's LIKE ignores ASCII case: GLOB is the case-sensitive match. */
    .match = { { " GLOB ", true }, { " LIKE ", false } },
    .retryable = sq_retryable,
};
