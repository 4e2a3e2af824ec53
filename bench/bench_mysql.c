/* The hand-written Connector/C side of the benchmark (bench_mysql.h). */
#include "bench_mysql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myserver.h"

enum { BM_MAX_COLS = 8, BM_MAX_PARAMS = 600, BM_TEXT_CAP = 256 };

struct bm_stmt {
    MYSQL *m;
    MYSQL_STMT *st;
    char *sql; /* for messages */
    unsigned ncols;
    int bound; /* results bound (after the first execute: MariaDB sends the metadata with it) */
    MYSQL_BIND res[BM_MAX_COLS];
    long long ints[BM_MAX_COLS];
    double dbls[BM_MAX_COLS];
    char text[BM_MAX_COLS][BM_TEXT_CAP];
    unsigned long len[BM_MAX_COLS];
    my_bool null[BM_MAX_COLS];
    my_bool trunc[BM_MAX_COLS];
};

static void bm_die(const char *what, const char *sql, const char *detail)
{
    fprintf(stderr, "bench: %s (%.200s): %s\n", what, sql ? sql : "", detail ? detail : "");
    exit(1);
}

MYSQL *bm_connect(const char *url)
{
    char why[1024];
    MYSQL *m = myserver_connect(url, why, sizeof why);
    if (!m)
        bm_die("raw connect", url, why);
    return m;
}

const char *bm_sql(const char *sql)
{
    static char ring[8][16384];
    static unsigned next;
    char *out = ring[next++ % 8];
    size_t n = strlen(sql);
    if (n >= sizeof ring[0])
        bm_die("bm_sql", sql, "statement too long");
    for (size_t i = 0; i <= n; i++)
        out[i] = sql[i] == '"' ? '`' : sql[i];
    return out;
}

void bm_query(MYSQL *m, const char *sql)
{
    const char *q = bm_sql(sql);
    if (mysql_real_query(m, q, (unsigned long)strlen(q)) != 0)
        bm_die("raw query", q, mysql_error(m));
    do {
        MYSQL_RES *r = mysql_store_result(m);
        if (r)
            mysql_free_result(r);
        else if (mysql_field_count(m) != 0)
            bm_die("raw query", q, mysql_error(m));
    } while (mysql_next_result(m) == 0);
}

bm_stmt *bm_prepare(MYSQL *m, const char *sql)
{
    const char *q = bm_sql(sql);
    bm_stmt *s = calloc(1, sizeof *s);
    if (!s || !(s->sql = strdup(q)) || !(s->st = mysql_stmt_init(m)))
        bm_die("raw prepare", q, "out of memory");
    s->m = m;
    if (mysql_stmt_prepare(s->st, q, (unsigned long)strlen(q)) != 0)
        bm_die("raw prepare", q, mysql_stmt_error(s->st));
    return s;
}

/* Binds the result columns: integers as long long, decimals and floats as
 * double, everything else as text (the workload's texts are short). */
static void bind_results(bm_stmt *s)
{
    MYSQL_RES *meta = mysql_stmt_result_metadata(s->st);
    s->bound = 1;
    if (!meta)
        return; /* no rows: an INSERT or UPDATE */
    s->ncols = mysql_num_fields(meta);
    if (s->ncols > BM_MAX_COLS)
        bm_die("raw bind", s->sql, "too many columns");
    MYSQL_FIELD *f = mysql_fetch_fields(meta);
    memset(s->res, 0, sizeof s->res);
    for (unsigned c = 0; c < s->ncols; c++) {
        MYSQL_BIND *b = &s->res[c];
        switch (f[c].type) {
        case MYSQL_TYPE_TINY:
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_LONGLONG:
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->buffer = &s->ints[c];
            break;
        case MYSQL_TYPE_NEWDECIMAL:
        case MYSQL_TYPE_DECIMAL:
        case MYSQL_TYPE_DOUBLE:
        case MYSQL_TYPE_FLOAT:
            b->buffer_type = MYSQL_TYPE_DOUBLE;
            b->buffer = &s->dbls[c];
            break;
        default:
            b->buffer_type = MYSQL_TYPE_STRING;
            b->buffer = s->text[c];
            b->buffer_length = BM_TEXT_CAP;
            break;
        }
        b->length = &s->len[c];
        b->is_null = &s->null[c];
        b->error = &s->trunc[c];
    }
    mysql_free_result(meta);
    if (mysql_stmt_bind_result(s->st, s->res) != 0)
        bm_die("raw bind", s->sql, mysql_stmt_error(s->st));
}

int bm_run(bm_stmt *s, const bm_param *p, unsigned n, int64_t *sum, long long *ids, int max_ids,
           uint64_t *affected)
{
    static MYSQL_BIND binds[BM_MAX_PARAMS];
    static unsigned long lens[BM_MAX_PARAMS];
    static long long ints[BM_MAX_PARAMS];
    if (n > BM_MAX_PARAMS)
        bm_die("raw run", s->sql, "too many parameters");
    memset(binds, 0, n * sizeof binds[0]);
    for (unsigned k = 0; k < n; k++) {
        MYSQL_BIND *b = &binds[k];
        if (p[k].type == BM_INT) {
            ints[k] = p[k].i;
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->buffer = &ints[k];
        } else if (p[k].type == BM_TEXT) {
            lens[k] = (unsigned long)strlen(p[k].s);
            b->buffer_type = MYSQL_TYPE_STRING;
            /* Connector/C reads a parameter's buffer; its field is not const. */
            union {
                const char *c;
                char *m;
            } text = { p[k].s };
            b->buffer = text.m;
            b->buffer_length = lens[k];
            b->length = &lens[k];
        } else {
            b->buffer_type = MYSQL_TYPE_NULL;
        }
    }
    if ((n && mysql_stmt_bind_param(s->st, binds) != 0) || mysql_stmt_execute(s->st) != 0)
        bm_die("raw execute", s->sql, mysql_stmt_error(s->st));
    if (!s->bound)
        bind_results(s);
    int rows = 0;
    if (s->ncols) {
        int rc;
        while ((rc = mysql_stmt_fetch(s->st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
            for (unsigned c = 0; c < s->ncols; c++) {
                if (s->null[c])
                    continue;
                if (s->res[c].buffer_type == MYSQL_TYPE_LONGLONG)
                    *sum += s->ints[c];
                else if (s->res[c].buffer_type == MYSQL_TYPE_DOUBLE)
                    *sum += (int64_t)s->dbls[c];
                else
                    *sum += (int64_t)s->len[c] + s->text[c][0];
            }
            if (ids && rows < max_ids)
                ids[rows] = s->ints[0];
            rows++;
        }
        if (rc != MYSQL_NO_DATA)
            bm_die("raw fetch", s->sql, mysql_stmt_error(s->st));
    }
    if (affected)
        *affected = mysql_stmt_affected_rows(s->st);
    return rows;
}

long long bm_int(const bm_stmt *s, unsigned col)
{
    return col < s->ncols ? s->ints[col] : 0;
}

void bm_close(bm_stmt *s)
{
    if (!s)
        return;
    if (s->st)
        mysql_stmt_close(s->st);
    free(s->sql);
    free(s);
}
