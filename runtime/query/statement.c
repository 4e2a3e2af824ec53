/* Statements: a shape built, found in (or prepared into) the connection's
 * statement cache, and run. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

/* ---- statements ---- */

static uint64_t hash_key(const uint8_t *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= k[i];
        h *= 1099511628211ull;
    }
    return h;
}

static stmt_entry *cache_find(prisma_conn *c, uint64_t h, const uint8_t *key, size_t n)
{
    if (!c->cache_cap)
        return NULL;
    size_t mask = c->cache_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        stmt_entry *e = &c->cache[i];
        if (!e->key)
            return NULL;
        if (e->hash == h && e->key_len == n && memcmp(e->key, key, n) == 0)
            return e;
    }
}

static stmt_entry *cache_insert(prisma_conn *c, uint64_t h, const uint8_t *key, size_t n, void *stmt,
                                const char *sql)
{
    enum { CACHE_LIMIT = 1024 };
    if (c->cache_len + 1 > c->cache_cap / 2) {
        if (c->cache_len >= CACHE_LIMIT) {
            /* Too many shapes: start over rather than grow without bound. */
            conn_cache_clear(c);
        }
        size_t cap = c->cache_cap ? c->cache_cap * 2 : 64;
        stmt_entry *old = c->cache;
        size_t old_cap = c->cache_cap;
        stmt_entry *t = calloc(cap, sizeof *t);
        if (!t)
            return NULL;
        c->cache = t;
        c->cache_cap = cap;
        for (size_t i = 0; i < old_cap; i++) {
            if (!old[i].key)
                continue;
            size_t j = old[i].hash & (cap - 1);
            while (t[j].key)
                j = (j + 1) & (cap - 1);
            t[j] = old[i];
        }
        free(old);
    }
    uint8_t *k = malloc(n ? n : 1);
    char *text = strdup(sql ? sql : "");
    if (!k || !text) {
        free(k);
        free(text);
        return NULL;
    }
    memcpy(k, key, n);
    size_t j = h & (c->cache_cap - 1);
    while (c->cache[j].key)
        j = (j + 1) & (c->cache_cap - 1);
    c->cache[j] = (stmt_entry){ .hash = h, .key = k, .key_len = n, .stmt = stmt, .sql = text };
    c->cache_len++;
    return &c->cache[j];
}


/* Builds a statement's shape and values, and finds (or prepares, once per
 * shape and connection) its prepared statement. */
int q_prepare(query *q, build_fn build, void *ctx, void **stmt)
{
    q_reset(q, false);
    if (!build(q, ctx))
        return PRISMA_ERROR;
    if (q->oom) {
        err_set(&q->err, "P1000", "out of memory");
        return PRISMA_ERROR;
    }
    uint64_t h = hash_key(q->key, q->key_len);
    stmt_entry *e = cache_find(q->conn, h, q->key, q->key_len);
    if (!e) {
        /* A miss: the same walk again, this time writing the SQL. */
        size_t key_len = q->key_len;
        q_reset(q, true);
        if (!build(q, ctx))
            return PRISMA_ERROR;
        if (q->oom || q->sql.oom || q->key_len != key_len) {
            err_set(&q->err, "P1000", q->key_len != key_len ? "internal error: unstable query shape" : "out of memory");
            return PRISMA_ERROR;
        }
        void *st;
        if (q->be->prepare(q->conn, q->sql.data, (int)q->n_params, &st, &q->err) != PRISMA_OK)
            return PRISMA_ERROR;
        e = cache_insert(q->conn, h, q->key, q->key_len, st, q->sql.data);
        if (!e) {
            q->be->finalize(q->conn, st);
            err_set(&q->err, "P1000", "out of memory");
            return PRISMA_ERROR;
        }
    }
    *stmt = e->stmt;
    sh_trace(q->db->sh, e->sql);
    return PRISMA_OK;
}

/* Builds, prepares (once per shape and connection) and runs a statement. */
int q_run(query *q, build_fn build, void *ctx, prisma_rows **rows)
{
    void *stmt;
    if (q_prepare(q, build, ctx, &stmt) != PRISMA_OK)
        return PRISMA_ERROR;
    if (q->be->execute(q->conn, stmt, q->params, q->n_params, rows, &q->err) == PRISMA_OK)
        return PRISMA_OK;
    /* The database refused this statement: in a nested write, the error
     * belongs to the nested model (Prisma's meta.modelName). */
    if (q->stmt_model && !q->err.model)
        q->err.model = q->stmt_model->name;
    return PRISMA_ERROR;
}

int q_not_found(query *q, const char *cause)
{
    err_set(&q->err, "P2025",
            "An operation failed because it depends on one or more records that were required but not found. %s",
            cause);
    return PRISMA_ERROR;
}

/* Gives the record to the caller, or frees it when they did not ask. */
void q_hand_out(void *rec, void **out)
{
    if (out)
        *out = rec;
    else
        result_free_root(rec);
}
