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

bool dburl_key_is(const char *k, size_t klen, const char *name)
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

char *dburl_percent_decode(const char *s, size_t n)
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

/* Prisma's parameters, read here and never handed to a client library as
 * they are: the backend applies each its own way. sslcert is Prisma's
 * certificate of the server (libpq's sslrootcert, not libpq's sslcert),
 * sslidentity and sslpassword a PKCS#12 file and its password, sslmode and
 * connect_timeout have Prisma's defaults. application_name, options, host
 * and the rest are a client library's own (the backend says which it
 * knows). */
static const char *const prisma_only_params[] = {
    "schema", "connection_limit", "pool_timeout", "socket_timeout", "pgbouncer", "statement_cache_size",
    "sslaccept", "sslidentity", "sslpassword", "sslcert", "sslmode", "connect_timeout",
    "max_connection_lifetime", "max_idle_connection_lifetime", "single_use_connections",
};

static bool is_prisma_only(const char *k, size_t klen)
{
    for (size_t i = 0; i < sizeof prisma_only_params / sizeof prisma_only_params[0]; i++)
        if (dburl_key_is(k, klen, prisma_only_params[i]))
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
        if (!dburl_key_is(k, klen, typed[i].name))
            continue;
        int *slot = (int *)(void *)((char *)p + typed[i].offset);
        if (typed[i].boolean) {
            if (vlen == 4 && strncmp(v, "true", 4) == 0)
                *slot = 1;
            else if (vlen == 5 && strncmp(v, "false", 5) == 0)
                *slot = 0;
            else {
                set_why(why, why_len, "The provided database string is invalid. The parameter %.*s must be true or false.",
                    (int)klen, k);
                return -1;
            }
            return 0;
        }
        char buf[24];
        char *end = NULL;
        if (vlen == 0 || vlen >= sizeof buf) {
            set_why(why, why_len, "The provided database string is invalid. The parameter %.*s must be a whole number.",
                    (int)klen, k);
            return -1;
        }
        memcpy(buf, v, vlen);
        buf[vlen] = '\0';
        errno = 0;
        long n = strtol(buf, &end, 10);
        if (errno || *end || n < 0 || n > INT_MAX) {
            set_why(why, why_len, "The provided database string is invalid. The parameter %.*s must be a whole number.",
                    (int)klen, k);
            return -1;
        }
        *slot = (int)n;
        return 0;
    }
    return 0;
}

/* ---- parsing ---- */

int dburl_param(dburl *u, const char *k, size_t klen, const char *v, size_t vlen, bool *prisma_only, char *why,
                size_t why_len)
{
    *prisma_only = is_prisma_only(k, klen);
    if (read_typed(&u->params, k, klen, v, vlen, why, why_len) != 0)
        return -1;
    if (dburl_key_is(k, klen, "sslaccept")) {
        if (vlen == 6 && strncmp(v, "strict", 6) == 0)
            u->params.sslaccept = 1;
        else if (vlen == 20 && strncmp(v, "accept_invalid_certs", 20) == 0)
            u->params.sslaccept = 0;
        else {
            set_why(why, why_len,
                    "The provided database string is invalid. The parameter sslaccept must be strict or "
                    "accept_invalid_certs, not `%.*s`.",
                    (int)(vlen > 64 ? 64 : vlen), v);
            return -1;
        }
        return 0;
    }
    static const char *const strings[] = { "sslmode", "sslcert", "sslidentity", "sslpassword" };
    char **slots[] = { &u->sslmode, &u->sslcert, &u->sslidentity, &u->sslpassword };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        if (!dburl_key_is(k, klen, strings[i]))
            continue;
        if (vlen == 0) {
            set_why(why, why_len, "The provided database string is invalid. The parameter %s has no value.",
                    strings[i]);
            return -1;
        }
        free(*slots[i]);
        if (!(*slots[i] = dburl_percent_decode(v, vlen)))
            return -2;
        return 0;
    }
    if (dburl_key_is(k, klen, "schema") && k[klen] == '=') {
        free(u->schema);
        u->schema_set = vlen > 0;
        if (!(u->schema = dburl_percent_decode(v, vlen)))
            return -2;
    }
    return 0;
}

void dburl_init(dburl *u)
{
    memset(u, 0, sizeof *u);
    memset(&u->params, 0xff, sizeof u->params); /* every field -1 */
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
    free(u->sslmode);
    free(u->sslcert);
    free(u->sslidentity);
    if (u->sslpassword) /* a secret: not left in freed memory */
        memset(u->sslpassword, 0, strlen(u->sslpassword));
    free(u->sslpassword);
    u->url = u->path = u->conninfo = u->schema = u->database = NULL;
    u->sslmode = u->sslcert = u->sslidentity = u->sslpassword = NULL;
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
    /* The guard (p == end: no line left) also shows gcc 12 with sanitizers that
     * the bound is not negative (-Werror=stringop-overread). */
    const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
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
        env_name = DBURL_DEFAULT_ENV; /* a Prisma 7 datasource: no url in the schema */
    errno = 0;
    *out = dburl_getenv(env_name);
    if (*out)
        return DBURL_OK;
    return errno == ENOMEM ? DBURL_NOMEM : DBURL_ENV_MISSING;
}

/* The url u->url, its parameters kept, naming another database (the path's
 * first segment, percent-encoded): a url_with_database member for backends
 * whose urls are scheme://authority/database?parameters. */
char *dburl_with_database(const dburl *u, const char *database)
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
