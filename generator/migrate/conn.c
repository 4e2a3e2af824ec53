/* db push's connection over the runtime's backend interface. */
#include "conn.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void mc_set_err(mconn *c, const prisma_err *e)
{
    const char *msg = e->db_message[0] ? e->db_message : e->message;
    snprintf(c->err, sizeof c->err, "%s", msg[0] ? msg : "unknown error");
    for (size_t n = strlen(c->err); n && isspace((unsigned char)c->err[n - 1]); n--)
        c->err[n - 1] = '\0';
}

int mc_connect(mconn *c, const char *url, prisma_err *err)
{
    err_clear(err);
    return c->backend->connect(url, 10000, &c->conn, err) == PRISMA_OK ? 0 : -1;
}

void mc_close(mconn *c)
{
    if (c->conn)
        conn_close(c->conn);
    c->conn = NULL;
}

int mc_query(mconn *c, const char *sql, const char *const *params, int n, qres *out)
{
    const prisma_backend *d = c->backend;
    prisma_err e;
    prisma_value vals[8];
    void *stmt = NULL;
    prisma_rows *rows = NULL;
    psl_vec cells = { 0 };
    int rc = -1, more;
    memset(out, 0, sizeof *out);
    err_clear(&e);
    if (n > 8) {
        snprintf(c->err, sizeof c->err, "too many parameters");
        return -1;
    }
    for (int i = 0; i < n; i++)
        vals[i] = (prisma_value){ .kind = V_TEXT, .s = params[i], .len = strlen(params[i]) };
    if (d->prepare(c->conn, sql, n, &stmt, &e) != PRISMA_OK ||
        d->execute(c->conn, stmt, vals, (size_t)n, &rows, &e) != PRISMA_OK) {
        mc_set_err(c, &e);
        goto done;
    }
    out->cols = (size_t)d->n_cols(rows);
    while ((more = d->next(rows, &e)) == 1) {
        for (size_t k = 0; k < out->cols; k++) {
            size_t len = 0;
            const char *v = d->col_null(rows, (int)k) ? NULL : d->col_text(rows, (int)k, &len);
            psl_vec_push_const(c->a, &cells, v ? psl_arena_strndup(c->a, v, len) : NULL);
        }
        out->rows++;
    }
    if (more < 0) {
        mc_set_err(c, &e);
        goto done;
    }
    out->cells = psl_arena_alloc(c->a, (cells.len + 1) * sizeof *out->cells);
    for (size_t i = 0; i < cells.len; i++)
        out->cells[i] = cells.items[i];
    rc = 0;
done:
    if (rows)
        d->done(rows);
    if (stmt)
        d->finalize(c->conn, stmt);
    return rc;
}

int mc_exec(mconn *c, const char *sql)
{
    prisma_err e;
    err_clear(&e);
    if (c->backend->exec(c->conn, sql, &e) == PRISMA_OK)
        return 0;
    mc_set_err(c, &e);
    return -1;
}

int mc_tx(mconn *c, tx_verb verb)
{
    prisma_err e;
    err_clear(&e);
    /* A push waits for other writers as long as it waits to connect. */
    if (backend_tx(c->backend, c->conn, verb, 0, NULL, 10000, &e) == PRISMA_OK)
        return 0;
    mc_set_err(c, &e);
    return -1;
}

long long mc_count(mconn *c, const char *sql)
{
    qres r;
    if (mc_query(c, sql, NULL, 0, &r) != 0 || r.rows != 1 || !cell(&r, 0, 0))
        return -1;
    return strtoll(cell(&r, 0, 0), NULL, 10);
}
