/* The PostgreSQL backend's connections: Prisma's url, libpq's conninfo,
 * opening (with Prisma's connection errors) and closing. */
#include "backend_postgres_conn.h"
#include "backend_postgres_errors.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void host_port(PGconn *pg, const char *url, char *out, size_t cap)
{
    if (pg && PQhost(pg) && *PQhost(pg)) {
        snprintf(out, cap, "%s:%s", PQhost(pg), PQport(pg) && *PQport(pg) ? PQport(pg) : "5432");
        return;
    }
    /* From the URL: after "@" or "//", up to "/". */
    const char *p = strchr(url, '@');
    p = p ? p + 1 : strstr(url, "//") ? strstr(url, "//") + 2 : url;
    size_t n = strcspn(p, "/?");
    snprintf(out, cap, "%.*s", (int)n, p);
}

/* Server notices (a ROLLBACK with nothing to roll back, say) are not the
 * user's output. But a FATAL one reaching an idle session is the server
 * ending it (57P01: terminated, shut down): the connection is not used again. */
static void take_notice(void *arg, const PGresult *res)
{
    pg_conn *c = arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if ((sev && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0)) || (st && strncmp(st, "57P0", 4) == 0))
        c->base.broken = true;
}

/* Prisma's code for a failed connection, from libpq's words. */
static const char *connect_error_code(const char *msg)
{
    if (strstr(msg, "authentication failed") || strstr(msg, "no password supplied") ||
        (strstr(msg, "role \"") && strstr(msg, "does not exist")))
        return "P1000";
    if (strstr(msg, "database \"") && strstr(msg, "does not exist"))
        return "P1003";
    if (strstr(msg, "timeout expired"))
        return "P1002";
    return "P1001";
}

/* postgresql://[user[:password]@]host[:port]/database[?params]: the conninfo
 * is the url without Prisma's parameters (libpq refuses parameters it does
 * not know); ?schema= (default public) becomes the search_path. */
int pg_parse_url(const char *url, dburl *u, char *why, size_t why_len)
{
    const char *after = strstr(url, "://") + 3;
    size_t auth = strcspn(after, "/?");
    const char *path = after + auth;
    const char *q = strchr(path, '?');
    size_t base_len = q ? (size_t)(q - url) : strlen(url);
    if (*path == '/') {
        size_t dn = (q ? (size_t)(q - path) : strlen(path)) - 1;
        if (dn && !(u->database = dburl_percent_decode(path + 1, dn)))
            return -2;
    }
    u->conninfo = malloc(strlen(url) + 1);
    if (!u->conninfo)
        return -2;
    memcpy(u->conninfo, url, base_len);
    size_t o = base_len;
    char sep = '?';
    for (const char *p = q ? q + 1 : ""; *p;) {
        size_t len = strcspn(p, "&"), klen = strcspn(p, "=&");
        const char *v = p + klen + (p[klen] == '=' ? 1 : 0);
        size_t vlen = len > klen ? len - klen - 1 : 0;
        bool prisma_only;
        int rc = dburl_param(u, p, klen, v, vlen, &prisma_only, why, why_len);
        if (rc != 0)
            return rc;
        if (len && !prisma_only) {
            u->conninfo[o++] = sep;
            memcpy(u->conninfo + o, p, len);
            o += len;
            sep = '&';
        }
        p += len + (p[len] == '&');
    }
    u->conninfo[o] = '\0';
    if (!u->schema || !*u->schema) {
        free(u->schema);
        u->schema = strdup("public");
    }
    return u->schema ? 0 : -2;
}

/* The same url (Prisma's parameters included) naming another database. */
char *pg_url_with_database(const dburl *u, const char *database)
{
    const char *after = strstr(u->url, "://") + 3;
    size_t head = (size_t)(after - u->url) + strcspn(after, "/?");
    const char *q = strchr(u->url + head, '?');
    size_t n = head + 1 + 3 * strlen(database) + (q ? strlen(q) : 0) + 1;
    char *out = malloc(n);
    if (!out)
        return NULL;
    memcpy(out, u->url, head);
    size_t o = head;
    out[o++] = '/';
    for (const unsigned char *p = (const unsigned char *)database; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, n - o, "%%%02X", *p);
    }
    snprintf(out + o, n - o, "%s", q ? q : "");
    return out;
}

/* Opens `url` (pg_parse_url: Prisma's parameters are not libpq's; `schema`
 * becomes the search_path). A failure is P1000 (credentials), P1001 (no
 * server), P1002 (timeout) or P1003 (no such database), with libpq's words
 * in db_message. */
int pg_connect(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err)
{
    *out = NULL;
    dburl u;
    char why[512];
    dburl_init(&u);
    int prc = pg_parse_url(url, &u, why, sizeof why);
    if (prc != 0) {
        dburl_free(&u);
        return backend_url_error(prc, why, err);
    }
    /* Without ?schema= the server's search_path stays ("$user", public). */
    char *schema = u.schema_set ? u.schema : NULL;
    if (schema)
        u.schema = NULL;
    char timeout[16];
    int timeout_s = u.params.connect_timeout_s >= 0 ? u.params.connect_timeout_s
                    : timeout_ms > 0                ? (timeout_ms + 999) / 1000
                                                    : 5;
    snprintf(timeout, sizeof timeout, "%d", timeout_s);
    const char *keys[] = { "dbname", "connect_timeout", NULL };
    const char *vals[] = { u.conninfo, timeout, NULL };
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (!pg || (PQstatus(pg) != CONNECTION_OK && strstr(PQerrorMessage(pg), "out of memory"))) {
        PQfinish(pg);
        dburl_free(&u);
        free(schema);
        err_oom(err);
        return PRISMA_ERROR;
    }
    if (PQstatus(pg) != CONNECTION_OK) {
        char m[512];
        snprintf(m, sizeof m, "%s", PQerrorMessage(pg));
        for (size_t n = strlen(m); n && (m[n - 1] == '\n' || m[n - 1] == ' '); n--)
            m[n - 1] = '\0'; /* libpq ends its messages with a newline */
        char hp[256];
        host_port(pg, url, hp, sizeof hp);
        const char *code = connect_error_code(m);
        const char *user = pg && PQuser(pg) && *PQuser(pg) ? PQuser(pg) : "(default user)";
        if (strcmp(code, "P1000") == 0)
            err_set(err, code,
                    "Authentication failed against database server at `%s`, the provided database credentials for "
                    "`%s` are not valid.",
                    hp, user);
        else if (strcmp(code, "P1003") == 0)
            err_set(err, code, "Database `%s` does not exist on the database server at `%s`.",
                    u.database ? u.database : user, hp);
        else if (strcmp(code, "P1002") == 0)
            err_set(err, code, "The database server at `%s` was reached but timed out.", hp);
        else
            err_set(err, code,
                    "Can't reach database server at `%s`\n\nPlease make sure your database server is running at `%s`.",
                    hp, hp);
        snprintf(err->db_message, sizeof err->db_message, "%s", m);
        PQfinish(pg);
        dburl_free(&u);
        free(schema);
        return PRISMA_ERROR;
    }
    pg_conn_opts opts = {
        .pgbouncer = u.params.pgbouncer == 1,
        .statement_cache_size = u.params.statement_cache_size,
        .socket_timeout_ms = u.params.socket_timeout_s <= 0 ? 0
                             : u.params.socket_timeout_s > INT_MAX / 1000 ? INT_MAX
                                                                          : u.params.socket_timeout_s * 1000,
    };
    dburl_free(&u);
    pg_conn_rows *c = calloc(1, sizeof *c);
    if (!c) {
        PQfinish(pg);
        free(schema);
        err_oom(err);
        return PRISMA_ERROR;
    }
    c->c.opts = opts;
    PQsetNoticeReceiver(pg, take_notice, &c->c);
    atomic_init(&c->c.cancelled, false);
    c->c.base.backend = &backend_postgres;
    c->c.pg = pg;
    c->rows.conn = &c->c;
    if (schema && opts.pgbouncer) { /* issue 15: wire: no session state behind a pooler */
        int rc = pg_pooled_search_path(&c->c, schema, err);
        free(schema);
        schema = NULL;
        if (rc != PRISMA_OK) {
            PQfinish(pg);
            free(c);
            return PRISMA_ERROR;
        }
    }
    if (schema) {
        char *esc = PQescapeIdentifier(pg, schema, strlen(schema));
        char sql[512];
        snprintf(sql, sizeof sql, "SET search_path TO %s", esc ? esc : "public");
        PQfreemem(esc);
        free(schema);
        if (!esc)
            err_oom(err);
        if (!esc || pg_exec_simple(&c->c.base, sql, err) != PRISMA_OK) {
            PQfinish(pg);
            free(c);
            return PRISMA_ERROR;
        }
    }
    *out = &c->c.base;
    return PRISMA_OK;
}

void pg_close(prisma_conn *pc)
{
    if (!pc)
        return;
    pg_conn *c = (pg_conn *)pc;
    PQfinish(c->pg);
    free(c->blob);
    free(c->arrays);
    pg_array_buf_free(&c->list);
    free(c->values);
    free(c->lengths);
    free(c->formats);
    free(c->scratch);
    free(c->pipe_rows);
    free(c->search_path_sql); /* issue 15: wire */
    free(c);
}
