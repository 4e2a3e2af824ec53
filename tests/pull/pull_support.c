/* Helpers of the db pull tests (pull_support.h). */
#include "pull_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "pull.h"
#include "session.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *nz(const char *s) { return s ? s : "(null)"; }

/* One line per table, column, key, index, enum: sorted, so that the order
 * catalogs return things in does not matter. */
static char *dump_state(const db_state *st)
{
    size_t cap = 64, n = 0;
    char **lines = malloc(cap * sizeof *lines);
#define LINE(...)                                                                                                 \
    do {                                                                                                          \
        if (n == cap)                                                                                             \
            lines = realloc(lines, (cap *= 2) * sizeof *lines);                                                   \
        char *l_ = NULL;                                                                                          \
        size_t ln_ = 0;                                                                                           \
        FILE *f_ = open_memstream(&l_, &ln_);                                                                     \
        fprintf(f_, __VA_ARGS__);                                                                                 \
        fclose(f_);                                                                                               \
        lines[n++] = l_;                                                                                          \
    } while (0)
    for (size_t i = 0; i < st->tables.len; i++) {
        const db_table *t = st->tables.items[i];
        const char *tn = t->name;
        LINE("table %s.%s pk=%s", nz(t->schema), tn, nz(t->pk_name));
        for (size_t k = 0; k < t->pk_cols.len; k++)
            LINE("table %s.%s pk[%zu]=%s", nz(t->schema), tn, k, (const char *)t->pk_cols.items[k]);
        for (size_t k = 0; k < t->cols.len; k++) {
            const db_col *c = t->cols.items[k];
            LINE("table %s.%s col#%zu %s %s%s%s default=%s enum=%s.%s identity=%d", nz(t->schema), tn, k, c->name,
                 nz(c->type), c->not_null ? " NOT NULL" : "", c->is_list ? " []" : "", nz(c->dflt), nz(c->enum_schema),
                 nz(c->enum_name), c->identity);
        }
        for (size_t k = 0; k < t->indexes.len; k++) {
            const db_index *x = t->indexes.items[k];
            LINE("table %s.%s index %s unique=%d constraint=%d special=%d method=%s where=%s", nz(t->schema), tn,
                 x->name, x->unique, x->constraint, x->special, nz(x->method), nz(x->predicate));
            for (size_t j = 0; j < x->n; j++)
                LINE("table %s.%s index %s [%zu] %s desc=%d ops=%s default_ops=%d", nz(t->schema), tn, x->name, j,
                     nz(x->cols[j]), x->desc[j], x->ops ? nz(x->ops[j]) : "-", x->ops_default[j]);
        }
        for (size_t k = 0; k < t->fks.len; k++) {
            const db_fk *f = t->fks.items[k];
            char *cols = NULL;
            size_t cl = 0;
            FILE *cf = open_memstream(&cols, &cl);
            for (size_t j = 0; j < f->n; j++)
                fprintf(cf, "%s%s->%s", j ? "," : "", f->cols[j], f->ref_cols[j]);
            fclose(cf);
            LINE("table %s.%s fk %s (%s) %s.%s delete=%s update=%s", nz(t->schema), tn, nz(f->name), cols,
                 nz(f->ref_schema), f->ref_table, nz(f->on_delete), nz(f->on_update));
            free(cols);
        }
    }
    for (size_t i = 0; i < st->enums.len; i++) {
        const db_enum *e = st->enums.items[i];
        for (size_t k = 0; k < e->values.len; k++)
            LINE("enum %s.%s [%zu] %s", nz(e->schema), e->name, k, (const char *)e->values.items[k]);
    }
    for (size_t i = 0; i < st->extensions.len; i++)
        LINE("extension %s", (const char *)st->extensions.items[i]);
    for (size_t i = 0; i < st->views.len; i++)
        LINE("view %s", (const char *)st->views.items[i]);
#undef LINE
    qsort(lines, n, sizeof *lines, cmp_str);
    size_t total = 1;
    for (size_t i = 0; i < n; i++)
        total += strlen(lines[i]) + 1;
    char *out = malloc(total), *w = out;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(lines[i]);
        memcpy(w, lines[i], l);
        w[l] = '\n';
        w += l + 1;
        free(lines[i]);
    }
    *w = '\0';
    free(lines);
    return out;
}

char *ps_describe_text(const migrate_dialect *D, const char *url, char *err, size_t errlen)
{
    mig_session S = { 0 };
    db_state st = { 0 };
    char *out = NULL;
    if (session_open_url(&S, "test", D, url) != 0) {
        snprintf(err, errlen, "cannot open %s", url);
    } else if (D->describe(&S.c, &st) != 0) {
        snprintf(err, errlen, "describe failed: %s", S.c.err);
    } else {
        out = dump_state(&st);
    }
    session_close(&S);
    return out;
}

char *ps_pull(const migrate_dialect *D, const char *url, const char *previous, char **warnings, char *err,
              size_t errlen)
{
    mig_session S = { 0 };
    db_state st = { 0 };
    psl_schema *prev = NULL;
    char *out = NULL;
    if (warnings)
        *warnings = NULL;
    if (previous) {
        prev = psl_schema_load("schema.prisma", previous, strlen(previous));
        if (!prev || prev->diags.errors) {
            snprintf(err, errlen, "the previous schema has errors");
            goto done;
        }
    }
    if (session_open_url(&S, "test", D, url) != 0) {
        snprintf(err, errlen, "cannot open %s", url);
        goto done;
    }
    if (prev && prev->datasource && prev->datasource->n_schemas) {
        S.c.managed = prev->datasource->schemas;
        S.c.n_managed = prev->datasource->n_schemas;
    }
    if (D->describe(&S.c, &st) != 0) {
        snprintf(err, errlen, "describe failed: %s", S.c.err);
        goto done;
    }
    pull_result r;
    if (prismac_pull_render(D, &st, prev, false, &r) != 0) {
        snprintf(err, errlen, "prismac_pull_render failed");
        goto done;
    }
    out = r.schema;
    r.schema = NULL;
    if (warnings) {
        *warnings = r.warnings;
        r.warnings = NULL;
    }
    pull_result_free(&r);
done:
    session_close(&S);
    psl_schema_free(prev);
    return out;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int ps_fresh_pg_database(const char *base_url, const char *name, const char *setup_sql, char *url, size_t len,
                         char *err, size_t errlen)
{
    const char *at = strrchr(base_url, '@');
    const char *slash = strchr(at ? at : base_url, '/');
    const char *query = strchr(base_url, '?');
    if (!slash) {
        snprintf(err, errlen, "no database in the url %s", base_url);
        return -1;
    }
    PGconn *conn = PQconnectdb(base_url);
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    int rc = -1;
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to %s: %s", base_url, PQerrorMessage(conn));
        goto done;
    }
    char sql[512];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", name);
    PQclear(PQexec(conn, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        snprintf(err, errlen, "%s: %s", sql, PQerrorMessage(conn));
        PQclear(res);
        goto done;
    }
    PQclear(res);
    snprintf(url, len, "%.*s/%s%s", (int)(slash - base_url), base_url, name, query ? query : "");
    rc = setup_sql ? ps_exec(url, setup_sql, err, errlen) : 0;
done:
    PQfinish(conn);
    return rc;
}

int ps_exec(const char *url, const char *sql, char *err, size_t errlen)
{
    int rc = -1;
    if (strncmp(url, "file:", 5) == 0) {
        sqlite3 *db = NULL;
        char *msg = NULL;
        if (sqlite3_open(url + 5, &db) != SQLITE_OK)
            snprintf(err, errlen, "cannot open %s", url);
        else if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
            snprintf(err, errlen, "%s", msg ? msg : "sqlite3_exec failed");
        else
            rc = 0;
        sqlite3_free(msg);
        sqlite3_close(db);
        return rc;
    }
    PGconn *conn = PQconnectdb(url);
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to %s: %s", url, PQerrorMessage(conn));
    } else {
        PGresult *res = PQexec(conn, sql);
        if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
            rc = 0;
        else
            snprintf(err, errlen, "%s", PQerrorMessage(conn));
        PQclear(res);
    }
    PQfinish(conn);
    return rc;
}

char *ps_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc(n > 0 ? (size_t)n + 1 : 1);
    size_t got = n > 0 ? fread(s, 1, (size_t)n, f) : 0;
    s[got] = '\0';
    fclose(f);
    return s;
}
