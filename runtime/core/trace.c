/* The statement trace, and the transaction verbs (traced as they are sent). */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the statement trace ---- */

void prisma_set_trace(prisma_client *db, prisma_trace_fn fn, void *arg)
{
    if (!db)
        return;
    pthread_mutex_lock(&db->sh->mu);
    db->sh->trace = fn;
    db->sh->trace_arg = arg;
    pthread_mutex_unlock(&db->sh->mu);
}

void prisma_set_statement_trace(prisma_client *db, prisma_statement_trace_fn fn, void *arg)
{
    if (!db)
        return;
    pthread_mutex_lock(&db->sh->mu);
    db->sh->statement_trace = fn;
    db->sh->statement_trace_arg = arg;
    pthread_mutex_unlock(&db->sh->mu);
}

/* The trace's form of a statement: placeholders as `?` ($1 and ? alike),
 * and a run of identical VALUES tuples or IN-list placeholders written once
 * with its count, so the text is the same on both backends and for any
 * number of rows. */
static char *trace_normalize(const char *sql)
{
    strbuf in, out;
    sb_init(&in);
    sb_init(&out);
    for (const char *p = sql; *p; p++) {
        if ((*p == '$' || *p == '?') && (p[1] >= '0' && p[1] <= '9')) {
            sb_putc(&in, '?');
            while (p[1] >= '0' && p[1] <= '9')
                p++;
        } else {
            sb_putc(&in, *p);
        }
    }
    if (in.oom || !in.data) {
        sb_free(&in);
        return NULL;
    }
    const char *p = in.data;
    while (*p) {
        /* A tuple "(...)" after "VALUES " or a list after "IN (": count its repeats. */
        bool values = strncmp(p, "VALUES (", 8) == 0;
        bool in_list = strncmp(p, "IN (?, ?", 8) == 0;
        if (values || in_list) {
            const char *t = p + (values ? 7 : 4); /* the first item */
            size_t len;
            const char *sep;
            if (values) {
                const char *e = strchr(t, ')');
                if (!e) {
                    sb_puts(&out, p);
                    break;
                }
                len = (size_t)(e - t) + 1;
                sep = ", ";
            } else {
                len = 1;
                sep = ", ";
            }
            size_t n = 1;
            const char *q = t + len;
            while (strncmp(q, sep, 2) == 0 && strncmp(q + 2, t, len) == 0 &&
                   (values || q[2 + len] == ',' || q[2 + len] == ')')) {
                q += 2 + len;
                n++;
            }
            sb_putn(&out, p, (size_t)(t - p));
            sb_putn(&out, t, len);
            if (n > 1)
                sb_printf(&out, " /* x%zu */", n);
            p = q;
            continue;
        }
        sb_putc(&out, *p++);
    }
    sb_free(&in);
    if (out.oom) {
        sb_free(&out);
        return NULL;
    }
    return out.data;
}

void sh_trace(client_shared *sh, const prisma_conn *c, const char *sql)
{
    /* Read without the lock: set once, typically before any statement runs. */
    prisma_trace_fn fn = sh->trace;
    prisma_statement_trace_fn sfn = sh->statement_trace;
    if ((!fn && !sfn) || !sql)
        return;
    char *text = trace_normalize(sql);
    if (fn)
        fn(sh->trace_arg, text ? text : sql);
    if (sfn) {
        bool replica = conn_on_replica(c);
        prisma_statement_info info = { text ? text : sql, replica ? "replica" : "primary",
                                       replica ? c->pool->replica : -1 };
        sfn(sh->statement_trace_arg, &info);
    }
    free(text);
}

int sh_tx(client_shared *sh, prisma_conn *c, int verb, prisma_isolation level, const char *savepoint, int lock_wait_ms,
          prisma_err *err)
{
    if (sh->trace || sh->statement_trace) {
        char sql[128];
        backend_tx_sql(sh->backend, (tx_verb)verb, level, savepoint, sql, sizeof sql);
        sh_trace(sh, c, sql);
    }
    return backend_tx(sh->backend, c, (tx_verb)verb, level, savepoint, lock_wait_ms, err);
}

bool sh_retryable(const client_shared *sh, const char *code, const char *db_code)
{
    return backend_retryable(sh->backend, code, db_code);
}
