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

    client_shared *sh = NULL;
    prisma_client *db = NULL;
    prisma_conn *first = NULL;
    char *u = resolve_url(schema, url, &connect_err);
    if (!u)
        return PRISMA_ERROR;
    const prisma_backend *backend = backend_for(schema, u, &connect_err);
    if (!backend)
        goto fail;
    /* issue 15: url: Prisma's url parameters: a bad one is P1013 here;
     * connection_limit sizes the pool when the caller's pool_size does not;
     * pool_timeout (seconds, default 10, 0: no limit) is how long a call
     * waits for a connection. */
    dburl parsed;
    char why[512];
    int prc = backend_parse_url(u, &parsed, why, sizeof why);
    if (prc != 0) {
        backend_url_error(prc, why, &connect_err);
        goto fail;
    }
    int connection_limit = parsed.params.connection_limit;
    int pool_timeout_s = parsed.params.pool_timeout_s;
    dburl_free(&parsed);

    sh = calloc(1, sizeof *sh);
    db = calloc(1, sizeof *db);
    if (!sh || !db) {
        err_oom(&connect_err);
        goto fail;
    }
    sh->schema = schema;
    sh->backend = backend;
    sh->url = u;
    u = NULL;
    sh->opts = opts;
    sh->pool_timeout_ms = pool_timeout_s < 0 ? 10000 : pool_timeout_s > INT_MAX / 1000 ? 0 : pool_timeout_s * 1000;
    sh->max_open = (size_t)(opts.pool_size > 0        ? opts.pool_size
                            : connection_limit > 0 ? connection_limit
                                                   : backend_default_pool_size(backend, sh->url));
    sh->idle = calloc(sh->max_open, sizeof *sh->idle);
    if (!sh->idle) {
        err_oom(&connect_err);
        goto fail;
    }
    pthread_mutex_init(&sh->mu, NULL);
    pthread_cond_init(&sh->cv, NULL);
    pthread_cond_init(&sh->watchdog_cv, NULL);
    pthread_cond_init(&sh->watchdog_done_cv, NULL);
    sh->refs = 1;
    db->sh = sh;
    db->id = client_new_id();

    /* Connect once now, so a wrong URL fails here and not at the first query. */
    if (backend->connect(sh->url, opts.connect_timeout_ms, &first, &connect_err) != PRISMA_OK)
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

const prisma_schema_desc *prisma_client_schema(const prisma_client *db)
{
    return db ? db->sh->schema : NULL;
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
        conn_close(sh->idle[i]);
    sh->n_idle = sh->n_open = 0;
    bool wd = sh->watchdog_running;
    pthread_mutex_unlock(&sh->mu);
    if (wd)
        pthread_join(sh->watchdog, NULL);
    client_forget_errors(db);
    free(db);
    shared_release(sh);
}
