/* The MySQL/MariaDB backend (MariaDB Connector/C): prepared statements over
 * the binary protocol, a small statement cache per connection (Prisma's
 * statement_cache_size, default 100), DateTime as DATETIME(3) in UTC,
 * Decimal as text, Bytes and Json (MariaDB: LONGTEXT) as bytes; rows read
 * whole (mysql_stmt_store_result) or one at a time from the wire (streams);
 * transactions over the text protocol, `SET TRANSACTION ISOLATION LEVEL x`
 * before BEGIN (after it MySQL refuses, 1568); cancel by KILL QUERY from a
 * second connection.
 *
 * MySQL has no UPDATE ... RETURNING and no ON CONFLICT: its capabilities say
 * so and the query layer takes Prisma's select-update-reselect way. MariaDB
 * has INSERT ... RETURNING and DELETE ... RETURNING (10.5), and INSERT IGNORE. */
#include "backend_mysql_conn.h"
#include "backend_mysql_errors.h"
#include "backend_json.h"

#include <errmsg.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- failures ---- */

/* A failed call's error in Prisma's words (errnum, msg: Connector/C's). A
 * lost session breaks the connection: the pool closes it. Returns PRISMA_ERROR. */
static int fail_with(my_conn *c, unsigned errnum, const char *msg, prisma_err *err)
{
    if (errnum == CR_OUT_OF_MEMORY) {
        err_oom(err);
        return PRISMA_ERROR;
    }
    my_map_error(err, errnum, msg);
    if (errnum == 1213)
        c->tx_rolled_back = true;
    if (my_connection_lost(errnum) || errnum == CR_COMMANDS_OUT_OF_SYNC)
        c->base.broken = true;
    return PRISMA_ERROR;
}

/* A unique violation names the index only (1062 "... for key
 * 'User_email_key'"); its columns come from information_schema when one
 * table of the database has an index of that name, and the error then names
 * the fields, as on the other databases. Otherwise (PRIMARY, a name shared
 * by several tables) it keeps Prisma's "constraint: `name`". One round trip,
 * on this failure only; the transaction is untouched (a read of metadata). */
static void unique_fields(my_conn *c, prisma_err *err)
{
    char key[192], esc[2 * sizeof key + 1], sql[sizeof esc + 200];
    if (!my_duplicate_key(err->db_message, key, sizeof key) || strcmp(key, "PRIMARY") == 0)
        return;
    mysql_real_escape_string(c->my, esc, key, (unsigned long)strlen(key));
    snprintf(sql, sizeof sql,
             "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND "
             "INDEX_NAME = '%s' ORDER BY TABLE_NAME, SEQ_IN_INDEX",
             esc);
    if (mysql_real_query(c->my, sql, (unsigned long)strlen(sql)) != 0)
        return;
    MYSQL_RES *res = mysql_store_result(c->my);
    char table[192] = "", list[512] = "";
    size_t o = 0;
    bool one_table = res != NULL;
    for (MYSQL_ROW row; one_table && (row = mysql_fetch_row(res));) {
        if (!row[0] || !row[1] || (table[0] && strcmp(table, row[0]) != 0))
            one_table = false;
        else {
            snprintf(table, sizeof table, "%s", row[0]);
            o += (size_t)snprintf(list + o, o < sizeof list ? sizeof list - o : 0, "%s%s", o ? ", " : "", row[1]);
        }
    }
    mysql_free_result(res);
    if (!one_table || !table[0] || o >= sizeof list)
        return;
    char fields[600];
    err_field_list(list, fields, sizeof fields);
    err_set(err, "P2002", "Unique constraint failed on the fields: %s", fields);
}

/* socket_timeout: Connector/C gives up reading after that long and reports
 * the session lost (2013), in the same words as a server that went away; the
 * time it waited tells the two apart. Prisma's P1008, as on PostgreSQL; the
 * session is closed (mid-statement, its state unknown). */
static void socket_timeout_err(my_conn *c, int64_t started_ms, prisma_err *err)
{
    int s = c->target.socket_timeout_s;
    if (s <= 0 || !my_connection_lost((unsigned)atoi(err->db_code)) || clock_mono_ms() - started_ms < s * 1000LL - 50)
        return;
    err_set(err, "P1008", "Operations timed out after `%ds`", s);
    snprintf(err->db_message, sizeof err->db_message,
             "the server did not answer within socket_timeout (%d s); the connection was closed", s);
    c->base.broken = true;
}

static int fail_conn(my_conn *c, prisma_err *err)
{
    return fail_with(c, mysql_errno(c->my), mysql_error(c->my), err);
}

static int fail_stmt(my_conn *c, MYSQL_STMT *st, prisma_err *err)
{
    unsigned errnum = mysql_stmt_errno(st);
    fail_with(c, errnum, mysql_stmt_error(st), err);
    if (!c->base.broken) {
        /* INSERT ... RETURNING refused (1062, 1406...) is a result cut
         * short: the execution ends here, else Connector/C still waits for
         * the rest of it at the statement's next execute, forever. */
        mysql_stmt_reset(st);
        if (errnum == 1062)
            unique_fields(c, err);
    }
    return PRISMA_ERROR;
}

/* ---- text-protocol commands ---- */

/* Runs sql (no parameters) over the text protocol; a result it returns is
 * read and dropped. */
static int my_exec(prisma_conn *pc, const char *sql, prisma_err *err)
{
    my_conn *c = (my_conn *)pc;
    int64_t started = clock_mono_ms();
    if (mysql_real_query(c->my, sql, (unsigned long)strlen(sql)) != 0) {
        fail_conn(c, err);
        socket_timeout_err(c, started, err);
        return PRISMA_ERROR;
    }
    int rc = PRISMA_OK;
    for (;;) {
        MYSQL_RES *res = mysql_store_result(c->my);
        if (res)
            mysql_free_result(res);
        else if (mysql_field_count(c->my) != 0)
            return fail_conn(c, err);
        int more = mysql_next_result(c->my);
        if (more > 0)
            return fail_conn(c, err);
        if (more < 0)
            break;
    }
    return rc;
}

/* ---- statements ---- */

static MYSQL_STMT *stmt_prepare(my_conn *c, const char *sql, prisma_err *err)
{
    MYSQL_STMT *st = mysql_stmt_init(c->my);
    if (!st) {
        err_oom(err);
        return NULL;
    }
    my_bool on = 1;
    mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
    if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
        fail_stmt(c, st, err);
        mysql_stmt_close(st);
        return NULL;
    }
    return st;
}

static int my_prepare(prisma_conn *pc, const char *sql, int n_params, void **stmt, prisma_err *err)
{
    my_conn *c = (my_conn *)pc;
    *stmt = NULL;
    my_stmt *s = calloc(1, sizeof *s);
    if (!s || !(s->sql = strdup(sql))) {
        free(s);
        err_oom(err);
        return PRISMA_ERROR;
    }
    s->n_params = n_params > 0 ? (unsigned)n_params : 0;
    s->insert_ignore = strncmp(sql, "INSERT IGNORE ", 14) == 0; /* once, not per execution */
    if (c->statement_cache_size != 0 && !(s->st = stmt_prepare(c, sql, err))) {
        free(s->sql);
        free(s);
        return PRISMA_ERROR;
    }
    *stmt = s;
    return PRISMA_OK;
}

/* COM_STMT_CLOSE has no reply: no round trip, also when closing. */
static void my_finalize(prisma_conn *pc, void *stmt)
{
    (void)pc;
    my_stmt *s = stmt;
    if (!s)
        return;
    if (s->st)
        mysql_stmt_close(s->st);
    free(s->sql);
    free(s);
}

/* ---- parameters ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* ms since the epoch (UTC) as a DATETIME: MySQL's DATETIME has no zone, and
 * every connection's time_zone is UTC. Returns false for an instant outside
 * the years DATETIME holds (0000-9999). */
static bool ms_to_time(int64_t ms, MYSQL_TIME *t)
{
    int64_t secs = ms / 1000 - (ms % 1000 < 0);
    int64_t msec = ms - secs * 1000;
    int64_t days = secs / 86400 - (secs % 86400 < 0);
    int64_t sod = secs - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    memset(t, 0, sizeof *t);
    t->year = y < 0 ? 0 : y > 9999 ? 9999 : (unsigned)y;
    t->month = m;
    t->day = d;
    t->hour = (unsigned)(sod / 3600);
    t->minute = (unsigned)(sod / 60 % 60);
    t->second = (unsigned)(sod % 60);
    t->second_part = (unsigned long)msec * 1000;
    t->time_type = MYSQL_TIMESTAMP_DATETIME;
    return y >= 0 && y <= 9999;
}

static int64_t time_to_ms(const MYSQL_TIME *t)
{
    int64_t days = t->time_type == MYSQL_TIMESTAMP_TIME ? 0 : days_from_civil(t->year, t->month ? t->month : 1, t->day ? t->day : 1);
    int64_t hours = t->time_type == MYSQL_TIMESTAMP_TIME ? (int64_t)t->hour % 24 : t->hour;
    int64_t ms = ((days * 24 + hours) * 60 + t->minute) * 60 + t->second;
    ms = ms * 1000 + (int64_t)(t->second_part / 1000);
    return t->neg && t->time_type == MYSQL_TIMESTAMP_TIME ? (86400000 - ms % 86400000) % 86400000 : ms;
}

static bool ensure_params(my_conn *c, size_t n)
{
    if (n <= c->params_cap)
        return true;
    size_t cap = n < 16 ? 16 : n;
    MYSQL_BIND *b = realloc(c->params, cap * sizeof *b);
    if (b)
        c->params = b;
    MYSQL_TIME *t = realloc(c->times, cap * sizeof *t);
    if (t)
        c->times = t;
    my_bool *o = realloc(c->bools, cap * sizeof *o);
    if (o)
        c->bools = o;
    if (!b || !t || !o)
        return false;
    c->params_cap = cap;
    return true;
}

/* MYSQL_BIND's buffer is not const, but Connector/C only reads a
 * parameter's: the caller's values are bound where they are. */
static void *param_buffer(const void *p)
{
    return (void *)(uintptr_t)p;
}

/* Binds params to st (the buffers point into params and the connection's
 * arrays until the execution). */
static int bind_params(my_conn *c, MYSQL_STMT *st, const prisma_value *params, size_t n, prisma_err *err)
{
    if (n != mysql_stmt_param_count(st)) {
        err_set(err, "P2009", "the statement has %lu parameters, %zu values were given",
                (unsigned long)mysql_stmt_param_count(st), n);
        return PRISMA_ERROR;
    }
    if (!n)
        return PRISMA_OK;
    if (!ensure_params(c, n)) {
        err_oom(err);
        return PRISMA_ERROR;
    }
    memset(c->params, 0, n * sizeof *c->params);
    for (size_t i = 0; i < n; i++) {
        MYSQL_BIND *b = &c->params[i];
        const prisma_value *v = &params[i];
        switch (v->kind) {
        case V_NULL:
            b->buffer_type = MYSQL_TYPE_NULL;
            break;
        case V_INT:
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->buffer = param_buffer(&v->i);
            break;
        case V_BOOL:
            c->bools[i] = v->i != 0;
            b->buffer_type = MYSQL_TYPE_TINY;
            b->buffer = &c->bools[i];
            break;
        case V_DOUBLE:
            b->buffer_type = MYSQL_TYPE_DOUBLE;
            b->buffer = param_buffer(&v->d);
            break;
        case V_DATETIME:
            /* Out of DATETIME's range: refused here, as the server would
             * otherwise store a zero date (no NO_ZERO_DATE in Prisma's sql_mode). */
            if (!ms_to_time(v->i, &c->times[i])) {
                err_set(err, "P2007",
                        "Data validation error `the DateTime %lld ms after 1970-01-01 is outside the years 0000-9999 a "
                        "DATETIME holds`",
                        (long long)v->i);
                return PRISMA_ERROR;
            }
            b->buffer_type = MYSQL_TYPE_DATETIME;
            b->buffer = &c->times[i];
            break;
        case V_TEXT:
            b->buffer_type = MYSQL_TYPE_STRING;
            b->buffer = param_buffer(v->len ? v->s : "");
            b->buffer_length = (unsigned long)v->len;
            break;
        case V_BLOB:
            b->buffer_type = MYSQL_TYPE_BLOB;
            b->buffer = param_buffer(v->len ? v->s : "");
            b->buffer_length = (unsigned long)v->len;
            break;
        default:
            err_set(err, "P2026", "The current database provider doesn't support a feature that the query used: "
                                  "scalar lists");
            return PRISMA_ERROR;
        }
    }
    if (mysql_stmt_bind_param(st, c->params))
        return fail_stmt(c, st, err);
    return PRISMA_OK;
}

/* ---- rows ---- */

static bool is_time(enum enum_field_types t)
{
    return t == MYSQL_TYPE_DATE || t == MYSQL_TYPE_DATETIME || t == MYSQL_TYPE_TIMESTAMP || t == MYSQL_TYPE_TIME ||
           t == MYSQL_TYPE_NEWDATE;
}

static enum enum_field_types buffer_type(enum enum_field_types t)
{
    switch (t) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return MYSQL_TYPE_LONGLONG;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        return MYSQL_TYPE_DOUBLE;
    default:
        return is_time(t) ? t : MYSQL_TYPE_STRING;
    }
}

/* Result buffers for r's columns: numbers and dates in their binary form,
 * everything else as bytes (a stored result's longest value fits; a stream's
 * buffer grows when a value does not). */
static int bind_results(prisma_rows *r, prisma_err *err)
{
    unsigned n = r->n_cols;
    if (n > r->cols_cap) {
        MYSQL_BIND *b = realloc(r->bind, n * sizeof *b);
        if (b)
            r->bind = b;
        my_col *cl = realloc(r->cols, n * sizeof *cl);
        if (cl) {
            memset(cl + r->cols_cap, 0, (n - r->cols_cap) * sizeof *cl);
            r->cols = cl;
        }
        if (!b || !cl) {
            err_oom(err);
            return PRISMA_ERROR;
        }
        r->cols_cap = n;
    }
    memset(r->bind, 0, n * sizeof *r->bind);
    for (unsigned i = 0; i < n; i++) {
        my_col *col = &r->cols[i];
        MYSQL_BIND *b = &r->bind[i];
        col->type = buffer_type(r->fields[i].type);
        b->buffer_type = col->type;
        b->length = &col->length;
        b->is_null = &col->is_null;
        b->error = &col->error;
        if (col->type == MYSQL_TYPE_LONGLONG) {
            b->buffer = &col->i;
            b->is_unsigned = (r->fields[i].flags & UNSIGNED_FLAG) != 0;
        } else if (col->type == MYSQL_TYPE_DOUBLE) {
            b->buffer = &col->d;
        } else if (col->type != MYSQL_TYPE_STRING) {
            b->buffer = &col->t;
        } else {
            size_t want = r->streaming ? 256 : (size_t)r->fields[i].max_length + 1;
            if (want > col->cap || !col->buf) {
                char *p = realloc(col->buf, want < 16 ? 16 : want);
                if (!p) {
                    err_oom(err);
                    return PRISMA_ERROR;
                }
                col->buf = p;
                col->cap = want < 16 ? 16 : want;
            }
            b->buffer = col->buf;
            b->buffer_length = (unsigned long)col->cap;
        }
    }
    if (mysql_stmt_bind_result(r->st, r->bind))
        return fail_stmt(r->conn, r->st, err);
    return PRISMA_OK;
}

/* Ends r's result: what a stream did not read is dropped, the buffers stay
 * for the next one. */
static void rows_end(prisma_rows *r)
{
    if (r->st && r->open) {
        if (r->streaming && !r->finished)
            mysql_stmt_reset(r->st); /* drops the rows still on the wire */
        mysql_stmt_free_result(r->st);
        while (mysql_stmt_more_results(r->st) && mysql_stmt_next_result(r->st) == 0)
            mysql_stmt_free_result(r->st);
    }
    r->open = false;
    /* A buffer a large value grew stays with the connection only up to 64 KiB. */
    for (size_t i = 0; i < r->cols_cap; i++)
        if (r->cols[i].cap > 65536) {
            free(r->cols[i].buf);
            r->cols[i].buf = NULL;
            r->cols[i].cap = 0;
        }
    if (r->meta)
        mysql_free_result(r->meta);
    r->meta = NULL;
    r->fields = NULL;
    r->n_cols = 0;
    if (r->st && r->transient)
        mysql_stmt_close(r->st);
    r->st = NULL;
    r->transient = false;
}

void my_rows_free(prisma_rows *r)
{
    if (!r)
        return;
    rows_end(r);
    for (size_t i = 0; i < r->cols_cap; i++)
        free(r->cols[i].buf);
    free(r->cols);
    free(r->bind);
    r->cols = NULL;
    r->bind = NULL;
    r->cols_cap = 0;
}

/* Runs stmt with params into r: rows stored whole, or (streaming) left on
 * the wire to be read one at a time. */
static int run(my_conn *c, my_stmt *s, const prisma_value *params, size_t n, bool streaming, prisma_rows *r,
               prisma_err *err)
{
    rows_end(r);
    r->conn = c;
    r->streaming = streaming;
    r->finished = false;
    r->changes = 0;
    MYSQL_STMT *st = s->st;
    if (!st) { /* statement_cache_size=0: prepared for this execution */
        if (!(st = stmt_prepare(c, s->sql, err)))
            return PRISMA_ERROR;
        r->transient = true;
    }
    r->st = st;
    if (bind_params(c, st, params, n, err) != PRISMA_OK) {
        rows_end(r);
        return PRISMA_ERROR;
    }
    int64_t started = clock_mono_ms();
    int failed = mysql_stmt_execute(st);
    if (failed && mysql_stmt_errno(st) == 1615 && !r->transient) {
        /* "Prepared statement needs to be re-prepared" (a table or view it
         * reads changed, table_definition_cache): prepared again, once. */
        MYSQL_STMT *again = stmt_prepare(c, s->sql, err);
        if (!again) {
            rows_end(r);
            return PRISMA_ERROR;
        }
        mysql_stmt_close(st);
        s->st = r->st = st = again;
        if (bind_params(c, st, params, n, err) != PRISMA_OK) {
            rows_end(r);
            return PRISMA_ERROR;
        }
        failed = mysql_stmt_execute(st);
    }
    if (failed) {
        fail_stmt(c, st, err);
        socket_timeout_err(c, started, err);
        rows_end(r);
        return PRISMA_ERROR;
    }
    r->open = true;
    if (mysql_stmt_field_count(st) == 0) {
        my_ulonglong a = mysql_stmt_affected_rows(st);
        r->changes = a == (my_ulonglong)-1 ? 0 : (int64_t)a;
        return PRISMA_OK;
    }
    r->meta = mysql_stmt_result_metadata(st);
    if (!r->meta) {
        fail_stmt(c, st, err);
        rows_end(r);
        return PRISMA_ERROR;
    }
    r->n_cols = mysql_num_fields(r->meta);
    r->fields = mysql_fetch_fields(r->meta);
    if (!streaming && mysql_stmt_store_result(st) != 0) {
        /* An error after the result's metadata (INSERT ... RETURNING
         * meeting a taken key or an overlong value): fail_stmt resets the
         * statement, which Connector/C would otherwise leave waiting for
         * rows the server never sends. */
        fail_stmt(c, st, err);
        rows_end(r);
        return PRISMA_ERROR;
    }
    if (!streaming)
        r->changes = (int64_t)mysql_stmt_num_rows(st);
    if (bind_results(r, err) != PRISMA_OK) {
        rows_end(r);
        return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* INSERT IGNORE (the query layer's ON CONFLICT DO NOTHING) skips a row
 * whose key is taken, and also lets through, as warnings, what would have
 * failed: a foreign key that points nowhere (the row skipped), a NULL or an
 * overlong value (the row written with a default or cut). Those are the
 * errors they are: the first warning other than a duplicate key (1062) fails
 * the statement, and the caller's transaction takes back what it wrote. */
static int ignored_errors(my_conn *c, prisma_err *err)
{
    if (mysql_warning_count(c->my) == 0)
        return PRISMA_OK;
    static const char show[] = "SHOW WARNINGS";
    if (mysql_real_query(c->my, show, sizeof show - 1) != 0)
        return fail_conn(c, err);
    MYSQL_RES *res = mysql_store_result(c->my);
    if (!res)
        return fail_conn(c, err);
    int rc = PRISMA_OK;
    for (MYSQL_ROW row; rc == PRISMA_OK && (row = mysql_fetch_row(res));) {
        unsigned code = row[1] ? (unsigned)strtoul(row[1], NULL, 10) : 0;
        if (code == 1062 || (row[0] && strcmp(row[0], "Note") == 0))
            continue;
        my_map_error(err, code, row[2] ? row[2] : "");
        rc = PRISMA_ERROR;
    }
    mysql_free_result(res);
    return rc;
}

static int my_execute(prisma_conn *pc, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                      prisma_err *err)
{
    my_conn *c = (my_conn *)pc;
    my_stmt *s = stmt;
    if (run(c, s, params, n, false, &c->rows, err) != PRISMA_OK)
        return PRISMA_ERROR;
    if (s->insert_ignore && ignored_errors(c, err) != PRISMA_OK) {
        rows_end(&c->rows);
        return PRISMA_ERROR;
    }
    *rows = &c->rows;
    return PRISMA_OK;
}

static int my_execute_stream(prisma_conn *pc, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                             prisma_err *err)
{
    my_conn *c = (my_conn *)pc;
    if (run(c, stmt, params, n, true, &c->rows, err) != PRISMA_OK)
        return PRISMA_ERROR;
    *rows = &c->rows;
    return PRISMA_OK;
}

/* A value longer than its buffer: read again into one that fits (and the
 * buffers bound anew, for the rows after it). */
static int refetch_truncated(prisma_rows *r, prisma_err *err)
{
    for (unsigned i = 0; i < r->n_cols; i++) {
        my_col *col = &r->cols[i];
        if (col->type != MYSQL_TYPE_STRING || col->is_null || col->length < col->cap)
            continue;
        char *p = realloc(col->buf, (size_t)col->length + 1);
        if (!p) {
            err_oom(err);
            return PRISMA_ERROR;
        }
        col->buf = p;
        col->cap = (size_t)col->length + 1;
        r->bind[i].buffer = col->buf;
        r->bind[i].buffer_length = (unsigned long)col->cap;
        if (mysql_stmt_fetch_column(r->st, &r->bind[i], i, 0) != 0)
            return fail_stmt(r->conn, r->st, err);
    }
    if (mysql_stmt_bind_result(r->st, r->bind))
        return fail_stmt(r->conn, r->st, err);
    return PRISMA_OK;
}

static int my_next(prisma_rows *r, prisma_err *err)
{
    if (!r->open || !r->n_cols)
        return 0;
    if (r->finished)
        return 0;
    int rc = mysql_stmt_fetch(r->st);
    if (rc == MYSQL_NO_DATA) {
        r->finished = true;
        return 0;
    }
    if (rc == 1) {
        r->finished = true;
        fail_stmt(r->conn, r->st, err);
        return -1;
    }
    if (rc == MYSQL_DATA_TRUNCATED && refetch_truncated(r, err) != PRISMA_OK)
        return -1;
    for (unsigned i = 0; i < r->n_cols; i++) {
        my_col *col = &r->cols[i];
        if (col->type == MYSQL_TYPE_STRING && !col->is_null)
            col->buf[col->length < col->cap ? col->length : col->cap - 1] = '\0';
    }
    return 1;
}

static bool my_col_null(prisma_rows *r, int i)
{
    return r->cols[i].is_null;
}

static int64_t my_col_int(prisma_rows *r, int i)
{
    my_col *col = &r->cols[i];
    switch (col->type) {
    case MYSQL_TYPE_LONGLONG: return col->i;
    case MYSQL_TYPE_DOUBLE: return (int64_t)col->d;
    case MYSQL_TYPE_STRING:
        /* BIT(n) comes as big-endian bytes */
        if (r->fields[i].type == MYSQL_TYPE_BIT) {
            int64_t v = 0;
            for (unsigned long k = 0; k < col->length && k < 8; k++)
                v = v << 8 | (unsigned char)col->buf[k];
            return v;
        }
        return strtoll(col->buf, NULL, 10);
    default: return time_to_ms(&col->t);
    }
}

static double my_col_double(prisma_rows *r, int i)
{
    my_col *col = &r->cols[i];
    switch (col->type) {
    case MYSQL_TYPE_LONGLONG: return (double)col->i;
    case MYSQL_TYPE_DOUBLE: return col->d;
    case MYSQL_TYPE_STRING: return strtod(col->buf, NULL);
    default: return (double)time_to_ms(&col->t);
    }
}

static const char *my_col_text(prisma_rows *r, int i, size_t *len)
{
    my_col *col = &r->cols[i];
    switch (col->type) {
    case MYSQL_TYPE_STRING:
        *len = col->length;
        return col->buf;
    case MYSQL_TYPE_LONGLONG:
        *len = (size_t)snprintf(col->text, sizeof col->text, r->bind[i].is_unsigned ? "%llu" : "%lld",
                                (long long)col->i);
        return col->text;
    case MYSQL_TYPE_DOUBLE:
        *len = (size_t)snprintf(col->text, sizeof col->text, "%.17g", col->d);
        return col->text;
    default: {
        char out[32];
        dt_format(time_to_ms(&col->t), out, false);
        *len = (size_t)snprintf(col->text, sizeof col->text, "%s", out);
        return col->text;
    }
    }
}

static const void *my_col_blob(prisma_rows *r, int i, size_t *len)
{
    return my_col_text(r, i, len);
}

/* DATETIME, DATE, TIMESTAMP (UTC: the session's time_zone) and TIME (a time
 * of day on 1970-01-01, as Prisma reads @db.Time); text parsed (raw SQL). */
static int my_col_datetime(prisma_rows *r, int i, int64_t *ms)
{
    my_col *col = &r->cols[i];
    if (col->type == MYSQL_TYPE_LONGLONG) {
        *ms = col->i;
        return 0;
    }
    if (col->type == MYSQL_TYPE_STRING)
        return dt_parse(col->buf, col->length, ms);
    if (col->type == MYSQL_TYPE_DOUBLE)
        return -1;
    if (col->t.time_type != MYSQL_TIMESTAMP_TIME && (col->t.month == 0 || col->t.day == 0))
        return -1; /* a zero date (0000-00-00): no instant */
    *ms = time_to_ms(&col->t);
    return 0;
}

static int64_t my_changes(prisma_rows *r)
{
    return r->changes;
}

static void my_done(prisma_rows *r)
{
    rows_end(r);
}

static int my_n_cols(prisma_rows *r)
{
    return (int)r->n_cols;
}

static const char *my_col_name(prisma_rows *r, int i)
{
    return r->fields && r->fields[i].name ? r->fields[i].name : "";
}

/* MariaDB's JSON is LONGTEXT: its extended metadata names the format. */
static bool is_json(prisma_rows *r, int i)
{
    if (r->fields[i].type == MYSQL_TYPE_JSON)
        return true;
    MARIADB_CONST_STRING name = { 0 };
    return mariadb_field_attr(&name, &r->fields[i], MARIADB_FIELD_ATTR_FORMAT_NAME) == 0 && name.length == 4 &&
           memcmp(name.str, "json", 4) == 0;
}

static prisma_raw_type my_col_type(prisma_rows *r, int i)
{
    if (r->cols[i].is_null)
        return PRISMA_RAW_NULL;
    switch (r->fields[i].type) {
    case MYSQL_TYPE_TINY: case MYSQL_TYPE_SHORT: case MYSQL_TYPE_INT24: case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG: case MYSQL_TYPE_YEAR:
        return PRISMA_RAW_INT;
    case MYSQL_TYPE_FLOAT: case MYSQL_TYPE_DOUBLE:
        return PRISMA_RAW_FLOAT;
    case MYSQL_TYPE_DECIMAL: case MYSQL_TYPE_NEWDECIMAL:
        return PRISMA_RAW_DECIMAL;
    case MYSQL_TYPE_DATE: case MYSQL_TYPE_DATETIME: case MYSQL_TYPE_TIMESTAMP: case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_NEWDATE:
        return PRISMA_RAW_DATETIME;
    case MYSQL_TYPE_BIT:
        return PRISMA_RAW_BYTES;
    default:
        if (is_json(r, i))
            return PRISMA_RAW_JSON;
        return r->fields[i].charsetnr == 63 ? PRISMA_RAW_BYTES : PRISMA_RAW_TEXT; /* 63: binary */
    }
}

/* ---- transactions ---- */

static void my_tx_sql(tx_verb v, prisma_isolation level, const char *savepoint, char *out, size_t cap)
{
    const char *iso = backend_isolation_sql(level);
    switch (v) {
    case TX_BEGIN:
        if (iso)
            snprintf(out, cap, "SET TRANSACTION ISOLATION LEVEL %s; BEGIN", iso);
        else
            snprintf(out, cap, "BEGIN");
        break;
    case TX_COMMIT: snprintf(out, cap, "COMMIT"); break;
    case TX_ROLLBACK: snprintf(out, cap, "ROLLBACK"); break;
    case TX_SAVEPOINT: snprintf(out, cap, "SAVEPOINT `%s`", savepoint); break;
    case TX_RELEASE: snprintf(out, cap, "RELEASE SAVEPOINT `%s`", savepoint); break;
    default: snprintf(out, cap, "ROLLBACK TO SAVEPOINT `%s`", savepoint); break;
    }
}

/* The level goes first: it applies to the next transaction only, and once
 * one is open MySQL refuses to change it (1568). */
static int my_begin(prisma_conn *pc, prisma_isolation level, int lock_wait_ms, prisma_err *err)
{
    (void)lock_wait_ms; /* InnoDB takes no lock at BEGIN: max_wait was the pool's wait */
    my_conn *c = (my_conn *)pc;
    c->tx_rolled_back = false;
    const char *iso = backend_isolation_sql(level);
    if (iso) {
        char sql[64];
        snprintf(sql, sizeof sql, "SET TRANSACTION ISOLATION LEVEL %s", iso);
        if (my_exec(pc, sql, err) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return my_exec(pc, "BEGIN", err);
}

static int my_commit(prisma_conn *pc, prisma_err *err)
{
    ((my_conn *)pc)->tx_rolled_back = false;
    return my_exec(pc, "COMMIT", err);
}

static int my_rollback(prisma_conn *pc, prisma_err *err)
{
    my_conn *c = (my_conn *)pc;
    c->tx_rolled_back = false;
    return my_exec(pc, "ROLLBACK", err);
}

/* MySQL ends a transaction itself only on a deadlock (1213: rolled back
 * whole) or when the session is gone; any other error undoes its statement
 * only and the transaction goes on. The server says whether one is open. */
static bool my_tx_aborted(prisma_conn *pc)
{
    my_conn *c = (my_conn *)pc;
    if (c->base.broken || c->tx_rolled_back)
        return true;
    unsigned status = 0;
    if (mariadb_get_infov(c->my, MARIADB_CONNECTION_SERVER_STATUS, &status))
        return true;
    return (status & SERVER_STATUS_IN_TRANS) == 0;
}

/* A connection back from the pool: an idle session has nothing to say, so a
 * readable socket means the server ended it (wait_timeout, KILL, shutdown).
 * One poll without waiting; no round trip. */
static bool my_idle_alive(prisma_conn *pc)
{
    my_conn *c = (my_conn *)pc;
    if (c->base.broken)
        return false;
    struct pollfd p = { .fd = (int)mysql_get_socket(c->my), .events = POLLIN };
    return p.fd >= 0 && poll(&p, 1, 0) == 0;
}

/* KILL QUERY from a second session (the running statement fails with 1317,
 * P1008; the session and its transaction stay). One that arrives after the
 * statement ended finds the session idle and does nothing: the session's
 * next statement runs (checked on MariaDB 10.11), so no state is kept. */
static void my_cancel(prisma_conn *pc)
{
    my_conn *c = (my_conn *)pc;
    pthread_mutex_lock(&c->cancel_mu);
    prisma_err ignored;
    MYSQL *k = my_open(&c->target, 5000, &ignored);
    if (k) {
        char sql[48];
        snprintf(sql, sizeof sql, "KILL QUERY %lu", c->thread_id);
        (void)mysql_real_query(k, sql, (unsigned long)strlen(sql));
        mysql_close(k);
    }
    pthread_mutex_unlock(&c->cancel_mu);
}

/* ---- SQL spelling ---- */

/* `ident`, backticks doubled. */
static void my_sql_ident(strbuf *b, const char *ident)
{
    sb_putc(b, '`');
    for (const char *p = ident; *p; p++) {
        if (*p == '`')
            sb_putc(b, '`');
        sb_putc(b, *p);
    }
    sb_putc(b, '`');
}

static void my_sql_param(strbuf *b, size_t n)
{
    (void)n;
    sb_putc(b, '?');
}

static bool my_retryable(const char *db_code)
{
    return strcmp(db_code, "1213") == 0 || strcmp(db_code, "1205") == 0;
}

/* ---- raw SQL's placeholders ---- */

/* MySQL binds by position: `?`, or $n / ?n numbered in the order they
 * appear (each once); the numbers seen, to refuse any other order. */
static _Thread_local size_t raw_next;
static _Thread_local bool raw_out_of_order;

static void my_raw_param(strbuf *b, size_t n)
{
    if (n != ++raw_next)
        raw_out_of_order = true;
    sb_putc(b, '?');
}

/* Strings take backslash escapes ('...' and "..."), `#` starts a comment. */
static const raw_lex my_raw_lex = { .backtick_idents = true, .backslash_strings = true, .hash_comments = true,
                                    .param = my_raw_param };

static int my_raw_sql(const char *sql, size_t n_params, strbuf *out, prisma_err *err)
{
    raw_next = 0;
    raw_out_of_order = false;
    strbuf scratch;
    sb_init(&scratch);
    int rc = raw_translate(&my_raw_lex, sql, n_params, out ? out : &scratch, err);
    sb_free(&scratch);
    if (rc == PRISMA_OK && raw_out_of_order) {
        snprintf(err->db_code, sizeof err->db_code, "N/A");
        snprintf(err->db_message, sizeof err->db_message, "%s",
                 "MySQL binds parameters by position: numbered placeholders must appear in order ($1, $2, ...), "
                 "each once; use `?`");
        err_set(err, "P2010", "Raw query failed. Code: `N/A`. Message: `%s`", err->db_message);
        return PRISMA_ERROR;
    }
    return rc;
}

static const char *const my_schemes[] = { "mysql://", NULL };

const prisma_backend backend_mysql = {
    .name = "mysql",
    .provider = PRISMA_MYSQL,
    .url_schemes = my_schemes,
    .display_name = "MySQL",
    /* MariaDB >= 10.5: INSERT and DELETE ... RETURNING; no UPDATE ...
     * RETURNING, no ON CONFLICT (the query layer reads back instead). */
    .caps = BACKEND_INSERT_RETURNING | BACKEND_DELETE_RETURNING | BACKEND_INSERT_IGNORE | BACKEND_UPSERT_ANY_KEY |
            BACKEND_STREAM,
    .max_params = 65535, /* the protocol's limit (error 1390 beyond) */
    .isolation_ok = 1u << PRISMA_READ_UNCOMMITTED | 1u << PRISMA_READ_COMMITTED | 1u << PRISMA_REPEATABLE_READ |
                    1u << PRISMA_SERIALIZABLE,
    .connect = my_connect,
    .close = my_close,
    .cancel = my_cancel,
    .tx_aborted = my_tx_aborted,
    .idle_alive = my_idle_alive,
    .parse_url = my_parse_url,
    .url_with_database = dburl_with_database,
    .prepare = my_prepare,
    .finalize = my_finalize,
    .execute = my_execute,
    .execute_stream = my_execute_stream,
    .exec = my_exec,
    .next = my_next,
    .col_null = my_col_null,
    .col_int = my_col_int,
    .col_double = my_col_double,
    .col_text = my_col_text,
    .col_blob = my_col_blob,
    .col_datetime = my_col_datetime,
    .changes = my_changes,
    .done = my_done,
    .n_cols = my_n_cols,
    .col_name = my_col_name,
    .col_type = my_col_type,
    .tx_sql = my_tx_sql,
    .begin = my_begin,
    .commit = my_commit,
    .rollback = my_rollback,
    .sql_ident = my_sql_ident,
    .sql_param = my_sql_param,
    /* OFFSET needs a LIMIT before it: Prisma's, the largest BIGINT. */
    .no_limit = " LIMIT 9223372036854775807",
    .lock_rows = " FOR UPDATE",
    /* MariaDB: "This version of MariaDB doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery'" (1235). */
    .limited_in = { "SELECT * FROM (", ") AS prisma_limited" },
    .insert_default_values = " () VALUES ()",
    .nulls_by_is_null = true,
    /* The column's collation decides case (utf8mb4_unicode_ci ignores it, as
     * Prisma says of MySQL); Prisma has no `mode: insensitive` here: refused
     * (match[1] empty). */
    .match = { { .op = " LIKE ", .escape = "", /* \ escapes in LIKE by default */
                 .concat_fn = true,
                 .ref_escape = { "REPLACE(REPLACE(REPLACE(",
                                 ", '\\\\', '\\\\\\\\'), '%', '\\\\%'), '_', '\\\\_')" } },
               { 0 } },
    .retryable = my_retryable,
    .json = &backend_mysql_json,
    .raw_sql = my_raw_sql,
    /* Prisma's full-text search (fullTextSearchMysql). */
    .search_open = "MATCH (",
    .search_mid = ") AGAINST (",
    .search_close = " IN BOOLEAN MODE)",
};
