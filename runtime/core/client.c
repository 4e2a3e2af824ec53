/* The client: opening from a URL, options, closing. */
#include "internal.h"

#include "dburl.h"

#include <limits.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char prisma_null_string[] = "<prisma null>";
const char prisma_db_null_string[] = "<prisma DbNull>";
const char prisma_json_null_string[] = "<prisma JsonNull>";
const char prisma_any_null_string[] = "<prisma AnyNull>";
/* What an input wrapper's `set` points at when given (prisma.h). */
struct prisma_given_ {
    char unused;
};
const prisma_given_ prisma_given_mark = { 0 };

const char *prisma_version(void)
{
    return PRISMA_VERSION_STRING;
}

int prisma_abi_version(void)
{
    return PRISMA_ABI_VERSION;
}


/* The error of the last prisma_open on this thread (there is no client). */
static _Thread_local prisma_err connect_err;

const char *prisma_last_connect_error_code(void)
{
    return connect_err.code[0] ? connect_err.code : NULL;
}

const char *prisma_last_connect_error(void)
{
    return connect_err.message;
}

/* issue 15: url */
const char *prisma_last_connect_error_db_message(void)
{
    return connect_err.code[0] ? connect_err.db_message : "";
}

/* ---- the URL ---- */

/* The url to open: the caller's, else the schema's literal one, else its
 * env("VAR"), else (no url in the schema, Prisma 7) DATABASE_URL; a
 * variable from the environment or ./.env (base/dburl.c). */
static char *resolve_url(const prisma_schema_desc *schema, const char *url, prisma_err *err)
{
    char *out = NULL;
    switch (dburl_resolve(url, schema->url, schema->url_env, &out)) {
    case DBURL_OK:
        return out;
    case DBURL_ENV_MISSING:
        if (schema->url_env)
            err_set(err, "P1012",
                    "error: Environment variable not found: %s. The datasource url is env(\"%s\"): set it in the "
                    "environment or in the .env file of the current directory, or pass a url to prisma_connect.",
                    schema->url_env, schema->url_env);
        else
            err_set(err, "P1012",
                    "error: Environment variable not found: " DBURL_DEFAULT_ENV ". The schema's datasource has no "
                    "url: set " DBURL_DEFAULT_ENV " in the environment or in the .env file of the current "
                    "directory, or pass a url to prisma_connect.");
        return NULL;
    case DBURL_NOMEM:
        break;
    }
    err_oom(err);
    return NULL;
}

/* The pool size for a server's url: the options' pool_size, else the url's
 * connection_limit, else the backend's default. Also the url's pool_timeout
 * (seconds; -1: not given) into *pool_timeout_s when not NULL. A bad url is
 * P1013 in err. */
static int url_pool_size(const prisma_backend *backend, const prisma_options *opts, const char *url, size_t *size,
                         int *pool_timeout_s, prisma_err *err)
{
    /* Prisma's url parameters: a bad one is P1013 here; connection_limit
     * sizes the pool when the caller does not; pool_timeout (seconds, 0: no
     * limit) is how long a call waits for a connection. */
    dburl parsed;
    char why[512];
    int prc = backend_parse_url(url, &parsed, why, sizeof why);
    if (prc != 0) {
        backend_url_error(prc, why, err);
        return PRISMA_ERROR;
    }
    int connection_limit = parsed.params.connection_limit;
    if (pool_timeout_s)
        *pool_timeout_s = parsed.params.pool_timeout_s;
    dburl_free(&parsed);
    *size = (size_t)(opts->pool_size > 0       ? opts->pool_size
                     : connection_limit > 0 ? connection_limit
                                            : backend_default_pool_size(backend, url));
    return PRISMA_OK;
}

/* The replica urls: the options' list, else DATABASE_REPLICA_URLS split at
 * whitespace (a url holds none: spaces in one are %20). malloc'd strings
 * into *out (n of them); NULL-free. */
static int replica_urls(const prisma_options *opts, char ***out, size_t *n, prisma_err *err)
{
    *out = NULL;
    *n = 0;
    char *env = NULL;
    size_t count = 0;
    if (opts->replica_urls) {
        while (opts->replica_urls[count])
            count++;
    } else {
        env = dburl_getenv(PRISMA_REPLICA_URLS_ENV);
        for (const char *p = env; p && *p;) {
            p += strspn(p, " \t\r\n");
            if (!*p)
                break;
            count++;
            p += strcspn(p, " \t\r\n");
        }
    }
    if (!count) {
        free(env);
        return PRISMA_OK;
    }
    char **urls = calloc(count, sizeof *urls);
    if (!urls)
        goto oom;
    const char *p = env;
    for (size_t i = 0; i < count; i++) {
        if (env) {
            p += strspn(p, " \t\r\n");
            size_t len = strcspn(p, " \t\r\n");
            urls[i] = strndup(p, len);
            p += len;
        } else {
            urls[i] = strdup(opts->replica_urls[i]);
        }
        if (!urls[i]) {
            for (size_t j = 0; j < i; j++)
                free(urls[j]);
            free(urls);
            goto oom;
        }
    }
    free(env);
    *out = urls;
    *n = count;
    return PRISMA_OK;
oom:
    free(env);
    err_oom(err);
    return PRISMA_ERROR;
}

/* Opens the replicas' pools: each url is checked (P1013 names the replica)
 * and must be for the primary's database; none is contacted yet. Takes the
 * urls (freed here, also on failure). */
static int open_replicas(client_shared *sh, char **urls, size_t n, prisma_err *err)
{
    size_t i = 0;
    sh->replicas = calloc(n, sizeof *sh->replicas);
    if (!sh->replicas) {
        err_oom(err);
        goto fail;
    }
    for (; i < n; i++) {
        size_t size = 0;
        const prisma_backend *b = backend_for(sh->schema, urls[i], err);
        if (b && b != sh->backend)
            err_set(err, "P1013", "it is not a url of the primary's database (%s)", sh->backend->name);
        if (!b || b != sh->backend || url_pool_size(b, &sh->opts, urls[i], &size, NULL, err) != PRISMA_OK) {
            prisma_err why = *err;
            err_set(err, why.code[0] ? why.code : "P1013",
                    "The read replica url number %zu (prisma_options.replica_urls or " PRISMA_REPLICA_URLS_ENV
                    ") is invalid: %s",
                    i + 1, why.message);
            goto fail;
        }
        if (pool_init(&sh->replicas[i], urls[i], (int)i, size) != PRISMA_OK) {
            urls[i] = NULL; /* the pool freed it */
            err_oom(err);
            goto fail;
        }
        urls[i] = NULL;
        sh->n_replicas = i + 1;
    }
    free(urls);
    return PRISMA_OK;
fail:
    for (size_t j = 0; j < n; j++)
        free(urls[j]);
    free(urls);
    return PRISMA_ERROR;
}

static void free_replicas(client_shared *sh)
{
    for (size_t i = 0; i < sh->n_replicas; i++)
        pool_destroy(&sh->replicas[i]);
    free(sh->replicas);
    sh->replicas = NULL;
    sh->n_replicas = 0;
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
    /* issue 15: url: connect_timeout_ms stays 0 when not given, so that the
     * url's connect_timeout (default 5 s) applies; given, it wins. */
    opts.replica_urls = NULL; /* copied into the pools: the caller's list need not outlive the call */

    client_shared *sh = NULL;
    prisma_client *db = NULL;
    prisma_conn *first = NULL;
    char **rurls = NULL;
    size_t n_rurls = 0;
    char *u = resolve_url(schema, url, &connect_err);
    if (!u)
        return PRISMA_ERROR;
    const prisma_backend *backend = backend_for(schema, u, &connect_err);
    if (!backend)
        goto fail;
    size_t max_open = 0;
    int pool_timeout_s = -1;
    if (url_pool_size(backend, &opts, u, &max_open, &pool_timeout_s, &connect_err) != PRISMA_OK)
        goto fail;
    if (replica_urls(options ? options : &opts, &rurls, &n_rurls, &connect_err) != PRISMA_OK)
        goto fail;

    sh = calloc(1, sizeof *sh);
    db = calloc(1, sizeof *db);
    if (!sh || !db) {
        err_oom(&connect_err);
        goto fail;
    }
    sh->schema = schema;
    sh->backend = backend;
    sh->url = u;
    sh->opts = opts;
    sh->pool_timeout_ms = pool_timeout_s < 0 ? 10000 : pool_timeout_s > INT_MAX / 1000 ? 0 : pool_timeout_s * 1000;
    char *pool_url = strdup(u);
    u = NULL;
    if (!pool_url || pool_init(&sh->primary, pool_url, -1, max_open) != PRISMA_OK) {
        err_oom(&connect_err);
        goto fail;
    }
    if (n_rurls) {
        int rc = open_replicas(sh, rurls, n_rurls, &connect_err);
        rurls = NULL;
        if (rc != PRISMA_OK)
            goto fail;
        db->primary_view = calloc(1, sizeof *db->primary_view);
        if (!db->primary_view) {
            err_oom(&connect_err);
            goto fail;
        }
    }
    pthread_mutex_init(&sh->mu, NULL);
    pthread_cond_init(&sh->watchdog_cv, NULL);
    pthread_cond_init(&sh->watchdog_done_cv, NULL);
    sh->refs = 1;
    db->sh = sh;
    db->id = client_new_id();
    if (db->primary_view) {
        db->primary_view->sh = sh;
        db->primary_view->on_primary = true;
        db->primary_view->id = db->id; /* its errors are the client's */
    }

    /* Connect once now, so a wrong URL fails here and not at the first query.
     * Replicas are not contacted: one that is down only costs its reads a
     * detour (as Prisma's extension, which fails lazily, at the first read). */
    if (backend->connect(sh->url, opts.connect_timeout_ms, &first, &connect_err) != PRISMA_OK)
        goto fail_locked;
    first->pool = &sh->primary;
    sh->primary.n_open = 1;
    sh->primary.idle[sh->primary.n_idle++] = first;
    *out = db;
    return PRISMA_OK;

fail_locked:
    pthread_mutex_destroy(&sh->mu);
    pthread_cond_destroy(&sh->watchdog_cv);
    pthread_cond_destroy(&sh->watchdog_done_cv);
fail:
    if (rurls) {
        for (size_t i = 0; i < n_rurls; i++)
            free(rurls[i]);
        free(rurls);
    }
    if (sh) {
        /* Also a pool that pool_init could not finish (it holds the url). */
        pool_destroy(&sh->primary);
        free_replicas(sh);
        free(sh->url);
    }
    if (db)
        free(db->primary_view);
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
    pthread_cond_destroy(&sh->watchdog_cv);
    pthread_cond_destroy(&sh->watchdog_done_cv);
    pool_destroy(&sh->primary);
    free_replicas(sh);
    free(sh->url);
    free(sh);
}

prisma_client *prisma_primary(prisma_client *db)
{
    if (!db || db->is_tx || db->on_primary || !db->primary_view)
        return db;
    return db->primary_view;
}

const prisma_schema_desc *prisma_client_schema(const prisma_client *db)
{
    return db ? db->sh->schema : NULL;
}

void prisma_disconnect(prisma_client *db)
{
    if (!db || db->is_tx || db->on_primary)
        return;
    client_shared *sh = db->sh;
    /* Open transactions first: their connections come back to the pool. */
    tx_close_all(sh);
    pthread_mutex_lock(&sh->mu);
    sh->closing = true;
    pthread_cond_broadcast(&sh->watchdog_cv);
    bool wd = sh->watchdog_running;
    pthread_mutex_unlock(&sh->mu);
    pool_close(&sh->primary);
    for (size_t i = 0; i < sh->n_replicas; i++)
        pool_close(&sh->replicas[i]);
    if (wd)
        pthread_join(sh->watchdog, NULL);
    client_forget_errors(db);
    free(db->primary_view);
    free(db);
    shared_release(sh);
}
