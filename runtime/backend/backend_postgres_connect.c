/* The PostgreSQL backend's connections: Prisma's url, libpq's conninfo,
 * opening (with Prisma's connection errors) and closing.
 *
 * The url is Prisma's (docs/connection-url.md): libpq opens the url itself
 * (hosts, ports, the multi-host form, user, password, database, and every
 * query parameter libpq knows: target_session_attrs, keepalives,
 * sslrootcert, application_name, options...). Prisma's own parameters are
 * taken out and applied here or by the pool: sslmode and connect_timeout
 * with Prisma's defaults (prefer, 5 s), sslcert (the server's certificate,
 * libpq's sslrootcert), sslaccept (strict: libpq's verify-full),
 * sslidentity + sslpassword (a PKCS#12 file, which libpq cannot read: its
 * certificate and key are written to private PEM files for the handshake
 * and removed right after it), schema (the search_path). A parameter neither
 * Prisma nor libpq knows is refused (P1013), never dropped. */
#include "backend_postgres_conn.h"
#include "backend_postgres_errors.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- libpq's own parameters ---- */

/* libpq's keywords (PQconndefaults): the url parameters that go to libpq as
 * they are. Read once, under a lock; a read that ran out of memory is tried
 * again next time (a failure is never remembered as "libpq knows nothing"). */
static char **libpq_keywords;
static size_t n_libpq_keywords;
static pthread_mutex_t libpq_keywords_mu = PTHREAD_MUTEX_INITIALIZER;

static bool read_libpq_keywords(void)
{
    PQconninfoOption *opts = PQconndefaults();
    if (!opts)
        return false;
    size_t n = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        n++;
    char **list = calloc(n ? n : 1, sizeof *list);
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = (list[i] = strdup(opts[i].keyword)) != NULL;
    PQconninfoFree(opts);
    if (!ok) {
        for (size_t i = 0; list && i < n; i++)
            free(list[i]);
        free(list);
        return false;
    }
    libpq_keywords = list;
    n_libpq_keywords = n;
    return true;
}

/* Whether libpq knows the parameter k[0..klen): 1 yes, 0 no, -1 out of memory. */
static int libpq_knows(const char *k, size_t klen)
{
    pthread_mutex_lock(&libpq_keywords_mu);
    bool ready = libpq_keywords || read_libpq_keywords();
    pthread_mutex_unlock(&libpq_keywords_mu);
    if (!ready)
        return -1;
    for (size_t i = 0; i < n_libpq_keywords; i++)
        if (dburl_key_is(k, klen, libpq_keywords[i]))
            return 1;
    return 0;
}

/* ---- the url ---- */

static const char *const ssl_modes[] = { "disable", "allow", "prefer", "require", "verify-ca", "verify-full" };

/* postgresql://[user[:password]@]host[:port][,host[:port]...]/database[?params]:
 * the conninfo is the url with only the parameters libpq takes as they are
 * (Prisma's are in u). ?schema= (default public) becomes the search_path. */
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
        if (!len) { /* "&&" or a trailing "&" */
            p += p[len] == '&';
            continue;
        }
        bool prisma_only;
        int rc = dburl_param(u, p, klen, v, vlen, &prisma_only, why, why_len);
        if (rc != 0)
            return rc;
        int known = prisma_only ? 1 : libpq_knows(p, klen);
        if (known < 0)
            return -2;
        if (!known) {
            snprintf(why, why_len,
                     "The provided database string is invalid. Unknown parameter `%.*s` in the connection url: it "
                     "is neither one of Prisma's (docs/connection-url.md) nor one of libpq's connection parameters.",
                     (int)(klen > 64 ? 64 : klen), p);
            return -1;
        }
        if (!prisma_only) {
            u->conninfo[o++] = sep;
            memcpy(u->conninfo + o, p, len);
            o += len;
            sep = '&';
        }
        p += len + (p[len] == '&');
    }
    u->conninfo[o] = '\0';
    if (u->sslmode) {
        bool known = false;
        for (size_t i = 0; i < sizeof ssl_modes / sizeof ssl_modes[0]; i++)
            known = known || strcmp(u->sslmode, ssl_modes[i]) == 0;
        if (!known) {
            snprintf(why, why_len,
                     "The provided database string is invalid. The parameter sslmode must be disable, prefer or "
                     "require (or libpq's allow, verify-ca, verify-full), not `%.64s`.",
                     u->sslmode);
            return -1;
        }
    }
    if (!u->schema || !*u->schema) {
        free(u->schema);
        u->schema = strdup("public");
    }
    return u->schema ? 0 : -2;
}

/* The value of the query parameter `key` of url, percent-decoded into out
 * (cap bytes); false when absent. */
static bool url_query_value(const char *url, const char *key, char *out, size_t cap)
{
    const char *q = strchr(url, '?');
    for (const char *p = q ? q + 1 : ""; *p;) {
        size_t len = strcspn(p, "&"), klen = strcspn(p, "=&");
        if (dburl_key_is(p, klen, key) && p[klen] == '=') {
            char *v = dburl_percent_decode(p + klen + 1, len - klen - 1);
            snprintf(out, cap, "%s", v ? v : "");
            free(v);
            return true;
        }
        p += len + (p[len] == '&');
    }
    return false;
}

/* The url's hosts and ports as messages name them: "db.example" and "5432";
 * the multi-host form as libpq's lists, "h1,h2" and "5432,5433" (one port
 * when they are all the same). A host or port given as a query parameter
 * (?host=/var/run/postgresql) wins, as in libpq. */
static void url_hosts(const char *url, char *hosts, size_t hcap, char *ports, size_t pcap)
{
    const char *after = strstr(url, "://");
    after = after ? after + 3 : url;
    size_t netloc = strcspn(after, "/?");
    const char *start = after;
    for (const char *p = after; p < after + netloc; p++)
        if (*p == '@')
            start = p + 1;
    size_t ho = 0, po = 0;
    hosts[0] = ports[0] = '\0';
    char first_port[16] = "";
    bool ports_differ = false;
    for (const char *p = start;;) {
        const char *end = p;
        while (end < after + netloc && *end != ',')
            end++;
        const char *h = p, *hend, *port = NULL;
        if (*h == '[') { /* [v6]:port */
            const char *close = memchr(h, ']', (size_t)(end - h));
            h++;
            hend = close ? close : end;
            port = close && close + 1 < end && close[1] == ':' ? close + 2 : NULL;
        } else {
            const char *colon = memchr(h, ':', (size_t)(end - h));
            hend = colon ? colon : end;
            port = colon ? colon + 1 : NULL;
        }
        char *hd = dburl_percent_decode(h, (size_t)(hend - h));
        if (ho < hcap)
            ho += (size_t)snprintf(hosts + ho, hcap - ho, "%s%s", ho ? "," : "", hd && *hd ? hd : "localhost");
        free(hd);
        char pt[16];
        snprintf(pt, sizeof pt, "%.*s", port && port < end ? (int)(end - port) : 4, port && port < end ? port : "5432");
        if (!first_port[0])
            snprintf(first_port, sizeof first_port, "%s", pt);
        else if (strcmp(first_port, pt) != 0)
            ports_differ = true;
        if (po < pcap)
            po += (size_t)snprintf(ports + po, pcap - po, "%s%s", po ? "," : "", pt);
        if (end >= after + netloc)
            break;
        p = end + 1;
    }
    if (!ports_differ)
        snprintf(ports, pcap, "%s", first_port[0] ? first_port : "5432");
    url_query_value(url, "host", hosts, hcap);
    url_query_value(url, "port", ports, pcap);
    if (!hosts[0])
        snprintf(hosts, hcap, "localhost");
}

/* ---- TLS: Prisma's sslmode, sslaccept, sslcert, sslidentity ---- */

/* Where a PKCS#12 identity was written for one handshake: a private folder
 * (0700) with cert.pem (the certificate and its chain) and key.pem (0600). */
typedef struct pem_identity {
    char dir[256];
    char cert[300];
    char key[300];
} pem_identity;

static void pem_identity_remove(pem_identity *id)
{
    if (!id->dir[0])
        return;
    unlink(id->cert);
    unlink(id->key);
    rmdir(id->dir);
    id->dir[0] = '\0';
}

/* Writes one PEM file, readable by its owner only. */
static bool write_private_pem(const char *path, EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return false;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return false;
    }
    bool ok = true;
    if (key)
        ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
    if (cert)
        ok = ok && PEM_write_X509(f, cert) == 1;
    for (int i = 0; ok && chain && i < sk_X509_num(chain); i++)
        ok = PEM_write_X509(f, sk_X509_value(chain, i)) == 1;
    return fclose(f) == 0 && ok;
}

/* The PKCS#12 file `path` (password `password`) as PEM files for libpq's
 * sslcert and sslkey. Returns 0, or -1 with why. */
static int pem_identity_write(pem_identity *id, const char *path, const char *password, char *why, size_t why_len)
{
    int rc = -1;
    PKCS12 *p12 = NULL;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    id->dir[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_len, "identity file not found (%s: %s)", path, strerror(errno));
        goto done;
    }
    p12 = d2i_PKCS12_fp(f, NULL);
    fclose(f);
    if (!p12) {
        snprintf(why, why_len, "the identity file %s is not a PKCS#12 file", path);
        goto done;
    }
    if (!PKCS12_parse(p12, password ? password : "", &key, &cert, &chain) || !key || !cert) {
        snprintf(why, why_len, "the identity file %s could not be read with the given sslpassword", path);
        goto done;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(id->dir, sizeof id->dir, "%s/prismac-tls-XXXXXX", tmp && *tmp && strlen(tmp) < 200 ? tmp : "/tmp");
    if (!mkdtemp(id->dir)) {
        snprintf(why, why_len, "no private folder for the identity's PEM files (%s)", strerror(errno));
        id->dir[0] = '\0';
        goto done;
    }
    snprintf(id->cert, sizeof id->cert, "%s/cert.pem", id->dir);
    snprintf(id->key, sizeof id->key, "%s/key.pem", id->dir);
    if (!write_private_pem(id->cert, NULL, cert, chain) || !write_private_pem(id->key, key, NULL, NULL)) {
        snprintf(why, why_len, "the identity's PEM files could not be written in %s", id->dir);
        pem_identity_remove(id);
        goto done;
    }
    rc = 0;
done:
    PKCS12_free(p12);
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    return rc;
}

/* The system's trusted roots (OpenSSL's default file; SSL_CERT_FILE wins). */
static const char *system_roots(void)
{
    const char *env = getenv(X509_get_default_cert_file_env());
    return env && *env ? env : X509_get_default_cert_file();
}

/* Whether the conninfo's own query has libpq's parameter `key`. */
static bool conninfo_has(const char *conninfo, const char *key)
{
    char ignored[8];
    return url_query_value(conninfo, key, ignored, sizeof ignored);
}

/* libpq's TLS keywords for Prisma's parameters, appended to keys/vals.
 * Returns 0, or -1 with Prisma's P1011 in err. */
static int tls_keywords(const dburl *u, const char **keys, const char **vals, size_t *n, pem_identity *id,
                        prisma_err *err)
{
    const char *mode = u->sslmode ? u->sslmode : "prefer";
    bool strict = u->params.sslaccept == 1;
    /* sslaccept=strict: the chain and the host name are checked, which libpq
     * calls verify-full (and which needs TLS: prefer no longer falls back). */
    if (strict && (strcmp(mode, "prefer") == 0 || strcmp(mode, "require") == 0 || strcmp(mode, "allow") == 0))
        mode = "verify-full";
    keys[*n] = "sslmode";
    vals[(*n)++] = mode;
    if (strcmp(mode, "disable") == 0)
        return 0;
    if (u->sslcert && access(u->sslcert, R_OK) != 0) {
        err_set(err, "P1011", "Error opening a TLS connection: cert file not found (%s: %s)", u->sslcert,
                strerror(errno));
        return -1;
    }
    /* Without verification (accept_invalid_certs, Prisma's default) the
     * server's certificate is not read: libpq's require would turn into
     * verify-ca if it were given one. */
    if (strncmp(mode, "verify-", 7) == 0) {
        if (u->sslcert) {
            keys[*n] = "sslrootcert";
            vals[(*n)++] = u->sslcert;
        } else if (strict && !conninfo_has(u->conninfo, "sslrootcert")) {
            keys[*n] = "sslrootcert";
            vals[(*n)++] = system_roots();
        }
    }
    if (u->sslidentity) {
        char why[512];
        if (pem_identity_write(id, u->sslidentity, u->sslpassword, why, sizeof why) != 0) {
            err_set(err, "P1011", "Error opening a TLS connection: %s", why);
            return -1;
        }
        keys[*n] = "sslcert";
        vals[(*n)++] = id->cert;
        keys[*n] = "sslkey";
        vals[(*n)++] = id->key;
    }
    return 0;
}

/* ---- connection errors ---- */

/* What libpq's words (every host's attempt, one a line) mean, the most
 * telling first: a server that answered says more than one that did not. */
typedef struct connect_rule {
    const char *words, *also; /* both in one line (also may be NULL) */
    const char *code, *sqlstate;
} connect_rule;

static const connect_rule connect_rules[] = {
    { "password authentication failed", NULL, "P1000", "28P01" },
    { "no password supplied", NULL, "P1000", "" },
    { "authentication failed", NULL, "P1000", "28000" },
    { "database \"", "does not exist", "P1003", "3D000" },
    { "permission denied for database", NULL, "P1010", "42501" },
    { "pg_hba.conf rejects connection", NULL, "P1010", "28000" },
    { "no pg_hba.conf entry", NULL, "P1010", "28000" },
    { "role \"", "does not exist", "P1010", "28000" },
    { "is not permitted to log in", NULL, "P1010", "28000" },
    { "too many clients", NULL, "P2037", "53300" },
    { "remaining connection slots are reserved", NULL, "P2037", "53300" },
    { "SSL", NULL, "P1011", "" },
    { "certificate", NULL, "P1011", "" },
    { "timeout expired", NULL, "P1002", "" },
    { "server closed the connection unexpectedly", NULL, "P1017", "" },
};

/* The line of m holding the rule's words, or NULL; *len its length. */
static const char *rule_line(const char *m, const connect_rule *r, size_t *len)
{
    for (const char *line = m; *line;) {
        size_t n = strcspn(line, "\n");
        const char *w = strstr(line, r->words);
        if (w && w < line + n) {
            const char *a = r->also ? strstr(line, r->also) : line;
            if (a && a < line + n) {
                *len = n;
                return line;
            }
        }
        line += n + (line[n] == '\n');
    }
    return NULL;
}

/* The reason of one of libpq's lines, without `connection to server at
 * "h", port p failed: ` and the severity. */
static void line_reason(const char *line, size_t n, char *out, size_t cap)
{
    const char *end = line + n;
    const char *f = strstr(line, " failed: ");
    if (f && f < end)
        line = f + 9;
    for (const char *sev = "FATAL:  "; strncmp(line, sev, 8) == 0;)
        line += 8;
    snprintf(out, cap, "%.*s", (int)(end - line), line);
}

/* 'for user "name"' in m, else NULL. */
static void user_in_message(const char *m, char *out, size_t cap)
{
    const char *p = strstr(m, "user \"");
    out[0] = '\0';
    if (!p)
        return;
    p += 6;
    size_t n = strcspn(p, "\"");
    snprintf(out, cap, "%.*s", (int)n, p);
}

/* A failed connection in Prisma's code and words; libpq's own message (a
 * line per host tried) in db_message, the SQLSTATE its words imply in
 * db_code. */
static void connect_error(PGconn *pg, const dburl *u, int timeout_s, prisma_err *err)
{
    char m[sizeof err->db_message];
    snprintf(m, sizeof m, "%s", pg ? PQerrorMessage(pg) : "");
    for (size_t n = strlen(m); n && (m[n - 1] == '\n' || m[n - 1] == ' '); n--)
        m[n - 1] = '\0'; /* libpq ends its messages with a newline */
    const connect_rule *rule = NULL;
    const char *line = NULL;
    size_t line_len = 0;
    for (size_t i = 0; !line && i < sizeof connect_rules / sizeof connect_rules[0]; i++)
        if ((line = rule_line(m, &connect_rules[i], &line_len)))
            rule = &connect_rules[i];
    char hosts[256], ports[64];
    url_hosts(u->url, hosts, sizeof hosts, ports, sizeof ports);
    const char *code = rule ? rule->code : "P1001";
    char reason[512];
    if (line)
        line_reason(line, line_len, reason, sizeof reason);
    else
        snprintf(reason, sizeof reason, "%s", m);
    char user[128];
    user_in_message(line ? line : m, user, sizeof user);
    if (!user[0])
        snprintf(user, sizeof user, "%s", pg && PQuser(pg) && *PQuser(pg) ? PQuser(pg) : "(not available)");
    const char *db = u->database ? u->database : pg && PQdb(pg) && *PQdb(pg) ? PQdb(pg) : "postgres";
    if (strcmp(code, "P1000") == 0)
        err_set(err, code,
                "Authentication failed against database server at `%s`, the provided database credentials for `%s` "
                "are not valid.\n\nPlease make sure to provide valid database credentials for the database server at "
                "`%s`.",
                hosts, user, hosts);
    else if (strcmp(code, "P1003") == 0)
        err_set(err, code, "Database `%s` does not exist on the database server at `%s:%s`.", db, hosts, ports);
    else if (strcmp(code, "P1010") == 0)
        err_set(err, code, "User `%s` was denied access on the database `%s.%s`", user, db,
                u->schema ? u->schema : "public");
    else if (strcmp(code, "P2037") == 0)
        err_set(err, code, "Too many database connections opened: %s", reason);
    else if (strcmp(code, "P1011") == 0)
        err_set(err, code, "Error opening a TLS connection: %s", reason);
    else if (strcmp(code, "P1002") == 0)
        err_set(err, code,
                "The database server at `%s`:`%s` was reached but timed out.\n\nPlease try again.\n\nPlease make sure "
                "your database server is running at `%s`:`%s`.\n\nContext: no connection within connect_timeout "
                "(%d s)",
                hosts, ports, hosts, ports, timeout_s);
    else if (strcmp(code, "P1017") == 0)
        err_set(err, code, "Server has closed the connection.");
    else
        err_set(err, code,
                "Can't reach database server at `%s`:`%s`\n\nPlease make sure your database server is running at "
                "`%s`:`%s`.",
                hosts, ports, hosts, ports);
    snprintf(err->db_code, sizeof err->db_code, "%s", rule ? rule->sqlstate : "");
    snprintf(err->db_message, sizeof err->db_message, "%s", m);
}

/* ---- opening and closing ---- */

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

/* Opens `url` (pg_parse_url). timeout_ms > 0 is the caller's connect
 * timeout (prisma_options), which wins over the url's connect_timeout
 * (seconds; 0: none; default 5). A failure is Prisma's P1000, P1001, P1002,
 * P1003, P1010, P1011, P1013, P1017 or P2037 (connect_error), with libpq's
 * words in db_message. */
int pg_connect(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err)
{
    *out = NULL;
    int rc = PRISMA_ERROR;
    dburl u;
    char why[512];
    PGconn *pg = NULL;
    pg_conn_rows *c = NULL;
    pem_identity id = { .dir = "" };
    dburl_init(&u);
    int prc = pg_parse_url(url, &u, why, sizeof why);
    if (prc != 0) {
        backend_url_error(prc, why, err);
        goto done;
    }
    if (!(u.url = strdup(url))) {
        err_oom(err);
        goto done;
    }
    int timeout_s = timeout_ms > 0                  ? (timeout_ms + 999) / 1000
                    : u.params.connect_timeout_s >= 0 ? u.params.connect_timeout_s
                                                      : 5;
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", timeout_s);
    /* Later keywords win over the url's (libpq expands dbname in place). */
    const char *keys[12], *vals[12];
    size_t n = 0;
    keys[n] = "dbname";
    vals[n++] = u.conninfo;
    keys[n] = "connect_timeout";
    vals[n++] = timeout;
    if (tls_keywords(&u, keys, vals, &n, &id, err) != 0)
        goto done;
    keys[n] = vals[n] = NULL;
    pg = PQconnectdbParams(keys, vals, 1);
    pem_identity_remove(&id); /* read by the handshake, which is over */
    if (!pg || (PQstatus(pg) != CONNECTION_OK && strstr(PQerrorMessage(pg), "out of memory"))) {
        err_oom(err);
        goto done;
    }
    if (PQstatus(pg) != CONNECTION_OK) {
        connect_error(pg, &u, timeout_s, err);
        goto done;
    }
    if (!(c = calloc(1, sizeof *c))) {
        err_oom(err);
        goto done;
    }
    c->c.opts = (pg_conn_opts){
        .pgbouncer = u.params.pgbouncer == 1,
        .statement_cache_size = u.params.statement_cache_size,
        .socket_timeout_ms = u.params.socket_timeout_s <= 0            ? 0
                             : u.params.socket_timeout_s > INT_MAX / 1000 ? INT_MAX
                                                                          : u.params.socket_timeout_s * 1000,
    };
    PQsetNoticeReceiver(pg, take_notice, &c->c);
    atomic_init(&c->c.cancelled, false);
    c->c.base.backend = &backend_postgres;
    c->c.pg = pg;
    c->rows.conn = &c->c;
    if (c->c.opts.pgbouncer) {
        /* issue 15: wire: no session state behind a pooler: the schema goes
         * with every transaction or statement instead. */
        if (u.schema_set && pg_pooled_search_path(&c->c, u.schema, err) != PRISMA_OK)
            goto done;
    } else {
        /* Prisma's schema (default public) is the search_path, as a statement
         * (a pooler refuses it as a startup parameter). */
        char *esc = PQescapeIdentifier(pg, u.schema, strlen(u.schema));
        if (!esc) {
            err_oom(err);
            goto done;
        }
        char sql[600];
        snprintf(sql, sizeof sql, "SET search_path TO %s", esc);
        PQfreemem(esc);
        if (pg_exec_simple(&c->c.base, sql, err) != PRISMA_OK)
            goto done;
    }
    *out = &c->c.base;
    c = NULL;
    pg = NULL;
    rc = PRISMA_OK;
done:
    pem_identity_remove(&id);
    free(c);
    PQfinish(pg);
    dburl_free(&u);
    return rc;
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
