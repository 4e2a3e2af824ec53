/* The connection pool: connections handed to operations and taken back. */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
            prisma_conn *c = sh->idle[--sh->n_idle];
            if (backend_idle_alive(sh->backend, c)) {
                *out = c;
                break;
            }
            /* The server ended it while it sat idle: nothing was sent on it,
             * so a fresh one (or another idle one) takes its place. Its
             * prepared statements go with it. */
            sh->n_open--;
            pthread_mutex_unlock(&sh->mu);
            conn_close(c);
            pthread_mutex_lock(&sh->mu);
            continue;
        }
        if (sh->n_open < sh->max_open) {
            sh->n_open++;
            pthread_mutex_unlock(&sh->mu);
            rc = sh->backend->connect(sh->url, sh->opts.connect_timeout_ms, out, err);
            pthread_mutex_lock(&sh->mu);
            if (rc != PRISMA_OK) {
                sh->n_open--;
                pthread_cond_broadcast(&sh->cv);
            }
            break;
        }
        sh->n_waiting++;
        int w = wait_ms > 0 ? pthread_cond_timedwait(&sh->cv, &sh->mu, &deadline) : pthread_cond_wait(&sh->cv, &sh->mu);
        sh->n_waiting--;
        if (w == ETIMEDOUT) {
            err_set(err, "P2024",
                    "Timed out fetching a new connection from the connection pool. More info: "
                    "http://pris.ly/d/connection-pool (Current connection pool timeout: %g, connection limit: %zu)",
                    wait_ms / 1000.0, sh->max_open); /* seconds, as Prisma's pool_timeout */
            rc = PRISMA_ERROR;
            break;
        }
    }
    pthread_mutex_unlock(&sh->mu);
    return rc;
}

/* issue 15: failover */
/* A connection came back lost (the server ended it, crashed, or stopped
 * being the primary): it is closed, and so are the idle connections, opened
 * before it was found lost: they most likely went to the same server, and
 * one that is dead but not yet found out (a host gone without closing its
 * sockets) would cost a later call its statement. The next calls connect
 * afresh, and a multi-host url's target_session_attrs finds the current
 * primary. The idle ones are taken out in the same locked section that
 * counts the lost one out (past it, a disconnect may free the pool) and
 * closed outside the lock (closing may talk to the server). */
static void pool_put_lost(client_shared *sh, prisma_conn *lost)
{
    conn_close(lost);
    pthread_mutex_lock(&sh->mu);
    sh->n_open--;
    prisma_conn **stale = NULL;
    size_t n = 0;
    if (!sh->closing && sh->n_idle && (stale = malloc(sh->n_idle * sizeof *stale))) {
        n = sh->n_idle;
        memcpy(stale, sh->idle, n * sizeof *stale);
        sh->n_idle = 0;
        sh->n_open -= n;
    }
    pthread_cond_broadcast(&sh->cv);
    pthread_mutex_unlock(&sh->mu);
    for (size_t i = 0; i < n; i++)
        conn_close(stale[i]);
    free(stale);
}

void pool_put(client_shared *sh, prisma_conn *c)
{
    if (!c)
        return;
    if (c->broken) {
        pool_put_lost(sh, c); /* issue 15: failover */
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
    return pool_get(db->sh, db->sh->pool_timeout_ms, out, err);
}

void client_release(prisma_client *db, prisma_conn *c)
{
    if (db->is_tx) {
        tx_leave(db);
        return;
    }
    pool_put(db->sh, c);
}
