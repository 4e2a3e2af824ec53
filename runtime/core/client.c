/* The client: connecting from a URL, the connection pool, per-thread errors. */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char prisma_null_string[] = "<prisma null>";

const char *prisma_version(void)
{
    return PRISMA_VERSION_STRING;
}

int prisma_abi_version(void)
{
    return PRISMA_ABI_VERSION;
}

/* ---- per-thread errors ----
 * Each thread keeps the last error of the few clients it used most recently,
 * like errno, so threads sharing a client never see each other's errors. */
enum { ERR_SLOTS = 8 };
typedef struct err_slot {
    uint64_t client_id;
    prisma_err err;
} err_slot;
static _Thread_local err_slot err_slots[ERR_SLOTS];
static _Thread_local unsigned err_next;
static _Thread_local prisma_err connect_err;
static atomic_uint_fast64_t next_client_id = 1;

uint64_t prisma_new_client_id(void)
{
    return atomic_fetch_add(&next_client_id, 1);
}

static err_slot *slot_for(uint64_t id, bool create)
{
    for (int i = 0; i < ERR_SLOTS; i++)
        if (err_slots[i].client_id == id)
            return &err_slots[i];
    if (!create)
        return NULL;
    err_slot *s = &err_slots[err_next++ % ERR_SLOTS];
    s->client_id = id;
    err_clear(&s->err);
    return s;
}

void client_set_error(const prisma_client *db, const prisma_err *e)
{
    if (!db)
        return;
    err_slot *s = slot_for(db->id, true);
    s->err = *e;
    if (!s->err.code[0])
        snprintf(s->err.code, sizeof s->err.code, "UNKNOWN");
}

void client_clear_error(const prisma_client *db)
{
    if (!db)
        return;
    err_slot *s = slot_for(db->id, false);
    if (s)
        err_clear(&s->err);
}

bool client_get_error(const prisma_client *db, prisma_err *out)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    if (!s || !s->err.code[0]) {
        err_clear(out);
        return false;
    }
    *out = s->err;
    return true;
}

int client_fail(const prisma_client *db, const char *code, const char *fmt, ...)
{
    prisma_err e;
    err_clear(&e);
    snprintf(e.code, sizeof e.code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    client_set_error(db, &e);
    return PRISMA_ERROR;
}

const char *prisma_error_code(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] ? s->err.code : NULL;
}

const char *prisma_error_message(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] ? s->err.message : "";
}

const char *prisma_error_db_code(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] && s->err.db_code[0] ? s->err.db_code : NULL;
}

const char *prisma_error_model(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] ? s->err.model : NULL;
}

const char *prisma_last_connect_error_code(void)
{
    return connect_err.code[0] ? connect_err.code : NULL;
}

const char *prisma_last_connect_error(void)
{
    return connect_err.message;
}

/* ---- the URL ---- */

/* Looks KEY up in a .env file in the current directory: KEY=value lines,
 * optional quotes, # comments. Returns a malloc'd value or NULL. */
static char *dotenv_lookup(const char *key)
{
    FILE *f = fopen(".env", "r");
    if (!f)
        return NULL;
    char line[8192];
    char *found = NULL;
    size_t klen = strlen(key);
    while (!found && fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "export ", 7) == 0)
            p += 7;
        if (strncmp(p, key, klen) != 0)
            continue;
        p += klen;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=')
            continue;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, "\r\n");
        if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
            p++;
            n -= 2;
        } else {
            char *hash = memchr(p, '#', n);
            if (hash)
                n = (size_t)(hash - p);
            while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
                n--;
        }
        found = strndup(p, n);
    }
    fclose(f);
    return found;
}

static char *resolve_url(const prisma_schema_desc *schema, const char *url, prisma_err *err)
{
    if (url)
        return strdup(url);
    if (schema->url)
        return strdup(schema->url);
    if (schema->url_env) {
        const char *v = getenv(schema->url_env);
        if (v && *v)
            return strdup(v);
        char *d = dotenv_lookup(schema->url_env);
        if (d && *d)
            return d;
        free(d);
        err_set(err, "P1012",
                "error: Environment variable not found: %s. The datasource url is env(\"%s\"): set it in the "
                "environment or in a .env file, or pass a url to prisma_connect.",
                schema->url_env, schema->url_env);
        return NULL;
    }
    err_set(err, "P1012", "The schema's datasource has no url: pass one to prisma_connect.");
    return NULL;
}

/* ---- the pool ---- */

int pool_get(client_shared *sh, int wait_ms, prisma_conn **out, prisma_err *err)
{
    int rc = PRISMA_OK;
    pthread_mutex_lock(&sh->mu);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += wait_ms / 1000;
    deadline.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    for (;;) {
        if (sh->closing) {
            err_set(err, "P1017", "Server has closed the connection: the client is disconnecting.");
            rc = PRISMA_ERROR;
            break;
        }
        if (sh->n_idle) {
            *out = sh->idle[--sh->n_idle];
            break;
        }
        if (sh->n_open < sh->max_open) {
            sh->n_open++;
            pthread_mutex_unlock(&sh->mu);
            rc = sh->driver->connect(sh->url, sh->opts.connect_timeout_ms, out, err);
            pthread_mutex_lock(&sh->mu);
            if (rc != PRISMA_OK) {
                sh->n_open--;
                pthread_cond_broadcast(&sh->cv);
            }
            break;
        }
        sh->n_waiting++;
        int w = pthread_cond_timedwait(&sh->cv, &sh->mu, &deadline);
        sh->n_waiting--;
        if (w == ETIMEDOUT) {
            err_set(err, "P2024",
                    "Timed out fetching a new connection from the connection pool. More info: "
                    "http://pris.ly/d/connection-pool (Current connection pool timeout: %d ms, connection limit: %zu)",
                    wait_ms, sh->max_open);
            rc = PRISMA_ERROR;
            break;
        }
    }
    pthread_mutex_unlock(&sh->mu);
    return rc;
}

void pool_put(client_shared *sh, prisma_conn *c)
{
    if (!c)
        return;
    if (c->broken) {
        sh->driver->close(c);
        pthread_mutex_lock(&sh->mu);
        sh->n_open--;
        pthread_cond_broadcast(&sh->cv);
        pthread_mutex_unlock(&sh->mu);
        return;
    }
    pthread_mutex_lock(&sh->mu);
    sh->idle[sh->n_idle++] = c;
    if (sh->n_waiting || sh->closing)
        pthread_cond_broadcast(&sh->cv);
    pthread_mutex_unlock(&sh->mu);
}

int client_acquire(prisma_client *db, prisma_conn **out, prisma_err *err)
{
    if (db->is_tx)
        return tx_enter(db, out, err);
    int wait_ms = db->sh->opts.connect_timeout_ms > 0 ? db->sh->opts.connect_timeout_ms : 10000;
    return pool_get(db->sh, wait_ms, out, err);
}

void client_release(prisma_client *db, prisma_conn *c)
{
    if (db->is_tx) {
        tx_leave(db);
        return;
    }
    pool_put(db->sh, c);
}

static int default_pool_size(const prisma_driver *d, const char *url)
{
    if (d == &prisma_sqlite_driver)
        return strstr(url, ":memory:") || strstr(url, "mode=memory") ? 1 : 4;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return (int)(n > 0 ? n * 2 + 1 : 5);
}

int prisma_open(prisma_client **out, const prisma_schema_desc *schema, const char *url,
                const prisma_options *options)
{
    err_clear(&connect_err);
    if (!out) {
        err_set(&connect_err, "P2009", "prisma_connect: the output pointer is NULL");
        return PRISMA_ERROR;
    }
    *out = NULL;
    if (!schema || schema->abi_version != PRISMA_ABI_VERSION) {
        err_set(&connect_err, "P1000",
                "The generated client was made for libprisma ABI %d, but this libprisma is ABI %d: regenerate "
                "the client with this version of prismac.",
                schema ? schema->abi_version : 0, PRISMA_ABI_VERSION);
        return PRISMA_ERROR;
    }
    prisma_options opts = options ? *options : (prisma_options){ 0 };
    if (opts.max_wait_ms < 0 || opts.timeout_ms < 0) {
        err_set(&connect_err, "P2009",
                "Invalid value %d for %s in \"transactionOptions\" provided to PrismaClient constructor. %s needs "
                "to be greater than 0",
                opts.max_wait_ms < 0 ? opts.max_wait_ms : opts.timeout_ms,
                opts.max_wait_ms < 0 ? "maxWait" : "timeout", opts.max_wait_ms < 0 ? "maxWait" : "timeout");
        return PRISMA_ERROR;
    }
    if (!opts.max_wait_ms)
        opts.max_wait_ms = 2000;
    if (!opts.timeout_ms)
        opts.timeout_ms = 5000;
    if (!opts.connect_timeout_ms)
        opts.connect_timeout_ms = 5000;

    client_shared *sh = NULL;
    prisma_client *db = NULL;
    prisma_conn *first = NULL;
    char *u = resolve_url(schema, url, &connect_err);
    if (!u)
        return PRISMA_ERROR;
    const prisma_driver *driver = NULL;
    prisma_provider provider;
    if (strncmp(u, "file:", 5) == 0) {
        driver = &prisma_sqlite_driver;
        provider = PRISMA_SQLITE;
    } else if (strncmp(u, "postgresql://", 13) == 0 || strncmp(u, "postgres://", 11) == 0) {
        driver = &prisma_pg_driver;
        provider = PRISMA_POSTGRESQL;
    } else {
        err_set(&connect_err, "P1013",
                "The provided database string is invalid. The url must start with `file:` (SQLite), "
                "`postgresql://` or `postgres://`.");
        goto fail;
    }
    if ((provider == PRISMA_SQLITE) != (schema->provider == PRISMA_SQLITE)) {
        err_set(&connect_err, "P1013",
                "The provided database string is invalid: the schema's datasource is %s, but the url opens %s.",
                schema->provider == PRISMA_SQLITE ? "sqlite" : "postgresql",
                provider == PRISMA_SQLITE ? "SQLite" : "PostgreSQL");
        goto fail;
    }
    if (schema->provider == PRISMA_COCKROACHDB)
        provider = PRISMA_COCKROACHDB;

    sh = calloc(1, sizeof *sh);
    db = calloc(1, sizeof *db);
    if (!sh || !db) {
        err_set(&connect_err, "P1000", "out of memory");
        goto fail;
    }
    sh->schema = schema;
    sh->driver = driver;
    sh->url = u;
    u = NULL;
    sh->opts = opts;
    sh->provider = provider;
    sh->max_open = (size_t)(opts.pool_size > 0 ? opts.pool_size : default_pool_size(driver, sh->url));
    sh->idle = calloc(sh->max_open, sizeof *sh->idle);
    if (!sh->idle) {
        err_set(&connect_err, "P1000", "out of memory");
        goto fail;
    }
    pthread_mutex_init(&sh->mu, NULL);
    pthread_cond_init(&sh->cv, NULL);
    pthread_cond_init(&sh->watchdog_cv, NULL);
    pthread_cond_init(&sh->watchdog_done_cv, NULL);
    sh->refs = 1;
    db->sh = sh;
    db->id = prisma_new_client_id();

    /* Connect once now, so a wrong URL fails here and not at the first query. */
    if (driver->connect(sh->url, opts.connect_timeout_ms, &first, &connect_err) != PRISMA_OK)
        goto fail_locked;
    sh->n_open = 1;
    sh->idle[sh->n_idle++] = first;
    *out = db;
    return PRISMA_OK;

fail_locked:
    pthread_mutex_destroy(&sh->mu);
    pthread_cond_destroy(&sh->cv);
    pthread_cond_destroy(&sh->watchdog_cv);
    pthread_cond_destroy(&sh->watchdog_done_cv);
fail:
    if (sh) {
        free(sh->idle);
        free(sh->url);
    }
    free(sh);
    free(db);
    free(u);
    return PRISMA_ERROR;
}

/* Drops one reference; the last one frees the shared state. */
void shared_release(client_shared *sh)
{
    pthread_mutex_lock(&sh->mu);
    size_t left = --sh->refs;
    pthread_mutex_unlock(&sh->mu);
    if (left)
        return;
    pthread_mutex_destroy(&sh->mu);
    pthread_cond_destroy(&sh->cv);
    pthread_cond_destroy(&sh->watchdog_cv);
    pthread_cond_destroy(&sh->watchdog_done_cv);
    free(sh->idle);
    free(sh->url);
    free(sh);
}

void prisma_disconnect(prisma_client *db)
{
    if (!db || db->is_tx)
        return;
    client_shared *sh = db->sh;
    /* Open transactions first: their connections come back to the pool. */
    tx_close_all(sh);
    pthread_mutex_lock(&sh->mu);
    sh->closing = true;
    pthread_cond_broadcast(&sh->cv);
    pthread_cond_broadcast(&sh->watchdog_cv);
    /* Connections in use are closed when their operations give them back. */
    while (sh->n_idle < sh->n_open) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&sh->cv, &sh->mu, &ts);
    }
    for (size_t i = 0; i < sh->n_idle; i++)
        sh->driver->close(sh->idle[i]);
    sh->n_idle = sh->n_open = 0;
    bool wd = sh->watchdog_running;
    pthread_mutex_unlock(&sh->mu);
    if (wd)
        pthread_join(sh->watchdog, NULL);
    err_slot *s = slot_for(db->id, false);
    if (s)
        s->client_id = 0;
    free(db);
    shared_release(sh);
}

bool prisma_is_write_conflict(const char *code, const char *db_code)
{
    if (!code)
        return false;
    if (strcmp(code, "P2034") == 0)
        return true;
    /* A raw statement's conflict keeps the database's code under P2010. */
    return strcmp(code, "P2010") == 0 && db_code &&
           (strcmp(db_code, "40001") == 0 || strcmp(db_code, "40P01") == 0 || strcmp(db_code, "5") == 0 ||
            strcmp(db_code, "261") == 0 || strcmp(db_code, "517") == 0 || strcmp(db_code, "6") == 0);
}

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

void sh_trace(client_shared *sh, const char *sql)
{
    /* Read without the lock: set once, typically before any statement runs. */
    prisma_trace_fn fn = sh->trace;
    if (!fn || !sql)
        return;
    char *text = trace_normalize(sql);
    fn(sh->trace_arg, text ? text : sql);
    free(text);
}

int sh_exec(client_shared *sh, prisma_conn *c, const char *sql, prisma_err *err)
{
    sh_trace(sh, sql);
    return sh->driver->exec(c, sql, err);
}

/* ---- the statement cache ---- */

void conn_cache_clear(prisma_conn *c)
{
    for (size_t i = 0; i < c->cache_cap; i++) {
        if (c->cache[i].key) {
            c->driver->finalize(c, c->cache[i].stmt);
            free(c->cache[i].key);
            free(c->cache[i].sql);
        }
    }
    free(c->cache);
    c->cache = NULL;
    c->cache_cap = c->cache_len = 0;
}
