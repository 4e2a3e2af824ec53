/* The MySQL/MariaDB backend's connections: Prisma's url, opening (with
 * Prisma's connection errors) and closing, over MariaDB Connector/C.
 *
 * The url is Prisma's mysql url (quaint's mysql/url.rs, docs/mysql.md):
 *   mysql://[user[:password]@]host[:port][/database][?parameters]
 * host defaults to localhost (over TCP, as Prisma: Connector/C alone would
 * take "localhost" for its default socket), port to 3306, database to
 * `mysql`. Parameters: Prisma's connection_limit, pool_timeout,
 * connect_timeout (default 5 s, 0 none), socket_timeout (seconds the server
 * may stay silent in a statement), max_connection_lifetime,
 * max_idle_connection_lifetime, statement_cache_size (default 100; 0:
 * prepare and close per query), sslcert (the server's certificate or CA),
 * sslaccept (strict | accept_invalid_certs), sslidentity + sslpassword,
 * socket=(/path) (a unix socket; parentheses optional), prefer_socket.
 * Any other parameter is refused (P1013): Prisma drops unknown ones
 * silently, which hides typos.
 *
 * Every connection: utf8mb4, CLIENT_FOUND_ROWS (updateMany counts matched
 * rows, as Prisma's driver asks), no automatic reconnect (a transaction
 * must never continue on another session), time_zone UTC (TIMESTAMP columns
 * read and write UTC, as DATETIME values are bound). */
#include "backend_mysql_conn.h"
#include "backend_mysql_errors.h"

#include <ctype.h>
#include <errmsg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the url ---- */

/* Parameters of Prisma's which mean nothing on MySQL: refused rather than
 * ignored (dburl_param reads them for PostgreSQL). */
static const char *const not_mysql[] = { "schema", "pgbouncer", "sslmode" };

/* The url's own parameters (besides dburl_param's Prisma ones). */
static int mysql_param(dburl *u, const char *k, size_t klen, const char *v, size_t vlen, char *why, size_t why_len,
                       bool *known)
{
    (void)u;
    *known = true;
    if (dburl_key_is(k, klen, "socket")) {
        if (!vlen) {
            snprintf(why, why_len, "The provided database string is invalid. The parameter socket has no value.");
            return -1;
        }
        return 0;
    }
    if (dburl_key_is(k, klen, "prefer_socket")) {
        if (!(vlen == 4 && strncmp(v, "true", 4) == 0) && !(vlen == 5 && strncmp(v, "false", 5) == 0)) {
            snprintf(why, why_len,
                     "The provided database string is invalid. The parameter prefer_socket must be true or false.");
            return -1;
        }
        return 0;
    }
    *known = false;
    return 0;
}

int my_parse_url(const char *url, dburl *u, char *why, size_t why_len)
{
    const char *after = strstr(url, "://") + 3;
    size_t auth = strcspn(after, "/?");
    const char *path = after + auth;
    const char *q = strchr(path, '?');
    if (*path == '/') {
        size_t dn = (q ? (size_t)(q - path) : strlen(path)) - 1;
        if (dn && !(u->database = dburl_percent_decode(path + 1, dn)))
            return -2;
    }
    for (const char *p = q ? q + 1 : ""; *p;) {
        size_t len = strcspn(p, "&"), klen = strcspn(p, "=&");
        const char *v = p + klen + (p[klen] == '=' ? 1 : 0);
        size_t vlen = len > klen ? len - klen - 1 : 0;
        if (!len) {
            p += p[len] == '&';
            continue;
        }
        for (size_t i = 0; i < sizeof not_mysql / sizeof not_mysql[0]; i++)
            if (dburl_key_is(p, klen, not_mysql[i])) {
                snprintf(why, why_len,
                         "The provided database string is invalid. The parameter `%s` is not one of a MySQL url's "
                         "(docs/mysql.md).",
                         not_mysql[i]);
                return -1;
            }
        bool prisma_only, mine;
        int rc = dburl_param(u, p, klen, v, vlen, &prisma_only, why, why_len);
        if (rc == 0)
            rc = mysql_param(u, p, klen, v, vlen, why, why_len, &mine);
        if (rc != 0)
            return rc;
        if (!prisma_only && !mine) {
            snprintf(why, why_len,
                     "The provided database string is invalid. Unknown parameter `%.*s` in the connection url: it is "
                     "not one of Prisma's MySQL parameters (docs/mysql.md).",
                     (int)(klen > 64 ? 64 : klen), p);
            return -1;
        }
        p += len + (p[len] == '&');
    }
    if (!(u->conninfo = strdup(url)))
        return -2;
    return 0;
}

/* The value of query parameter `key`, percent-decoded and malloc'd; NULL
 * when absent; *oom when out of memory. */
static char *query_value(const char *url, const char *key, bool *oom)
{
    const char *q = strchr(url, '?');
    for (const char *p = q ? q + 1 : ""; *p;) {
        size_t len = strcspn(p, "&"), klen = strcspn(p, "=&");
        if (dburl_key_is(p, klen, key) && p[klen] == '=') {
            char *v = dburl_percent_decode(p + klen + 1, len - klen - 1);
            *oom = *oom || !v;
            return v;
        }
        p += len + (p[len] == '&');
    }
    return NULL;
}

int my_target_from(const dburl *u, my_target *t)
{
    memset(t, 0, sizeof *t);
    const char *url = u->url;
    const char *after = strstr(url, "://") + 3;
    size_t netloc = strcspn(after, "/?");
    const char *at = NULL;
    for (const char *p = after; p < after + netloc; p++)
        if (*p == '@')
            at = p;
    bool oom = false;
    const char *hp = after;
    if (at) {
        const char *colon = memchr(after, ':', (size_t)(at - after));
        const char *uend = colon ? colon : at;
        oom = !(t->user = dburl_percent_decode(after, (size_t)(uend - after)));
        if (colon && !oom)
            oom = !(t->password = dburl_percent_decode(colon + 1, (size_t)(at - colon - 1)));
        hp = at + 1;
    }
    const char *end = after + netloc, *hend = end, *port = NULL;
    if (*hp == '[') { /* [v6]:port */
        const char *close = memchr(hp, ']', (size_t)(end - hp));
        hend = close ? close : end;
        port = close && close + 1 < end && close[1] == ':' ? close + 2 : NULL;
        hp++;
    } else {
        const char *colon = memchr(hp, ':', (size_t)(end - hp));
        hend = colon ? colon : end;
        port = colon ? colon + 1 : NULL;
    }
    if (!oom)
        oom = !(t->host = hend > hp ? dburl_percent_decode(hp, (size_t)(hend - hp)) : strdup("localhost"));
    t->port = 3306;
    if (port && port < end)
        t->port = (unsigned)strtoul(port, NULL, 10);
    if (!oom)
        oom = !(t->database = strdup(u->database ? u->database : "mysql"));
    if (!oom && !t->user)
        oom = !(t->user = strdup("root"));
    char *sock = oom ? NULL : query_value(url, "socket", &oom);
    if (sock) { /* socket=(/path): Prisma's parentheses are optional */
        size_t n = strlen(sock);
        if (n >= 2 && sock[0] == '(' && sock[n - 1] == ')') {
            memmove(sock, sock + 1, n - 2);
            sock[n - 2] = '\0';
        }
        t->socket = sock;
    }
    char *prefer = oom ? NULL : query_value(url, "prefer_socket", &oom);
    t->prefer_socket = prefer && strcmp(prefer, "true") == 0;
    free(prefer);
    t->connect_timeout_s = u->params.connect_timeout_s >= 0 ? u->params.connect_timeout_s : 5;
    t->socket_timeout_s = u->params.socket_timeout_s > 0 ? u->params.socket_timeout_s : 0;
    t->verify = u->params.sslaccept == 1;
    t->tls = u->params.sslaccept >= 0 || u->sslcert || u->sslidentity;
    if (!oom && u->sslcert)
        oom = !(t->ssl_ca = strdup(u->sslcert));
    if (oom) {
        my_target_free(t);
        return -2;
    }
    return 0;
}

void my_target_free(my_target *t)
{
    if (!t)
        return;
    free(t->host);
    free(t->user);
    if (t->password) /* a secret: not left in freed memory */
        memset(t->password, 0, strlen(t->password));
    free(t->password);
    free(t->database);
    free(t->socket);
    free(t->ssl_ca);
    memset(t, 0, sizeof *t);
}

/* ---- connection errors ---- */

static bool words(const char *m, const char *w)
{
    return strstr(m, w) != NULL;
}

/* A failed connect in Prisma's code and words (quaint's mysql/error.rs and
 * user-facing-errors), Connector/C's own words in db_message. */
static void connect_error(MYSQL *my, const my_target *t, int timeout_s, prisma_err *err)
{
    unsigned e = my ? mysql_errno(my) : CR_OUT_OF_MEMORY;
    const char *m = my ? mysql_error(my) : "out of memory";
    char where[300];
    if (t->socket)
        snprintf(where, sizeof where, "%s", t->socket);
    else
        snprintf(where, sizeof where, "%s", t->host);
    char port[16];
    snprintf(port, sizeof port, "%u", t->port);
    if (e == CR_OUT_OF_MEMORY) {
        err_oom(err);
        return;
    }
    if (e == 1045 || e == 1698) /* access denied; 1698: a plugin refused the user */
        err_set(err, "P1000",
                "Authentication failed against database server at `%s`, the provided database credentials for `%s` "
                "are not valid.\n\nPlease make sure to provide valid database credentials for the database server at "
                "`%s`.",
                where, t->user, where);
    else if (e == 1049)
        err_set(err, "P1003", "Database `%s` does not exist on the database server at `%s:%s`.", t->database, where,
                port);
    else if (e == 1044 || e == 1130 || e == 1227)
        err_set(err, "P1010", "User `%s` was denied access on the database `%s`", t->user, t->database);
    else if (e == 1040 || e == 1203)
        err_set(err, "P2037", "Too many database connections opened: %s", m);
    else if (e == 2026 || words(m, "SSL") || words(m, "TLS") || words(m, "certificate"))
        err_set(err, "P1011", "Error opening a TLS connection: %s", m);
    else if (words(m, "timed out") || words(m, "timeout"))
        err_set(err, "P1002",
                "The database server at `%s`:`%s` was reached but timed out.\n\nPlease try again.\n\nPlease make sure "
                "your database server is running at `%s`:`%s`.\n\nContext: no connection within connect_timeout "
                "(%d s)",
                where, port, where, port, timeout_s);
    else if (e == 2013 || e == 2006)
        err_set(err, "P1017", "Server has closed the connection.");
    else
        err_set(err, "P1001",
                "Can't reach database server at `%s`:`%s`\n\nPlease make sure your database server is running at "
                "`%s`:`%s`.",
                where, port, where, port);
    snprintf(err->db_code, sizeof err->db_code, "%u", e);
    snprintf(err->db_message, sizeof err->db_message, "%s", m);
}

/* ---- opening and closing ---- */

/* One session with the options every connection has. NULL with err. */
static MYSQL *open_one(const my_target *t, const char *socket, int timeout_s, prisma_err *err)
{
    MYSQL *my = mysql_init(NULL);
    if (!my) {
        err_oom(err);
        return NULL;
    }
    unsigned timeout = (unsigned)timeout_s;
    my_bool off = 0, on = 1;
    unsigned proto = socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
    mysql_optionsv(my, MYSQL_OPT_PROTOCOL, &proto);
    if (timeout)
        mysql_optionsv(my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    if (t->socket_timeout_s > 0) {
        unsigned s = (unsigned)t->socket_timeout_s;
        mysql_optionsv(my, MYSQL_OPT_READ_TIMEOUT, &s);
        mysql_optionsv(my, MYSQL_OPT_WRITE_TIMEOUT, &s);
    }
    mysql_optionsv(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_optionsv(my, MYSQL_OPT_RECONNECT, &off);
    mysql_optionsv(my, MYSQL_OPT_LOCAL_INFILE, &off);
    mysql_optionsv(my, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
    if (t->tls) {
        /* Prisma's default, accept_invalid_certs: TLS without checking the
         * server's certificate; strict checks the chain and the host name. */
        mysql_optionsv(my, MYSQL_OPT_SSL_ENFORCE, &on);
        mysql_optionsv(my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, t->verify ? &on : &off);
        if (t->ssl_ca)
            mysql_optionsv(my, MYSQL_OPT_SSL_CA, t->ssl_ca);
    }
    if (!mysql_real_connect(my, socket ? NULL : t->host, t->user, t->password, t->database, socket ? 0 : t->port,
                            socket, CLIENT_FOUND_ROWS)) {
        connect_error(my, t, timeout_s, err);
        mysql_close(my);
        return NULL;
    }
    return my;
}

static bool loopback(const char *host)
{
    return strcmp(host, "localhost") == 0 || strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0;
}

/* prefer_socket=true: the server's own socket (@@socket) when it runs on this
 * machine, as Prisma's driver does; the TCP session stays when that fails. */
static MYSQL *upgrade_to_socket(MYSQL *tcp, const my_target *t, int timeout_s)
{
    MYSQL *out = tcp;
    if (mysql_query(tcp, "SELECT @@socket") != 0)
        return tcp;
    MYSQL_RES *res = mysql_store_result(tcp);
    MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
    if (row && row[0] && row[0][0]) {
        prisma_err ignored;
        MYSQL *s = open_one(t, row[0], timeout_s, &ignored);
        if (s) {
            mysql_close(tcp);
            out = s;
        }
    }
    mysql_free_result(res);
    return out;
}

/* Connector/C's global state, made once before any thread opens a session
 * (mysql_init would make it on first use, racing with other threads). */
static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static int library_rc;

static void library_init(void)
{
    library_rc = mysql_library_init(0, NULL, NULL);
}

MYSQL *my_open(const my_target *t, int timeout_ms, prisma_err *err)
{
    pthread_once(&library_once, library_init);
    if (library_rc != 0) {
        err_oom(err);
        return NULL;
    }
    int timeout_s = timeout_ms > 0 ? (timeout_ms + 999) / 1000 : t->connect_timeout_s;
    MYSQL *my = open_one(t, t->socket, timeout_s, err);
    if (my && t->prefer_socket && !t->socket && loopback(t->host))
        my = upgrade_to_socket(my, t, timeout_s);
    return my;
}

int my_connect(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err)
{
    *out = NULL;
    int rc = PRISMA_ERROR;
    dburl u;
    char why[512];
    my_conn *c = NULL;
    dburl_init(&u);
    if (!(u.url = strdup(url))) {
        err_oom(err);
        goto done;
    }
    int prc = my_parse_url(url, &u, why, sizeof why);
    if (prc != 0) {
        backend_url_error(prc, why, err);
        goto done;
    }
    if (u.sslidentity) {
        /* Connector/C reads PEM files only (MYSQL_OPT_SSL_CERT / _KEY); a
         * PKCS#12 identity is not converted here. */
        err_set(err, "P1011",
                "Error opening a TLS connection: sslidentity (a PKCS#12 client identity) is not supported by the "
                "MySQL backend; MariaDB Connector/C reads PEM certificates only");
        goto done;
    }
    if (!(c = calloc(1, sizeof *c))) {
        err_oom(err);
        goto done;
    }
    pthread_mutex_init(&c->cancel_mu, NULL);
    c->base.backend = &backend_mysql;
    c->rows.conn = c;
    c->statement_cache_size = u.params.statement_cache_size;
    /* Prisma's statement_cache_size (default 100): a connection keeps at most
     * that many statements prepared (the server allows 16,382 in all, shared
     * by every client: max_prepared_stmt_count). */
    c->base.cache_limit = u.params.statement_cache_size > 0 ? (uint32_t)u.params.statement_cache_size : 100;
    if (my_target_from(&u, &c->target) != 0) {
        err_oom(err);
        goto done;
    }
    if (!(c->my = my_open(&c->target, timeout_ms, err)))
        goto done;
    c->thread_id = mysql_thread_id(c->my);
    *out = &c->base;
    c = NULL;
    rc = PRISMA_OK;
done:
    if (c) {
        my_target_free(&c->target);
        pthread_mutex_destroy(&c->cancel_mu);
        free(c);
    }
    dburl_free(&u);
    return rc;
}

void my_close(prisma_conn *pc)
{
    if (!pc)
        return;
    my_conn *c = (my_conn *)pc;
    pthread_mutex_lock(&c->cancel_mu); /* a cancel under way ends first */
    pthread_mutex_unlock(&c->cancel_mu);
    my_rows_free(&c->rows);
    mysql_close(c->my);
    my_target_free(&c->target);
    free(c->params);
    free(c->times);
    free(c->bools);
    pthread_mutex_destroy(&c->cancel_mu);
    free(c);
}
