/* The query context: the shape key, the bound values and the SQL text of
 * one statement being built. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the query context ---- */

void q_init(query *q, prisma_client *db)
{
    memset(q, 0, offsetof(query, key_inline));
    q->db = db;
    q->be = db->sh->backend;
    q->key = q->key_inline;
    q->key_cap = sizeof q->key_inline;
    q->key_len = 0;
    q->params = q->params_inline;
    q->params_cap = sizeof q->params_inline / sizeof q->params_inline[0];
    q->n_params = 0;
    sb_init(&q->sql);
    q->emit = false;
    q->in_unit = false;
    q->temps = NULL;
    q->n_temps = q->temps_cap = 0;
    q->defer_trace = false;
    q->traced_sql = NULL;
    err_clear(&q->err);
    q->oom = false;
    q->op_model = q->stmt_model = NULL;
    q->alias = q->n_aliases = 0;
}

void q_reset(query *q, bool emit)
{
    q->key_len = 0;
    q->n_params = 0;
    q->sql.len = 0;
    if (q->sql.data)
        q->sql.data[0] = '\0';
    q->emit = emit;
    q->stmt_model = NULL;
    q->alias = q->n_aliases = 0;
}

void q_free(query *q)
{
    if (q->key != q->key_inline)
        free(q->key);
    if (q->params != q->params_inline)
        free(q->params);
    sb_free(&q->sql);
    for (size_t i = 0; i < q->n_temps; i++)
        free(q->temps[i]);
    free(q->temps);
}

void q_key_put(query *q, const void *p, size_t n)
{
    if (q->key_len + n > q->key_cap) {
        size_t cap = q->key_cap * 2;
        while (cap < q->key_len + n)
            cap *= 2;
        uint8_t *k = q->key == q->key_inline ? malloc(cap) : realloc(q->key, cap);
        if (!k) {
            q->oom = true;
            return;
        }
        if (q->key == q->key_inline)
            memcpy(k, q->key_inline, q->key_len);
        q->key = k;
        q->key_cap = cap;
    }
    memcpy(q->key + q->key_len, p, n);
    q->key_len += n;
}

void q_key_u8(query *q, unsigned v)
{
    uint8_t b = (uint8_t)v;
    q_key_put(q, &b, 1);
}

void q_key_u32(query *q, uint32_t v)
{
    q_key_put(q, &v, sizeof v);
}

void q_sql(query *q, const char *s)
{
    if (q->emit)
        sb_puts(&q->sql, s);
}

bool q_need(query *q, unsigned cap, const char *what)
{
    if ((q->be->caps & cap) == cap)
        return true;
    err_set(&q->err, "P2026", "The current database provider doesn't support a feature that the query used: %s",
            what);
    return false;
}

void q_sql_ident(query *q, const char *s)
{
    if (q->emit)
        backend_sql_ident(q->be, &q->sql, s);
}

void q_sql_qualified(query *q, const char *schema, const char *table)
{
    if (!q->emit)
        return;
    if (schema && (q->be->caps & BACKEND_SCHEMAS)) {
        backend_sql_ident(q->be, &q->sql, schema);
        sb_putc(&q->sql, '.');
    }
    backend_sql_ident(q->be, &q->sql, table);
}

/* The table, schema-qualified when the model has @@schema. */
void q_sql_table(query *q, const prisma_model_desc *m)
{
    if (!q->stmt_model)
        q->stmt_model = m;
    q_sql_qualified(q, m->schema, m->table);
}

void q_sql_col(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified)
{
    if (!q->emit)
        return;
    if (qualified) {
        q_sql_ref(q, q->alias, m);
        sb_putc(&q->sql, '.');
    }
    backend_sql_ident(q->be, &q->sql, f->column);
}

/* ---- issue 13: aliases of correlated subqueries ---- */

uint32_t q_new_alias(query *q)
{
    return ++q->n_aliases;
}

void q_sql_ref(query *q, uint32_t ref, const prisma_model_desc *m)
{
    if (!q->emit)
        return;
    if (!ref) {
        backend_sql_ident(q->be, &q->sql, m->table);
        return;
    }
    char name[16];
    snprintf(name, sizeof name, "_r%u", (unsigned)ref);
    backend_sql_ident(q->be, &q->sql, name);
}

void q_sql_ref_col(query *q, uint32_t ref, const prisma_model_desc *m, const prisma_field_desc *f)
{
    if (!q->emit)
        return;
    q_sql_ref(q, ref, m);
    sb_putc(&q->sql, '.');
    backend_sql_ident(q->be, &q->sql, f->column);
}

/* Binds a value and writes its placeholder. */
void q_param(query *q, prisma_value v)
{
    if (q->n_params == q->params_cap) {
        size_t cap = q->params_cap * 2;
        prisma_value *p = q->params == q->params_inline ? malloc(cap * sizeof *p) : realloc(q->params, cap * sizeof *p);
        if (!p) {
            q->oom = true;
            return;
        }
        if (q->params == q->params_inline)
            memcpy(p, q->params_inline, q->n_params * sizeof *p);
        q->params = p;
        q->params_cap = cap;
    }
    q->params[q->n_params++] = v;
    if (q->emit)
        backend_sql_param(q->be, &q->sql, q->n_params);
}

char *q_temp(query *q, size_t n)
{
    if (q->n_temps == q->temps_cap) {
        size_t cap = q->temps_cap ? q->temps_cap * 2 : 4;
        char **t = realloc(q->temps, cap * sizeof *t);
        if (!t) {
            q->oom = true;
            return NULL;
        }
        q->temps = t;
        q->temps_cap = cap;
    }
    char *s = malloc(n);
    if (!s) {
        q->oom = true;
        return NULL;
    }
    q->temps[q->n_temps++] = s;
    return s;
}
