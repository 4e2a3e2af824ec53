/* Datasource urls and .env: see dburl.h for the rules. */
#include "dburl.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

static bool starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static bool key_is(const char *k, size_t klen, const char *name)
{
    return strlen(name) == klen && strncmp(k, name, klen) == 0;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = tolower(ch);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* %XX-decoded copy of s[0..n), or NULL when out of memory. */
static char *percent_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            out[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

static void set_why(char *why, size_t why_len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void set_why(char *why, size_t why_len, const char *fmt, ...)
{
    if (!why || !why_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
}

/* ---- Prisma's parameters ---- */

/* Parameters of Prisma's that libpq does not know (libpq refuses unknown
 * URI parameters): dropped from the conninfo. connect_timeout, sslmode,
 * sslcert, sslrootcert, application_name, options, host and the other libpq
 * parameters stay. sslpassword is Prisma's password of the sslidentity
 * (PKCS#12) file, which libpq cannot read, so both go. */
static const char *const prisma_only[] = {
    "schema", "connection_limit", "pool_timeout", "socket_timeout", "pgbouncer", "statement_cache_size",
    "sslaccept", "sslidentity", "sslpassword", "max_connection_lifetime", "max_idle_connection_lifetime",
    "single_use_connections", "connect_timeout_prisma",
};

static bool is_prisma_only(const char *k, size_t klen)
{
    for (size_t i = 0; i < sizeof prisma_only / sizeof prisma_only[0]; i++)
        if (key_is(k, klen, prisma_only[i]))
            return true;
    return false;
}

typedef struct int_param {
    const char *name;
    size_t offset;
    bool boolean;
} int_param;

#define P_INT(name, field) { name, offsetof(dburl_params, field), false }
#define P_BOOL(name, field) { name, offsetof(dburl_params, field), true }
static const int_param typed[] = {
    P_INT("connection_limit", connection_limit),
    P_INT("pool_timeout", pool_timeout_s),
    P_INT("connect_timeout", connect_timeout_s),
    P_INT("socket_timeout", socket_timeout_s),
    P_INT("statement_cache_size", statement_cache_size),
    P_INT("max_connection_lifetime", max_connection_lifetime_s),
    P_INT("max_idle_connection_lifetime", max_idle_connection_lifetime_s),
    P_BOOL("pgbouncer", pgbouncer),
    P_BOOL("single_use_connections", single_use_connections),
};

/* Reads one typed parameter, when `k` is one. Returns 0, or -1 with `why`. */
static int read_typed(dburl_params *p, const char *k, size_t klen, const char *v, size_t vlen, char *why,
                      size_t why_len)
{
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        if (!key_is(k, klen, typed[i].name))
            continue;
        int *slot = (int *)(void *)((char *)p + typed[i].offset);
        if (typed[i].boolean) {
            if (vlen == 4 && strncmp(v, "true", 4) == 0)
                *slot = 1;
            else if (vlen == 5 && strncmp(v, "false", 5) == 0)
                *slot = 0;
            else {
                set_why(why, why_len, "The parameter %.*s must be true or false.", (int)klen, k);
                return -1;
            }
            return 0;
        }
        char buf[24];
        char *end = NULL;
        if (vlen == 0 || vlen >= sizeof buf) {
            set_why(why, why_len, "The parameter %.*s must be a whole number.", (int)klen, k);
            return -1;
        }
        memcpy(buf, v, vlen);
        buf[vlen] = '\0';
        errno = 0;
        long n = strtol(buf, &end, 10);
        if (errno || *end || n < 0 || n > INT_MAX) {
            set_why(why, why_len, "The parameter %.*s must be a whole number.", (int)klen, k);
            return -1;
        }
        *slot = (int)n;
        return 0;
    }
    return 0;
}

/* ---- parsing ---- */

static int parse_sqlite(const char *url, dburl *u, char *why, size_t why_len)
{
    const char *p = url + 5; /* after "file:" */
    if (starts(p, "//"))
        p += 2;
    size_t n = strcspn(p, "?");
    const char *query = p[n] == '?' ? p + n + 1 : NULL;
    if (n == 0) {
        set_why(why, why_len, "The provided database string is invalid: `%s` names no file.", url);
        return -1;
    }
    for (const char *q = query; q && *q;) {
        size_t len = strcspn(q, "&"), klen = strcspn(q, "=&");
        const char *v = q + klen + (q[klen] == '=' ? 1 : 0);
        size_t vlen = len > klen ? len - klen - 1 : 0;
        if (key_is(q, klen, "mode") && vlen == 6 && strncmp(v, "memory", 6) == 0)
            u->memory = true;
        if (read_typed(&u->params, q, klen, v, vlen, why, why_len) != 0)
            return -1;
        q += len + (q[len] == '&');
    }
    if (n == 8 && strncmp(p, ":memory:", 8) == 0)
        u->memory = true;
    if (u->memory && query) {
        /* A named in-memory database: SQLite reads the URI itself. */
        size_t len = strlen(p) + 6;
        u->path = malloc(len);
        if (u->path)
            snprintf(u->path, len, "file:%s", p);
    } else {
        u->path = strndup(p, n);
    }
    return u->path ? 0 : -2;
}

static int parse_postgres(const char *url, dburl *u, char *why, size_t why_len)
{
    const char *after = strstr(url, "://") + 3;
    size_t auth = strcspn(after, "/?");
    const char *path = after + auth;
    const char *q = strchr(path, '?');
    size_t base_len = q ? (size_t)(q - url) : strlen(url);
    if (*path == '/') {
        size_t dn = (q ? (size_t)(q - path) : strlen(path)) - 1;
        if (dn && !(u->database = percent_decode(path + 1, dn)))
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
        if (read_typed(&u->params, p, klen, v, vlen, why, why_len) != 0)
            return -1;
        if (key_is(p, klen, "schema") && p[klen] == '=') {
            free(u->schema);
            u->schema_set = vlen > 0;
            if (!(u->schema = percent_decode(v, vlen)))
                return -2;
        }
        if (len && !is_prisma_only(p, klen)) {
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

dburl_kind dburl_kind_of(const char *url)
{
    if (!url)
        return DBURL_INVALID;
    if (starts(url, "file:"))
        return DBURL_SQLITE;
    if (starts(url, "postgresql://") || starts(url, "postgres://"))
        return DBURL_POSTGRES;
    return DBURL_INVALID;
}

int dburl_parse(const char *url, dburl *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    memset(&out->params, 0xff, sizeof out->params); /* every field -1 */
    if (why && why_len)
        why[0] = '\0';
    int rc;
    if (!url) {
        set_why(why, why_len, "The datasource has no url.");
        return -1;
    }
    out->kind = dburl_kind_of(url);
    if (out->kind == DBURL_INVALID) {
        set_why(why, why_len,
                "The provided database string is invalid. The url must start with `file:` (SQLite), "
                "`postgresql://` or `postgres://`.");
        return -1;
    }
    out->url = strdup(url);
    if (!out->url)
        rc = -2;
    else
        rc = out->kind == DBURL_SQLITE ? parse_sqlite(url, out, why, why_len) : parse_postgres(url, out, why, why_len);
    if (rc != 0) {
        dburl_free(out);
        out->kind = DBURL_INVALID;
        if (rc == -2 && why && why_len)
            snprintf(why, why_len, "out of memory");
    }
    return rc;
}

void dburl_free(dburl *u)
{
    if (!u)
        return;
    free(u->url);
    free(u->path);
    free(u->conninfo);
    free(u->schema);
    free(u->database);
    u->url = u->path = u->conninfo = u->schema = u->database = NULL;
}

char *dburl_with_database(const dburl *u, const char *database)
{
    if (!u || u->kind != DBURL_POSTGRES)
        return NULL;
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

/* ---- .env ---- */

/* The value starting at p (after `KEY=` and blanks), to the end of its
 * line or quotes; *next is where the following line starts. */
static char *dotenv_value(const char *p, const char *end, const char **next)
{
    char *out = malloc((size_t)(end - p) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    if (p < end && (*p == '"' || *p == '\'')) {
        char quote = *p;
        const char *close = p + 1;
        while (close < end && *close != quote)
            close += quote == '"' && *close == '\\' && close + 1 < end ? 2 : 1;
        if (close < end) { /* quoted, possibly over several lines */
            for (const char *s = p + 1; s < close; s++) {
                if (quote == '"' && *s == '\\' && s + 1 < close) {
                    s++;
                    out[o++] = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : *s;
                } else {
                    out[o++] = *s;
                }
            }
            out[o] = '\0';
            const char *nl = memchr(close, '\n', (size_t)(end - close));
            *next = nl ? nl + 1 : end;
            return out;
        }
        /* No closing quote: the line as it is. */
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    *next = nl ? nl + 1 : end;
    const char *stop = p;
    while (stop < eol && !(*stop == '#' && (stop == p || stop[-1] == ' ' || stop[-1] == '\t')))
        stop++;
    while (stop > p && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r'))
        stop--;
    memcpy(out, p, (size_t)(stop - p));
    out[stop - p] = '\0';
    return out;
}

int dburl_dotenv_find(const char *text, size_t len, const char *key, char **out)
{
    *out = NULL;
    const char *end = text + len;
    size_t klen = strlen(key);
    for (const char *line = text; line < end;) {
        const char *p = line;
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *next = nl ? nl + 1 : end;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if ((size_t)(end - p) > 7 && strncmp(p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t')) {
            p += 7;
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
        }
        if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0) {
            const char *q = p + klen;
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            if (q < end && *q == '=') {
                q++;
                while (q < end && (*q == ' ' || *q == '\t'))
                    q++;
                /* The first definition wins: later ones are not read. */
                *out = dotenv_value(q, end, &next);
                return *out ? 1 : -1;
            }
        }
        line = next;
    }
    return 0;
}

char *dburl_getenv(const char *name)
{
    const char *v = getenv(name);
    if (v && *v)
        return strdup(v);
    FILE *f = fopen(".env", "rb");
    if (!f)
        return NULL;
    char *text = NULL, *found = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            char *t = realloc(text, cap = (cap ? cap * 2 : 8192));
            if (!t)
                goto done;
            text = t;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (dburl_dotenv_find(text, len, name, &found) == 1 && !*found) {
        free(found);
        found = NULL;
    }
done:
    free(text);
    fclose(f);
    return found;
}

dburl_status dburl_resolve(const char *given, const char *literal, const char *env_name, char **out)
{
    *out = NULL;
    const char *direct = given ? given : literal;
    if (direct) {
        *out = strdup(direct);
        return *out ? DBURL_OK : DBURL_NOMEM;
    }
    if (!env_name)
        return DBURL_NO_URL;
    errno = 0;
    *out = dburl_getenv(env_name);
    if (*out)
        return DBURL_OK;
    return errno == ENOMEM ? DBURL_NOMEM : DBURL_ENV_MISSING;
}
