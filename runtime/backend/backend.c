/* The list of backends, and the defaults of their optional members: the one
 * place where a NULL member becomes behaviour. */
#include "backend.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The backends, one per database file (backend_*.c). A new database is one
 * more file and one more line here. */
extern const prisma_backend backend_sqlite;
extern const prisma_backend backend_postgres;
extern const prisma_backend backend_cockroach;
extern const prisma_backend backend_mysql;

static const prisma_backend *const backends[] = { &backend_sqlite, &backend_postgres, &backend_cockroach,
                                                  &backend_mysql };
enum { N_BACKENDS = sizeof backends / sizeof backends[0] };

bool backend_opens(const prisma_backend *b, const char *url)
{
    for (const char *const *s = b->url_schemes; *s; s++)
        if (strncmp(url, *s, strlen(*s)) == 0)
            return true;
    return false;
}

/* "`file:` (SQLite), `postgresql://`, `postgres://` (PostgreSQL)": the schemes the backends open. */
static void write_schemes(char *schemes, size_t cap)
{
    size_t o = 0;
    schemes[0] = '\0';
    for (size_t i = 0; i < N_BACKENDS; i++) {
        if (i && backends[i]->url_schemes == backends[i - 1]->url_schemes)
            continue; /* a variant of the one before (CockroachDB speaks PostgreSQL) */
        for (const char *const *s = backends[i]->url_schemes; *s && o < cap; s++)
            o += (size_t)snprintf(schemes + o, cap - o, "%s`%s`", o ? ", " : "", *s);
        if (o < cap)
            o += (size_t)snprintf(schemes + o, cap - o, " (%s)", backends[i]->display_name);
    }
}

const prisma_backend *backend_for(const prisma_schema_desc *schema, const char *url, prisma_err *err)
{
    const prisma_backend *by_url = NULL;
    for (size_t i = 0; i < N_BACKENDS; i++) {
        if (!backend_opens(backends[i], url))
            continue;
        if (backends[i]->provider == schema->provider)
            return backends[i];
        if (!by_url)
            by_url = backends[i];
    }
    if (by_url) {
        const char *wanted = "an unknown provider";
        for (size_t i = 0; i < N_BACKENDS; i++)
            if (backends[i]->provider == schema->provider)
                wanted = backends[i]->name;
        err_set(err, "P1013", "The provided database string is invalid. The schema's datasource is %s, but the url opens %s.",
                wanted, by_url->display_name);
        return NULL;
    }
    char schemes[256];
    write_schemes(schemes, sizeof schemes);
    err_set(err, "P1013", "The provided database string is invalid. The url must start with one of %s.", schemes);
    return NULL;
}

const prisma_backend *backend_named(const char *name)
{
    for (size_t i = 0; i < N_BACKENDS; i++)
        if (strcmp(backends[i]->name, name) == 0)
            return backends[i];
    return NULL;
}

int backend_url_error(int rc, const char *why, prisma_err *err)
{
    if (rc == -2)
        err_oom(err);
    else
        err_set(err, "P1013", "%s", why);
    return PRISMA_ERROR;
}

int backend_parse_url(const char *url, dburl *u, char *why, size_t why_len)
{
    dburl_init(u);
    if (why && why_len)
        why[0] = '\0';
    if (!url) {
        snprintf(why, why_len, "The datasource has no url.");
        return -1;
    }
    for (size_t i = 0; i < N_BACKENDS; i++) {
        if (!backend_opens(backends[i], url))
            continue;
        u->backend = backends[i];
        int rc = (u->url = strdup(url)) ? backends[i]->parse_url(url, u, why, why_len) : -2;
        if (rc != 0) {
            dburl_free(u);
            u->backend = NULL;
            if (rc == -2)
                snprintf(why, why_len, "out of memory");
        }
        return rc;
    }
    char schemes[256];
    write_schemes(schemes, sizeof schemes);
    snprintf(why, why_len, "The provided database string is invalid. The url must start with one of %s.", schemes);
    return -1;
}

char *backend_url_with_database(const dburl *u, const char *database)
{
    return u && u->backend && u->backend->url_with_database ? u->backend->url_with_database(u, database) : NULL;
}

int backend_default_pool_size(const prisma_backend *b, const char *url)
{
    if (b->default_pool_size)
        return b->default_pool_size(url);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return (int)(n > 0 ? n * 2 + 1 : 5);
}

bool backend_idle_alive(const prisma_backend *b, prisma_conn *c)
{
    return !b->idle_alive || b->idle_alive(c);
}

int backend_col_datetime(const prisma_backend *b, prisma_rows *r, int i, int64_t *ms)
{
    if (b->col_datetime)
        return b->col_datetime(r, i, ms);
    /* Written by prismac: ms as an integer. Text comes from elsewhere (raw
     * SQL, another tool): parsed, and refused when it is no date, never
     * read as the number its digits start with. */
    switch (b->col_type(r, i)) {
    case PRISMA_RAW_INT:
        *ms = b->col_int(r, i);
        return 0;
    case PRISMA_RAW_FLOAT: {
        double d = b->col_double(r, i);
        if (!(d >= -9.2e18 && d <= 9.2e18) || d != (double)(int64_t)d)
            return -1;
        *ms = (int64_t)d;
        return 0;
    }
    default: {
        size_t len;
        const char *t = b->col_text(r, i, &len);
        return t ? dt_parse(t, len, ms) : -2;
    }
    }
}

const char *backend_isolation_sql(prisma_isolation level)
{
    switch (level) {
    case PRISMA_READ_UNCOMMITTED: return "READ UNCOMMITTED";
    case PRISMA_READ_COMMITTED: return "READ COMMITTED";
    case PRISMA_REPEATABLE_READ: return "REPEATABLE READ";
    case PRISMA_SERIALIZABLE: return "SERIALIZABLE";
    default: return NULL;
    }
}

void backend_tx_sql(const prisma_backend *b, tx_verb v, prisma_isolation level, const char *savepoint, char *out,
                    size_t cap)
{
    if (b->tx_sql) {
        b->tx_sql(v, level, savepoint, out, cap);
        return;
    }
    const char *iso = backend_isolation_sql(level);
    switch (v) {
    case TX_BEGIN: snprintf(out, cap, iso ? "BEGIN ISOLATION LEVEL %s" : "BEGIN", iso ? iso : ""); break;
    case TX_COMMIT: snprintf(out, cap, "COMMIT"); break;
    case TX_ROLLBACK: snprintf(out, cap, "ROLLBACK"); break;
    case TX_SAVEPOINT: snprintf(out, cap, "SAVEPOINT %s", savepoint); break;
    case TX_RELEASE: snprintf(out, cap, "RELEASE SAVEPOINT %s", savepoint); break;
    default: snprintf(out, cap, "ROLLBACK TO SAVEPOINT %s", savepoint); break;
    }
}

int backend_tx(const prisma_backend *b, prisma_conn *c, tx_verb v, prisma_isolation level, const char *savepoint,
               int lock_wait_ms, prisma_err *err)
{
    switch (v) {
    case TX_BEGIN:
        if (b->begin)
            return b->begin(c, level, lock_wait_ms, err);
        break;
    case TX_COMMIT:
        if (b->commit)
            return b->commit(c, err);
        break;
    case TX_ROLLBACK:
        if (b->rollback)
            return b->rollback(c, err);
        break;
    case TX_SAVEPOINT:
        if (b->savepoint)
            return b->savepoint(c, savepoint, err);
        break;
    case TX_RELEASE:
        if (b->release)
            return b->release(c, savepoint, err);
        break;
    case TX_ROLLBACK_TO:
        if (b->rollback_to)
            return b->rollback_to(c, savepoint, err);
        break;
    }
    char sql[128];
    backend_tx_sql(b, v, level, savepoint, sql, sizeof sql);
    return b->exec(c, sql, err);
}

int backend_statement_timeout(const prisma_backend *b, prisma_conn *c, int ms, char *sql, size_t cap, prisma_err *err)
{
    if (cap)
        sql[0] = '\0';
    return b->statement_timeout ? b->statement_timeout(c, ms, sql, cap, err) : PRISMA_OK;
}

void backend_sql_ident(const prisma_backend *b, strbuf *sb, const char *ident)
{
    if (b->sql_ident)
        b->sql_ident(sb, ident);
    else
        sb_ident(sb, ident);
}

void backend_sql_param(const prisma_backend *b, strbuf *sb, size_t n)
{
    if (b->sql_param)
        b->sql_param(sb, n);
    else
        sb_putc(sb, '?');
}

const char *backend_sql_limit(const prisma_backend *b)
{
    return b->limit_param ? b->limit_param : " LIMIT ";
}

bool backend_retryable(const prisma_backend *b, const char *code, const char *db_code)
{
    if (!code)
        return false;
    if (strcmp(code, "P2034") == 0)
        return true;
    /* A raw statement's conflict keeps the database's code under P2010. */
    return strcmp(code, "P2010") == 0 && db_code && b->retryable && b->retryable(db_code);
}

bool backend_isolation_ok(const prisma_backend *b, prisma_isolation level)
{
    return level == 0 || (b->isolation_ok >> level & 1u);
}
