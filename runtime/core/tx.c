/* Transactions: interactive (prisma_transaction), manual (begin / commit /
 * rollback), nested ones as savepoints, timeouts enforced by a watchdog,
 * retries of write conflicts, and hooks.
 *
 * Every statement on a transaction holds the top-level transaction's lock
 * and checks its state first; the watchdog takes the same lock to roll back
 * an expired transaction (after cancelling the statement running on it). So
 * once a transaction is rolled back, nothing issued through its handle can
 * reach the database. Lock order: the transaction's lock, then the client's.
 *
 * A lost connection (issue 15: failover; docs/failover.md): a transaction
 * whose connection is lost before COMMIT is sent was not committed (the
 * server rolls back the transaction of a session that ends), so it fails
 * with P1017 and prisma_transaction reruns it with max_retries, on a fresh
 * connection. One lost while COMMIT was on its way has an unknown outcome:
 * it fails with P1017 saying so, and is never rerun. */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TX_ACTIVE, TX_COMMITTED, TX_ROLLED_BACK, TX_EXPIRED };

typedef struct hook {
    prisma_tx_hook fn;
    void *arg;
    bool on_commit;
} hook;

struct tx_state {
    prisma_client client; /* the handle: client.tx points back here */
    tx_state *root;       /* the top-level transaction (itself when top-level) */
    tx_state *parent;     /* the enclosing transaction of a nested one */
    tx_state *child;      /* the nested transaction open on this one */
    int state;
    char savepoint[32];   /* a nested transaction's savepoint */
    hook *hooks;
    size_t n_hooks, cap_hooks;
    /* The top-level transaction only: */
    pthread_mutex_t mu;
    prisma_conn *conn;
    int64_t start_ms, deadline_ms;
    int64_t reported_elapsed_ms; /* frozen at the first report of the expiry */
    int timeout_ms;
    unsigned sp_counter;
    bool commit_unknown;  /* the connection was lost during COMMIT: committed or not, nobody knows */
    tx_state *next_open;  /* in the client's list of open transactions */
    tx_state *nested;     /* every nested transaction made on it, freed with it */
    tx_state *next_nested;
};

static const char *const op_names[] = { "query", "batch query", "commit", "rollback" };
enum { OP_QUERY, OP_BATCH, OP_COMMIT, OP_ROLLBACK };

/* ---- messages ---- */

/* The time passed, counted up to the first attempt that finds the
 * transaction expired, and the same for every later one. */
static int64_t expired_elapsed(tx_state *r)
{
    if (!r->reported_elapsed_ms)
        r->reported_elapsed_ms = clock_mono_ms() - r->start_ms;
    return r->reported_elapsed_ms;
}

static void closed_error(const tx_state *t, int op, prisma_err *err)
{
    tx_state *r = t->root;
    int state = r->state != TX_ACTIVE ? r->state : t->state;
    if (state == TX_EXPIRED)
        err_set(err, "P2028",
                "Transaction API error: Transaction already closed: A %s cannot be executed on an expired transaction. "
                "The timeout for this transaction was %d ms, however %lld ms passed since the start of the "
                "transaction. Consider increasing the interactive transaction timeout or doing less work in the "
                "transaction.",
                op_names[op], r->timeout_ms, (long long)expired_elapsed(r));
    else if (state == TX_COMMITTED)
        err_set(err, "P2028", "Transaction API error: Transaction already closed: A %s cannot be executed on a committed transaction.",
                op_names[op]);
    else
        err_set(err, "P2028",
                "Transaction API error: Transaction already closed: A %s cannot be executed on a transaction that was "
                "rolled back.",
                op_names[op]);
}

/* ---- the open list and the watchdog ---- */

static void unlist(client_shared *sh, tx_state *r)
{
    pthread_mutex_lock(&sh->mu);
    for (tx_state **p = &sh->open_txs; *p; p = &(*p)->next_open)
        if (*p == r) {
            *p = r->next_open;
            break;
        }
    r->next_open = NULL;
    pthread_mutex_unlock(&sh->mu);
}

/* Ends the top-level transaction's hold on its connection. Called with r->mu held. */
static void finish_root(tx_state *r, int state)
{
    client_shared *sh = r->client.sh;
    /* The watchdog reads the state under the client's lock, to pick the next due. */
    pthread_mutex_lock(&sh->mu);
    r->state = state;
    pthread_mutex_unlock(&sh->mu);
    for (tx_state *n = r->nested; n; n = n->next_nested)
        if (n->state == TX_ACTIVE)
            n->state = state == TX_COMMITTED ? TX_COMMITTED : TX_ROLLED_BACK;
    unlist(sh, r);
    pool_put(sh, r->conn);
    r->conn = NULL;
}

/* ROLLBACK on the connection; a connection that cannot roll back is closed,
 * which rolls back on the server. Called with r->mu held. */
static void rollback_conn(tx_state *r)
{
    prisma_err ignored;
    for (int attempt = 0; attempt < 3; attempt++)
        if (sh_tx(r->client.sh, r->conn, TX_ROLLBACK, 0, NULL, 0, &ignored) == PRISMA_OK)
            return;
    r->conn->broken = true;
}

static void run_hooks(tx_state *t, bool committed)
{
    for (size_t i = 0; i < t->n_hooks; i++)
        if (t->hooks[i].on_commit == committed)
            t->hooks[i].fn(t->hooks[i].arg);
    t->n_hooks = 0;
}

/* Rolls back an expired transaction. Called with r->mu held. Returns whether it did. */
static bool expire_locked(tx_state *r)
{
    if (r->state != TX_ACTIVE || clock_mono_ms() < r->deadline_ms)
        return false;
    rollback_conn(r);
    finish_root(r, TX_EXPIRED);
    return true;
}

static void *watchdog_main(void *arg)
{
    client_shared *sh = arg;
    pthread_mutex_lock(&sh->mu);
    while (!sh->closing) {
        tx_state *due = NULL;
        for (tx_state *t = sh->open_txs; t; t = t->next_open)
            if (t->state == TX_ACTIVE && (!due || t->deadline_ms < due->deadline_ms))
                due = t;
        if (!due) {
            sh->watchdog_wake_ms = INT64_MAX;
            pthread_cond_wait(&sh->watchdog_cv, &sh->mu);
            continue;
        }
        int64_t now = clock_mono_ms();
        if (now < due->deadline_ms) {
            sh->watchdog_wake_ms = due->deadline_ms;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64_t wait = due->deadline_ms - now;
            ts.tv_sec += wait / 1000;
            ts.tv_nsec += (long)(wait % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&sh->watchdog_cv, &sh->mu, &ts);
            continue;
        }
        /* Interrupt what runs on it now. The connection cannot go back to
         * the pool meanwhile: that needs this lock to unlist the transaction.
         * Marked as ours, the transaction is not freed until we are done. */
        if (due->conn)
            sh->backend->cancel(due->conn);
        sh->watchdog_current = due;
        pthread_mutex_unlock(&sh->mu);
        pthread_mutex_lock(&due->mu);
        bool expired = expire_locked(due);
        pthread_mutex_unlock(&due->mu);
        if (expired)
            run_hooks(due, false);
        pthread_mutex_lock(&sh->mu);
        sh->watchdog_current = NULL;
        pthread_cond_broadcast(&sh->watchdog_done_cv);
    }
    pthread_mutex_unlock(&sh->mu);
    return NULL;
}

/* Lists a new top-level transaction and makes sure the watchdog runs. */
static int enlist(client_shared *sh, tx_state *r, prisma_err *err)
{
    pthread_mutex_lock(&sh->mu);
    if (!sh->watchdog_running) {
        if (pthread_create(&sh->watchdog, NULL, watchdog_main, sh) != 0) {
            pthread_mutex_unlock(&sh->mu);
            err_set(err, "P2028", "Transaction API error: cannot start the timeout watchdog thread.");
            return PRISMA_ERROR;
        }
        sh->watchdog_running = true;
        sh->watchdog_wake_ms = INT64_MAX;
    }
    r->next_open = sh->open_txs;
    sh->open_txs = r;
    sh->refs++;
    /* Wake the watchdog only if it would sleep past this deadline: a wake-up
     * per transaction would cost a context switch each. */
    if (r->deadline_ms < sh->watchdog_wake_ms) {
        sh->watchdog_wake_ms = r->deadline_ms;
        pthread_cond_signal(&sh->watchdog_cv);
    }
    pthread_mutex_unlock(&sh->mu);
    return PRISMA_OK;
}

void tx_close_all(client_shared *sh)
{
    for (;;) {
        pthread_mutex_lock(&sh->mu);
        tx_state *r = sh->open_txs;
        pthread_mutex_unlock(&sh->mu);
        if (!r)
            return;
        pthread_mutex_lock(&r->mu);
        if (r->state == TX_ACTIVE) {
            rollback_conn(r);
            finish_root(r, TX_ROLLED_BACK);
        } else {
            unlist(sh, r);
        }
        pthread_mutex_unlock(&r->mu);
        run_hooks(r, false);
    }
}

/* ---- statements on a transaction ---- */

/* Whether `t` can run operation `op` now. Called with the root's lock held. */
static int usable(tx_state *t, int op, prisma_err *err)
{
    tx_state *r = t->root;
    expire_locked(r); /* found expired before the watchdog could act */
    if (r->state != TX_ACTIVE || t->state != TX_ACTIVE) {
        closed_error(t, op, err);
        return PRISMA_ERROR;
    }
    if (t->child && t->child->state == TX_ACTIVE) {
        err_set(err, "P2028",
                "Transaction API error: A %s cannot be executed on a transaction while a nested transaction is still "
                "active.",
                op_names[op]);
        return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

static int enter_as(prisma_client *db, int op, prisma_conn **out, prisma_err *err)
{
    tx_state *t = db->tx, *r = t->root;
    pthread_mutex_lock(&r->mu);
    if (usable(t, op, err) != PRISMA_OK) {
        pthread_mutex_unlock(&r->mu);
        return PRISMA_ERROR;
    }
    *out = r->conn;
    return PRISMA_OK;
}

int tx_enter(prisma_client *db, prisma_conn **out, prisma_err *err)
{
    return enter_as(db, OP_QUERY, out, err);
}

int tx_enter_batch(prisma_client *db, prisma_conn **out, prisma_err *err)
{
    return enter_as(db, OP_BATCH, out, err);
}

bool tx_expired(prisma_client *tx, bool batch, prisma_err *err)
{
    if (!tx || !tx->is_tx)
        return false;
    tx_state *t = tx->tx, *r = t->root;
    pthread_mutex_lock(&r->mu);
    expire_locked(r);
    bool expired = r->state == TX_EXPIRED;
    if (expired)
        closed_error(t, batch ? OP_BATCH : OP_QUERY, err);
    pthread_mutex_unlock(&r->mu);
    return expired;
}

void tx_leave(prisma_client *db)
{
    pthread_mutex_unlock(&db->tx->root->mu);
}

/* ---- begin ---- */

static tx_state *new_state(client_shared *sh)
{
    tx_state *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->client.sh = sh;
    t->client.is_tx = true;
    t->client.tx = t;
    t->client.id = client_new_id();
    t->state = TX_ACTIVE;
    return t;
}

static int begin_nested(prisma_client *db, int op, prisma_client **out, prisma_err *err)
{
    tx_state *p = db->tx, *r = p->root;
    pthread_mutex_lock(&r->mu);
    int rc = PRISMA_ERROR;
    if (usable(p, op, err) != PRISMA_OK) {
        if (p->child && p->child->state == TX_ACTIVE)
            err_set(err, "P2028", "Transaction API error: Concurrent nested transactions are not supported.");
        goto done;
    }
    tx_state *c = new_state(db->sh);
    if (!c) {
        err_oom(err);
        goto done;
    }
    /* Prisma 7's savepoint names: prisma_sp_<n>, counted per transaction. */
    snprintf(c->savepoint, sizeof c->savepoint, "prisma_sp_%u", r->sp_counter++);
    if (sh_tx(db->sh, r->conn, TX_SAVEPOINT, 0, c->savepoint, 0, err) != PRISMA_OK) {
        free(c);
        goto done;
    }
    c->root = r;
    c->parent = p;
    p->child = c;
    c->next_nested = r->nested;
    r->nested = c;
    *out = &c->client;
    rc = PRISMA_OK;
done:
    pthread_mutex_unlock(&r->mu);
    return rc;
}

int tx_params_of(client_shared *sh, const prisma_tx_options *opts, tx_params *out, prisma_err *err)
{
    int max_wait = opts && opts->max_wait_ms ? opts->max_wait_ms : sh->opts.max_wait_ms;
    int timeout = opts && opts->timeout_ms ? opts->timeout_ms : sh->opts.timeout_ms;
    prisma_isolation iso = opts && opts->isolation ? opts->isolation : sh->opts.isolation;
    *out = (tx_params){ max_wait, timeout, iso };
    if (max_wait <= 0 || timeout <= 0) {
        err_set(err, "P2028", "Transaction API error: Invalid value %d for %s. %s needs to be greater than 0",
                max_wait <= 0 ? max_wait : timeout, max_wait <= 0 ? "maxWait" : "timeout",
                max_wait <= 0 ? "maxWait" : "timeout");
        return PRISMA_ERROR;
    }
    if ((int)iso < 0 || iso > PRISMA_SERIALIZABLE) {
        err_set(err, "P2023", "Inconsistent column data: Conversion failed: Invalid isolation level `%d`", (int)iso);
        return PRISMA_ERROR;
    }
    if (!backend_isolation_ok(sh->backend, iso)) {
        err_set(err, "P2023", "Error in connector: Conversion error: %s. %s", backend_isolation_sql(iso),
                sh->backend->isolation_note ? sh->backend->isolation_note : "The database does not support it.");
        return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

int tx_conn_get(client_shared *sh, int max_wait, prisma_conn **out, prisma_err *err)
{
    if (pool_get(sh, max_wait, out, err) == PRISMA_OK)
        return PRISMA_OK;
    if (strcmp(err->code, "P2024") == 0)
        err_set(err, "P2028",
                "Transaction API error: Unable to start a transaction in the given time. No connection was free in "
                "the pool (connection limit %zu) within max_wait %d ms.",
                sh->primary.max_open, max_wait); /* issue 15: replicas */
    return PRISMA_ERROR;
}

static int begin_top(prisma_client *db, const prisma_tx_options *opts, prisma_client **out, prisma_err *err)
{
    client_shared *sh = db->sh;
    tx_params tp;
    if (tx_params_of(sh, opts, &tp, err) != PRISMA_OK)
        return PRISMA_ERROR;
    int max_wait = tp.max_wait_ms, timeout = tp.timeout_ms;
    prisma_isolation iso = tp.isolation;
    int64_t asked = clock_mono_ms();
    prisma_conn *conn;
    if (tx_conn_get(sh, max_wait, &conn, err) != PRISMA_OK)
        return PRISMA_ERROR;
    /* A backend whose BEGIN takes a lock (SQLite's BEGIN IMMEDIATE, the write
     * lock) waits for it what is left of max_wait. */
    int64_t left = max_wait - (clock_mono_ms() - asked);
    int rc = sh_tx(sh, conn, TX_BEGIN, iso, NULL, left > 0 ? (int)left : 1, err);
    if (rc != PRISMA_OK && strcmp(err->code, "P2034") == 0)
        err_set(err, "P2028",
                "Transaction API error: Unable to start a transaction in the given time. The database was locked "
                "by another writer for all of max_wait %d ms.",
                max_wait);
    if (rc != PRISMA_OK) {
        pool_put(sh, conn);
        return PRISMA_ERROR;
    }
    tx_state *r = new_state(sh);
    if (!r) {
        prisma_err ignored;
        sh_tx(sh, conn, TX_ROLLBACK, 0, NULL, 0, &ignored);
        pool_put(sh, conn);
        err_oom(err);
        return PRISMA_ERROR;
    }
    pthread_mutex_init(&r->mu, NULL);
    r->root = r;
    r->conn = conn;
    /* The time taken counts from the request, the wait for a connection included (as Prisma 7). */
    r->start_ms = asked;
    r->timeout_ms = timeout;
    r->deadline_ms = r->start_ms + timeout;
    if (enlist(sh, r, err) != PRISMA_OK) {
        prisma_err ignored;
        sh_tx(sh, conn, TX_ROLLBACK, 0, NULL, 0, &ignored);
        pool_put(sh, conn);
        pthread_mutex_destroy(&r->mu);
        free(r);
        return PRISMA_ERROR;
    }
    *out = &r->client;
    return PRISMA_OK;
}

int prisma_tx_begin(prisma_client *db, const prisma_tx_options *opts, prisma_client **tx)
{
    if (!db || !tx) {
        if (db)
            client_fail(db, "P2009", "prisma_tx_begin: the output pointer is NULL");
        return PRISMA_ERROR;
    }
    *tx = NULL;
    prisma_err err;
    err_clear(&err);
    int rc = db->is_tx ? begin_nested(db, OP_QUERY, tx, &err) : begin_top(db, opts, tx, &err);
    if (rc == PRISMA_OK)
        client_clear_error(db);
    else
        client_set_error(db, &err);
    return rc;
}

int tx_begin_batch(prisma_client *db, const prisma_tx_options *opts, prisma_client **tx, prisma_err *err)
{
    *tx = NULL;
    return db->is_tx ? begin_nested(db, OP_BATCH, tx, err) : begin_top(db, opts, tx, err);
}

/* ---- commit and rollback ---- */

static void hand_hooks_to_parent(tx_state *t)
{
    tx_state *p = t->parent;
    for (size_t i = 0; i < t->n_hooks; i++)
        tx_hook_add(&p->client, t->hooks[i].fn, t->hooks[i].arg, t->hooks[i].on_commit);
    t->n_hooks = 0;
}

/* Rolls back the whole top-level transaction because `t` broke the rules. Called with r->mu held. */
static void abort_all_locked(tx_state *r)
{
    if (r->state == TX_ACTIVE) {
        rollback_conn(r);
        finish_root(r, TX_ROLLED_BACK);
    }
}

static int end_tx(prisma_client *tx, bool commit)
{
    if (!tx || !tx->is_tx) {
        if (tx)
            client_fail(tx, "P2028", "Transaction API error: this client is not a transaction.");
        return PRISMA_ERROR;
    }
    tx_state *t = tx->tx, *r = t->root;
    client_shared *sh = tx->sh;
    prisma_err err;
    err_clear(&err);
    int rc = PRISMA_ERROR;
    bool run_commit_hooks = false, run_rollback_hooks = false;
    pthread_mutex_lock(&r->mu);
    int op = commit ? OP_COMMIT : OP_ROLLBACK;
    if (expire_locked(r))
        run_rollback_hooks = true;
    if (r->state != TX_ACTIVE || t->state != TX_ACTIVE) {
        closed_error(t, op, &err);
        goto done;
    }
    if (t->child && t->child->state == TX_ACTIVE) {
        /* Closing out of order: Prisma rolls everything back. */
        err_set(&err, "P2028",
                t->parent ? "Transaction API error: Nested transactions must be closed in reverse order of creation."
                          : "Transaction API error: Cannot close transaction while a nested transaction is still active.");
        abort_all_locked(r);
        run_rollback_hooks = true;
        goto done;
    }
    if (t->parent) {
        if (commit) {
            rc = sh_tx(sh, r->conn, TX_RELEASE, 0, t->savepoint, 0, &err);
        } else {
            rc = sh_tx(sh, r->conn, TX_ROLLBACK_TO, 0, t->savepoint, 0, &err);
            if (rc == PRISMA_OK)
                rc = sh_tx(sh, r->conn, TX_RELEASE, 0, t->savepoint, 0, &err);
        }
        t->state = commit && rc == PRISMA_OK ? TX_COMMITTED : TX_ROLLED_BACK;
        t->parent->child = NULL;
        if (t->state == TX_COMMITTED)
            hand_hooks_to_parent(t);
        else
            run_rollback_hooks = true;
        goto done;
    }
    if (commit && (r->conn->broken || !backend_idle_alive(sh->backend, r->conn))) {
        /* Lost before COMMIT was sent (found then, or the server's goodbye
         * already waits on the socket: one poll, no round trip): the server
         * rolled it back when the session ended. Nothing is unknown. */
        r->conn->broken = true;
        err_set(&err, "P1017", "Server has closed the connection.");
        finish_root(r, TX_ROLLED_BACK);
        run_rollback_hooks = true;
        rc = PRISMA_ERROR;
    } else if (commit && sh->backend->tx_aborted(r->conn)) {
        /* An error already ended or poisoned it: COMMIT would commit nothing. */
        err_set(&err, "P2028",
                "Transaction API error: Transaction already closed: A commit cannot be executed on a transaction that "
                "was rolled back. An earlier error aborted it in the database; nothing was committed.");
        rollback_conn(r);
        finish_root(r, TX_ROLLED_BACK);
        run_rollback_hooks = true;
        rc = PRISMA_ERROR;
    } else if (commit) {
        rc = sh_tx(sh, r->conn, TX_COMMIT, 0, NULL, 0, &err);
        if (rc != PRISMA_OK && r->conn->broken) {
            /* Lost with COMMIT on its way: the server may have committed
             * before it went, or not. Rerunning could apply it twice, so it
             * is not retried; the caller must look. Neither hook runs. */
            r->commit_unknown = true;
            err_set(&err, "P1017",
                    "Server has closed the connection while the transaction was committing: whether it was "
                    "committed is unknown. It is not retried: check whether its writes are in the database before "
                    "running it again.");
            finish_root(r, TX_ROLLED_BACK);
        } else if (rc != PRISMA_OK) {
            /* A failed COMMIT (a serialization failure, say) leaves nothing committed. */
            rollback_conn(r);
            finish_root(r, TX_ROLLED_BACK);
            run_rollback_hooks = true;
        } else {
            finish_root(r, TX_COMMITTED);
            run_commit_hooks = true;
        }
    } else {
        rollback_conn(r);
        finish_root(r, TX_ROLLED_BACK);
        run_rollback_hooks = true;
        rc = PRISMA_OK;
    }
done:
    pthread_mutex_unlock(&r->mu);
    if (run_commit_hooks)
        run_hooks(t, true);
    if (run_rollback_hooks) {
        run_hooks(t, false);
        if (t != r && r->state != TX_ACTIVE)
            run_hooks(r, false);
    }
    if (rc == PRISMA_OK)
        client_clear_error(tx);
    else
        client_set_error(tx, &err);
    return rc;
}

int prisma_tx_commit(prisma_client *tx)
{
    return end_tx(tx, true);
}

int prisma_tx_rollback(prisma_client *tx)
{
    return end_tx(tx, false);
}

void prisma_tx_free(prisma_client *tx)
{
    if (!tx || !tx->is_tx)
        return;
    tx_state *t = tx->tx, *r = t->root;
    pthread_mutex_lock(&r->mu); /* the watchdog may be ending it */
    bool active = t->state == TX_ACTIVE && r->state == TX_ACTIVE;
    pthread_mutex_unlock(&r->mu);
    if (active)
        end_tx(tx, false);
    if (t != r)
        return; /* nested transactions are freed with their top-level one */
    client_shared *sh = tx->sh;
    pthread_mutex_lock(&r->mu);
    if (r->state == TX_ACTIVE)
        abort_all_locked(r);
    pthread_mutex_unlock(&r->mu);
    unlist(sh, r);
    /* The watchdog may still hold it: wait until it lets go. */
    pthread_mutex_lock(&sh->mu);
    while (sh->watchdog_current == r)
        pthread_cond_wait(&sh->watchdog_done_cv, &sh->mu);
    pthread_mutex_unlock(&sh->mu);
    for (tx_state *n = r->nested; n;) {
        tx_state *next = n->next_nested;
        client_clear_error(&n->client);
        free(n->hooks);
        free(n);
        n = next;
    }
    client_clear_error(&r->client);
    pthread_mutex_destroy(&r->mu);
    free(r->hooks);
    free(r);
    shared_release(sh);
}

/* ---- hooks ---- */

int tx_hook_add(prisma_client *tx, prisma_tx_hook fn, void *arg, bool on_commit)
{
    if (!tx || !tx->is_tx || !fn)
        return tx ? client_fail(tx, "P2009", "a hook needs a transaction and a function") : PRISMA_ERROR;
    tx_state *t = tx->tx;
    if (t->n_hooks == t->cap_hooks) {
        size_t cap = t->cap_hooks ? t->cap_hooks * 2 : 4;
        hook *h = realloc(t->hooks, cap * sizeof *h);
        if (!h)
            return client_fail(tx, ERR_OOM_CODE, ERR_OOM_MESSAGE);
        t->hooks = h;
        t->cap_hooks = cap;
    }
    t->hooks[t->n_hooks++] = (hook){ fn, arg, on_commit };
    return PRISMA_OK;
}

/* Under the transaction's lock: threads sharing a transaction may add hooks
 * while others run statements on it (docs/threads.md). */
static int hook_add_locked(prisma_client *tx, prisma_tx_hook fn, void *arg, bool on_commit)
{
    if (!tx || !tx->is_tx)
        return tx_hook_add(tx, fn, arg, on_commit);
    tx_state *r = tx->tx->root;
    pthread_mutex_lock(&r->mu);
    int rc = tx_hook_add(tx, fn, arg, on_commit);
    pthread_mutex_unlock(&r->mu);
    return rc;
}

int prisma_tx_on_commit(prisma_client *tx, prisma_tx_hook fn, void *arg)
{
    return hook_add_locked(tx, fn, arg, true);
}

int prisma_tx_on_rollback(prisma_client *tx, prisma_tx_hook fn, void *arg)
{
    return hook_add_locked(tx, fn, arg, false);
}

/* ---- interactive transactions ---- */

int prisma_fail(prisma_client *tx, const char *fmt, ...)
{
    if (!tx)
        return PRISMA_ERROR;
    prisma_err e;
    err_clear(&e);
    snprintf(e.code, sizeof e.code, "USER");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    client_set_error(tx, &e);
    return PRISMA_ERROR;
}

void tx_backoff(int attempt)
{
    static _Thread_local unsigned seed;
    if (!seed)
        seed = (unsigned)clock_mono_ms() ^ (unsigned)(uintptr_t)&seed;
    int base = 5 << (attempt < 8 ? attempt : 8); /* 10, 20, 40 ... ms, capped */
    if (base > 1000)
        base = 1000;
    seed = seed * 1103515245u + 12345u;
    int ms = base / 2 + (int)((seed >> 8) % (unsigned)(base / 2 + 1));
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* issue 15: failover. Whether a failed transaction may run again on a fresh
 * connection: a connection lost before COMMIT was sent (nothing committed),
 * or one that could not be opened at all (nothing sent); never a commit
 * whose outcome is unknown. */
static bool lost_before_commit(const prisma_err *err, bool commit_unknown)
{
    return strcmp(err->code, "P1017") == 0 && !commit_unknown;
}

static bool connect_failed(const prisma_err *err)
{
    return strcmp(err->code, "P1001") == 0 || strcmp(err->code, "P1002") == 0;
}

/* A write refused because the server is read-only (25006): the connection
 * reached a standby (a pooler's choice, a url without target_session_attrs,
 * a server whose default_transaction_read_only was turned on).
 * Marked lost, it is closed with the pool's idle ones, and the transaction
 * runs again where target_session_attrs finds the primary. */
static void drop_if_read_only(tx_state *r, const prisma_err *err)
{
    if (strcmp(err->db_code, "25006") != 0)
        return;
    pthread_mutex_lock(&r->mu);
    if (r->state == TX_ACTIVE && r->conn)
        r->conn->broken = true;
    pthread_mutex_unlock(&r->mu);
}

int prisma_transaction(prisma_client *db, prisma_tx_fn fn, void *arg, const prisma_tx_options *opts)
{
    if (!db)
        return PRISMA_ERROR;
    if (!fn)
        return client_fail(db, "P2009", "prisma_transaction: the callback is NULL");
    int retries = opts && opts->max_retries > 0 && !db->is_tx ? opts->max_retries : 0;
    for (int attempt = 0;; attempt++) {
        prisma_client *tx;
        if (prisma_tx_begin(db, opts, &tx) != PRISMA_OK) {
            /* No connection could be opened (a failover under way): nothing was sent. */
            prisma_err berr;
            if (attempt < retries && client_get_error(db, &berr) && connect_failed(&berr)) {
                tx_backoff(attempt + 1);
                continue;
            }
            return PRISMA_ERROR;
        }
        tx_state *t = tx->tx, *r = t->root;
        int rc = fn(tx, arg);
        bool callback_ok = rc == PRISMA_OK;
        prisma_err err;
        err_clear(&err);
        if (rc == PRISMA_OK) {
            rc = prisma_tx_commit(tx);
            client_get_error(tx, &err);
        } else {
            /* The callback's error, as it left it on the handle. */
            if (!client_get_error(tx, &err))
                err_set(&err, "USER", "The transaction callback failed (it returned %d).", rc);
            if (t == r)
                drop_if_read_only(r, &err);
            prisma_tx_rollback(tx);
            rc = PRISMA_ERROR;
        }
        /* A statement cancelled by the timeout reports the expiry, not the
         * cancellation; the callback's own P2028 and user errors stay as they are. */
        if (rc != PRISMA_OK && !callback_ok && r->state == TX_EXPIRED && strcmp(err.code, "USER") != 0 &&
            strcmp(err.code, "P2028") != 0)
            closed_error(t, OP_QUERY, &err);
        bool rerun = sh_retryable(db->sh, err.code, err.db_code) || lost_before_commit(&err, r->commit_unknown) ||
                     (!callback_ok && strcmp(err.db_code, "25006") == 0);
        if (t == r)
            prisma_tx_free(tx);
        if (rc == PRISMA_OK) {
            client_clear_error(db);
            return PRISMA_OK;
        }
        client_set_error(db, &err);
        if (attempt < retries && rerun) {
            tx_backoff(attempt + 1);
            continue;
        }
        return PRISMA_ERROR;
    }
}
