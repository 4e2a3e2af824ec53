/* The connection pools (the primary's and each read replica's): connections
 * handed to operations and taken back, and the choice of a replica for a read. */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- a pool ---- */

int pool_init(conn_pool *p, char *url, int replica, size_t max_open)
{
    memset(p, 0, sizeof *p);
    p->url = url;
    p->replica = replica;
    p->max_open = max_open ? max_open : 1;
    p->idle = calloc(p->max_open, sizeof *p->idle);
    if (!p->idle)
        return PRISMA_ERROR;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    atomic_init(&p->down_until_ms, 0);
    atomic_init(&p->failures, 0);
    return PRISMA_OK;
}

void pool_destroy(conn_pool *p)
{
    if (!p->idle) {
        free(p->url);
        return;
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->idle);
    free(p->url);
    p->idle = NULL;
    p->url = NULL;
}

void pool_close(conn_pool *p)
{
    if (!p->idle)
        return;
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    pthread_cond_broadcast(&p->cv);
    /* Connections in use are closed when their operations give them back. */
    while (p->n_idle < p->n_open) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&p->cv, &p->mu, &ts);
    }
    for (size_t i = 0; i < p->n_idle; i++)
        conn_close(p->idle[i]);
    p->n_idle = p->n_open = 0;
    pthread_mutex_unlock(&p->mu);
}

void pool_drop_idle(conn_pool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->n_idle;
    prisma_conn **dead = n ? malloc(n * sizeof *dead) : NULL;
    if (dead) {
        memcpy(dead, p->idle, n * sizeof *dead);
        p->n_idle = 0;
        p->n_open -= n;
        pthread_cond_broadcast(&p->cv); /* room to open fresh ones */
    }
    pthread_mutex_unlock(&p->mu);
    /* Out of memory: they stay, and pool_take's liveness check finds them. */
    for (size_t i = 0; dead && i < n; i++)
        conn_close(dead[i]);
    free(dead);
}

/* Takes a connection from p, waiting at most wait_ms (0: as long as it takes). */
static int pool_take(const client_shared *sh, conn_pool *p, int wait_ms, prisma_conn **out, prisma_err *err)
{
    int rc = PRISMA_OK;
    pthread_mutex_lock(&p->mu);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += wait_ms / 1000;
    deadline.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    for (;;) {
        if (p->closing) {
            err_set(err, "P1017", "Server has closed the connection: the client is disconnecting.");
            rc = PRISMA_ERROR;
            break;
        }
        if (p->n_idle) {
            prisma_conn *c = p->idle[--p->n_idle];
            if (backend_idle_alive(sh->backend, c)) {
                *out = c;
                break;
            }
            /* The server ended it while it sat idle: nothing was sent on it,
             * so a fresh one (or another idle one) takes its place. Its
             * prepared statements go with it. */
            p->n_open--;
            pthread_mutex_unlock(&p->mu);
            conn_close(c);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        if (p->n_open < p->max_open) {
            p->n_open++;
            pthread_mutex_unlock(&p->mu);
            rc = sh->backend->connect(p->url, sh->opts.connect_timeout_ms, out, err);
            pthread_mutex_lock(&p->mu);
            if (rc != PRISMA_OK) {
                p->n_open--;
                pthread_cond_broadcast(&p->cv);
            } else {
                (*out)->pool = p;
            }
            break;
        }
        p->n_waiting++;
        int w = wait_ms > 0 ? pthread_cond_timedwait(&p->cv, &p->mu, &deadline) : pthread_cond_wait(&p->cv, &p->mu);
        p->n_waiting--;
        if (w == ETIMEDOUT) {
            err_set(err, "P2024",
                    "Timed out fetching a new connection from the connection pool. More info: "
                    "http://pris.ly/d/connection-pool (Current connection pool timeout: %g, connection limit: %zu)",
                    wait_ms / 1000.0, p->max_open); /* seconds, as Prisma's pool_timeout */
            rc = PRISMA_ERROR;
            break;
        }
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

int pool_get(client_shared *sh, int wait_ms, prisma_conn **out, prisma_err *err)
{
    return pool_take(sh, &sh->primary, wait_ms, out, err);
}

/* issue 15: failover */
/* A connection came back lost (the server ended it, crashed, or stopped
 * being the primary): it is closed, and so are its pool's idle connections,
 * opened before it was found lost: they most likely went to the same
 * server, and one that is dead but not yet found out (a host gone without
 * closing its sockets) would cost a later call its statement. The next calls
 * connect afresh, and a multi-host url's target_session_attrs finds the
 * current primary. The idle ones are taken out in the same locked section
 * that counts the lost one out (past it, a disconnect may free the pool) and
 * closed outside the lock (closing may talk to the server). */
static void pool_put_lost(conn_pool *p, prisma_conn *lost)
{
    conn_close(lost);
    pthread_mutex_lock(&p->mu);
    p->n_open--;
    prisma_conn **stale = NULL;
    size_t n = 0;
    if (!p->closing && p->n_idle && (stale = malloc(p->n_idle * sizeof *stale))) {
        n = p->n_idle;
        memcpy(stale, p->idle, n * sizeof *stale);
        p->n_idle = 0;
        p->n_open -= n;
    }
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < n; i++)
        conn_close(stale[i]);
    free(stale);
}

void pool_put(client_shared *sh, prisma_conn *c)
{
    if (!c)
        return;
    conn_pool *p = c->pool ? c->pool : &sh->primary;
    if (c->broken) {
        /* Lost or unusable: closed, and its place in the pool freed; a
         * lost connection says the server may be gone, so may its idle ones. */
        pool_put_lost(p, c); /* issue 15: failover */
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->idle[p->n_idle++] = c;
    if (p->n_waiting || p->closing)
        pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* ---- replicas: up, down, and the back-off ---- */

/* The first retry of a replica that failed comes after REPLICA_BACKOFF_MS,
 * doubling with each failure in a row up to REPLICA_BACKOFF_MAX_MS. */
enum { REPLICA_BACKOFF_MS = 500, REPLICA_BACKOFF_MAX_MS = 8000 };

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t replica_backoff_ms(int failures)
{
    int64_t ms = REPLICA_BACKOFF_MS;
    for (int i = 1; i < failures && ms < REPLICA_BACKOFF_MAX_MS; i++)
        ms *= 2;
    return ms < REPLICA_BACKOFF_MAX_MS ? ms : REPLICA_BACKOFF_MAX_MS;
}

void pool_mark_down(conn_pool *p)
{
    /* The first failure of an outage starts the back-off; the others (the
     * readers that were on it too, a retry that failed, whose claim already
     * moved the time on) find it down and leave the time as it is. */
    int64_t now = monotonic_ms(), until = atomic_load(&p->down_until_ms);
    if (until == 0 || until <= now) {
        int failures = atomic_fetch_add(&p->failures, 1) + 1;
        atomic_store(&p->down_until_ms, now + replica_backoff_ms(failures));
    }
    pool_drop_idle(p);
}

static void replica_mark_up(conn_pool *p)
{
    if (atomic_load(&p->down_until_ms) || atomic_load(&p->failures)) {
        atomic_store(&p->failures, 0);
        atomic_store(&p->down_until_ms, 0);
    }
}

/* Whether a read may use replica p now: it is up, or its back-off is over and
 * this caller won the retry (the others keep skipping it meanwhile). */
static bool replica_usable(conn_pool *p, int64_t now)
{
    int64_t until = atomic_load(&p->down_until_ms);
    if (until == 0)
        return true;
    if (now < until)
        return false;
    /* The retry is counted as the next failure until a connection succeeds
     * (replica_mark_up): each failed retry doubles the back-off. */
    int64_t next = now + replica_backoff_ms(atomic_load(&p->failures) + 1);
    if (!atomic_compare_exchange_strong(&p->down_until_ms, &until, next))
        return false;
    atomic_fetch_add(&p->failures, 1);
    return true;
}

/* A random number for the replica choice: per thread, no lock. */
static uint32_t replica_random(void)
{
    static _Thread_local uint64_t state;
    if (!state) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&state;
        state |= 1;
    }
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)(state >> 32);
}

/* ---- what an operation gets ---- */

int client_acquire(prisma_client *db, prisma_conn **out, prisma_err *err)
{
    if (db->is_tx)
        return tx_enter(db, out, err);
    return pool_get(db->sh, db->sh->pool_timeout_ms, out, err);
}

int client_acquire_read(prisma_client *db, prisma_conn **out, prisma_err *err)
{
    client_shared *sh = db->sh;
    if (db->is_tx || db->on_primary || !sh->n_replicas)
        return client_acquire(db, out, err);
    /* From a random start, every replica once; the primary when none answers. */
    size_t n = sh->n_replicas, start = replica_random() % n;
    int64_t now = monotonic_ms();
    for (size_t k = 0; k < n; k++) {
        conn_pool *p = &sh->replicas[(start + k) % n];
        if (!replica_usable(p, now))
            continue;
        prisma_err why;
        err_clear(&why);
        if (pool_take(sh, p, sh->pool_timeout_ms, out, &why) == PRISMA_OK) {
            replica_mark_up(p);
            return PRISMA_OK;
        }
        /* A full pool is the caller's limit, as on the primary: P2024. */
        if (strcmp(why.code, "P2024") == 0) {
            *err = why;
            return PRISMA_ERROR;
        }
        /* Cannot connect: down for a while, and the read goes elsewhere. */
        pool_mark_down(p);
    }
    return pool_get(sh, sh->pool_timeout_ms, out, err);
}

void client_release(prisma_client *db, prisma_conn *c)
{
    if (db->is_tx) {
        tx_leave(db);
        return;
    }
    pool_put(db->sh, c);
}
