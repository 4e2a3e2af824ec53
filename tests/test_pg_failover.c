/* Failover (issue 15): one client on a multi-host url keeps working while
 * its primary is replaced, ten times, under load.
 *
 * A primary and a streaming standby (tests/support/pgserver.h), with
 * synchronous replication: a commit is acknowledged once the standby has
 * it. The client opens
 *   postgresql://prismac@127.0.0.1:A,127.0.0.1:B/postgres?target_session_attrs=read-write
 * and 8 threads run W4 bank transfers (../shared/bench/WORKLOAD.md: in one
 * interactive transaction, decrement the sender by 1, refuse a negative
 * balance, increment the receiver by 1) between random accounts, each also
 * writing a Ledger row with the transfer's unique id, with max_retries on.
 * Meanwhile, ten times: the primary is stopped (fast shutdown on even
 * rounds, immediate, as a crash, on odd ones), the standby promoted, the
 * old primary rebuilt as the new one's standby, and synchronous replication
 * turned on again on the new primary. Then:
 *   - the total balance is what it was, and every balance is its start plus
 *     what the ledger says came in and went out (nothing half-done);
 *   - every transfer acknowledged as committed is in the ledger (nothing
 *     committed is lost), and every one reported failed is not, except the
 *     ones whose commit was reported unknown (P1017, lost during COMMIT);
 *   - every failure surfaced carries a retryable code (P1017, P2034; P1001
 *     when no server took the connection through all the retries);
 *   - transfers were acknowledged after every failover (the client was
 *     never restarted).
 * Last, a transaction's write on the standby (a url without
 * target_session_attrs) is refused with 25006 and rerun max_retries times.
 * Prints one summary line. argv: PRISMAC SCHEMA (the bank schema). */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include TEST_CLIENT_H
#include "pgserver.h"
#include "testdb.h"

enum { THREADS = 8, ACCOUNTS = 200, START_BALANCE = 1000, ROUNDS = 10, TRAFFIC_MS = 1500 };

#define FAIL(...)                                                                                                      \
    do {                                                                                                               \
        fprintf(stderr, "test_pg_failover: " __VA_ARGS__);                                                             \
        fputc('\n', stderr);                                                                                           \
        exit(1);                                                                                                       \
    } while (0)

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Runs admin SQL on one server; its first value (static), or exits. */
static const char *admin(const pgserver *s, const char *sql)
{
    static char value[256];
    PGconn *pg = PQconnectdb(pgserver_url(s));
    if (PQstatus(pg) != CONNECTION_OK)
        FAIL("admin connection to %s: %s", pgserver_url(s), PQerrorMessage(pg));
    PGresult *res = PQexec(pg, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        FAIL("%s: %s", sql, PQerrorMessage(pg));
    snprintf(value, sizeof value, "%s", st == PGRES_TUPLES_OK && PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    PQfinish(pg);
    return value;
}

/* Synchronous replication on the primary, once its standby streams: from
 * then on a commit is acknowledged only when the standby has flushed it. */
static void make_synchronous(const pgserver *primary)
{
    admin(primary, "ALTER SYSTEM SET synchronous_standby_names = '*'");
    admin(primary, "SELECT pg_reload_conf()");
    int64_t deadline = now_ms() + 30000;
    while (strcmp(admin(primary, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'"), "1") != 0) {
        if (now_ms() > deadline)
            FAIL("the standby did not become synchronous within 30 s");
        sleep_ms(20);
    }
}

/* ---- the workers ---- */

typedef struct outcome {
    char id[24];
    int from, to;
    int round; /* failovers done when it ended */
    char code[16];
    bool unknown; /* P1017 during COMMIT */
} outcome;

typedef struct worker {
    int index;
    unsigned seed;
    outcome *log;
    size_t n, cap;
    size_t attempts;
    char odd_message[256];
} worker;

static prisma_client *db;
static int32_t account_ids[ACCOUNTS];
static atomic_bool stop;
static atomic_int rounds_done;

typedef struct transfer_ctx {
    outcome *o;
    worker *w;
} transfer_ctx;

/* W4, and its ledger row. */
static int transfer(prisma_client *tx, void *arg)
{
    transfer_ctx *t = arg;
    outcome *o = t->o;
    t->w->attempts++;
    User *sender = NULL;
    int rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(account_ids[o->from]) },
                         &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(1) } }, &sender);
    if (rc != PRISMA_OK)
        return rc;
    int64_t balance = sender->balance;
    user_free(sender);
    if (balance < 0)
        return prisma_fail(tx, "insufficient funds");
    rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(account_ids[o->to]) },
                     &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    return ledger_create(tx,
                         &(LedgerCreateInput){ .id = o->id,
                                               .fromId = PRISMA_INT(account_ids[o->from]),
                                               .toId = PRISMA_INT(account_ids[o->to]),
                                               .amount = PRISMA_INT(1) },
                         NULL);
}

static void *run_worker(void *p)
{
    worker *w = p;
    prisma_tx_options opts = { .max_wait_ms = 10000, .timeout_ms = 10000, .max_retries = 12 };
    for (int seq = 0; !atomic_load(&stop); seq++) {
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 1024;
            outcome *l = realloc(w->log, cap * sizeof *l);
            if (!l)
                FAIL("out of memory");
            w->log = l;
            w->cap = cap;
        }
        outcome *o = &w->log[w->n++];
        memset(o, 0, sizeof *o);
        snprintf(o->id, sizeof o->id, "T%d-%d", w->index, seq);
        o->from = rand_r(&w->seed) % ACCOUNTS;
        o->to = (o->from + 1 + rand_r(&w->seed) % (ACCOUNTS - 1)) % ACCOUNTS;
        transfer_ctx t = { o, w };
        int rc = prisma_transaction(db, transfer, &t, &opts);
        o->round = atomic_load(&rounds_done);
        if (rc == PRISMA_OK) {
            snprintf(o->code, sizeof o->code, "OK");
        } else {
            const char *code = prisma_error_code(db);
            const char *msg = prisma_error_message(db);
            snprintf(o->code, sizeof o->code, "%s", code ? code : "-");
            o->unknown = code && strcmp(code, "P1017") == 0 && msg && strstr(msg, "unknown");
            if (!w->odd_message[0] && (!code || (strcmp(code, "P1017") != 0 && strcmp(code, "P2034") != 0)))
                snprintf(w->odd_message, sizeof w->odd_message, "%s: %s", code ? code : "-", msg ? msg : "");
        }
    }
    return NULL;
}

/* A write on a standby: refused with 25006 each time it runs. */
static int write_on_standby(prisma_client *tx, void *arg)
{
    (*(int *)arg)++;
    return user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(account_ids[0]) },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(0) } }, NULL);
}

/* A client whose url reaches only the standby (no target_session_attrs): a
 * transaction's write refused as read-only (25006) drops the connection and
 * runs again on a fresh one, max_retries times, then fails with that error. */
static void read_only_server_is_retried(const pgserver *standby)
{
    prisma_client *c = NULL;
    if (prisma_connect(&c, pgserver_url(standby)) != PRISMA_OK)
        FAIL("connect to the standby: %s", prisma_last_connect_error());
    int runs = 0;
    prisma_tx_options opts = { .max_retries = 2 };
    if (prisma_transaction(c, write_on_standby, &runs, &opts) == PRISMA_OK)
        FAIL("a write on the standby committed");
    const char *db_code = prisma_error_db_code(c);
    if (!db_code || strcmp(db_code, "25006") != 0 || runs != 3)
        FAIL("a write on the standby: %s / %s after %d runs, not 25006 after 3", prisma_error_code(c),
             db_code ? db_code : "-", runs);
    prisma_disconnect(c);
}

static int cmp_row(const void *a, const void *b)
{
    return strcmp((*(const Ledger *const *)a)->id, (*(const Ledger *const *)b)->id);
}

static int cmp_key(const void *key, const void *row)
{
    return strcmp(key, (*(const Ledger *const *)row)->id);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_pg_failover PRISMAC SCHEMA\n");
        return 2;
    }
    if (getenv("PRISMAC_SKIP_POSTGRES") && strcmp(getenv("PRISMAC_SKIP_POSTGRES"), "1") == 0) {
        printf("test_pg_failover: skipped (PRISMAC_SKIP_POSTGRES=1)\n");
        return 77;
    }
    int64_t t0 = now_ms();
    char err[4096];
    pgserver *a = NULL, *b = NULL;
    if (pgserver_start(&a, err, sizeof err) != 0)
        FAIL("primary: %s", err);
    /* Acknowledged means replicated: the servers run with synchronous_commit=off. */
    admin(a, "ALTER ROLE " PGSERVER_USER " SET synchronous_commit = on");
    char out[4096];
    const char *push[] = { argv[1], "db", "push", "--schema", argv[2], "--url", pgserver_url(a), "--force-reset", NULL };
    if (testdb_run(push, out, sizeof out) != 0)
        FAIL("prismac db push: %s", out);
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO \"User\" (email, balance) SELECT 'a' || i || '@bank', %d FROM generate_series(1, %d) i",
             START_BALANCE, ACCOUNTS);
    admin(a, sql);
    if (pgserver_start_standby(&b, a, err, sizeof err) != 0)
        FAIL("standby: %s", err);
    /* After the base backup, so that the standby does not inherit it (a
     * promoted server waiting for a standby it does not have would stall). */
    make_synchronous(a);

    char url[512];
    snprintf(url, sizeof url,
             "postgresql://" PGSERVER_USER "@127.0.0.1:%d,127.0.0.1:%d/postgres?target_session_attrs=read-write",
             pgserver_port(a), pgserver_port(b));
    if (prisma_connect_with(&db, url, &(prisma_options){ .pool_size = THREADS }) != PRISMA_OK)
        FAIL("connect %s: %s", url, prisma_last_connect_error());
    UserList *users = NULL;
    if (user_find_many(db, NULL, &users) != PRISMA_OK || users->len != ACCOUNTS)
        FAIL("accounts: %s", prisma_error_message(db));
    for (size_t i = 0; i < users->len; i++)
        account_ids[i] = users->items[i].id;
    user_list_free(users);

    worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){ .index = i, .seed = 7919u * (unsigned)(i + 1) };
        if (pthread_create(&th[i], NULL, run_worker, &w[i]) != 0)
            FAIL("pthread_create");
    }

    /* Ten failovers under load. */
    pgserver *primary = a, *standby = b;
    int64_t switch_ms[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
        sleep_ms(TRAFFIC_MS);
        int64_t s0 = now_ms();
        if (round % 2 == 0)
            pgserver_shutdown(primary); /* planned: the WAL reaches the standby first */
        else
            pgserver_halt(primary); /* a crash: the acknowledged commits are on the standby */
        if (pgserver_promote(standby, err, sizeof err) != 0)
            FAIL("round %d: promote: %s", round, err);
        switch_ms[round] = now_ms() - s0;
        if (pgserver_rebuild_standby(primary, standby, err, sizeof err) != 0)
            FAIL("round %d: rebuild: %s", round, err);
        make_synchronous(standby);
        pgserver *t = primary;
        primary = standby;
        standby = t;
        atomic_store(&rounds_done, round + 1);
    }
    sleep_ms(TRAFFIC_MS);
    atomic_store(&stop, true);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);

    /* What the threads were told. */
    size_t total = 0, acked = 0, unknown = 0, p1017 = 0, p2034 = 0, p1001 = 0, other = 0, attempts = 0;
    size_t acked_in_round[ROUNDS + 1] = { 0 };
    const char *odd = NULL;
    for (int i = 0; i < THREADS; i++) {
        attempts += w[i].attempts;
        if (w[i].odd_message[0] && !odd)
            odd = w[i].odd_message;
        for (size_t k = 0; k < w[i].n; k++) {
            const outcome *o = &w[i].log[k];
            total++;
            if (strcmp(o->code, "OK") == 0) {
                acked++;
                acked_in_round[o->round]++;
            } else if (strcmp(o->code, "P1017") == 0) {
                p1017++;
                unknown += o->unknown;
            } else if (strcmp(o->code, "P2034") == 0) {
                p2034++;
            } else if (strcmp(o->code, "P1001") == 0) {
                p1001++;
            } else {
                other++;
            }
        }
    }

    /* The ledger on the final primary, through the same client. */
    LedgerList *ledger = NULL;
    if (ledger_find_many(db, NULL, &ledger) != PRISMA_OK)
        FAIL("ledger: %s %s", prisma_error_code(db), prisma_error_message(db));
    const Ledger **rows = malloc((ledger->len + 1) * sizeof *rows);
    if (!rows)
        FAIL("out of memory");
    for (size_t k = 0; k < ledger->len; k++)
        rows[k] = &ledger->items[k];
    qsort(rows, ledger->len, sizeof *rows, cmp_row);
    size_t unknown_committed = 0;
    for (int i = 0; i < THREADS; i++)
        for (size_t k = 0; k < w[i].n; k++) {
            const outcome *o = &w[i].log[k];
            bool in_ledger = bsearch(o->id, rows, ledger->len, sizeof *rows, cmp_key) != NULL;
            if (strcmp(o->code, "OK") == 0 && !in_ledger)
                FAIL("%s was acknowledged as committed (round %d) but is not in the ledger", o->id, o->round);
            if (strcmp(o->code, "OK") != 0 && !o->unknown && in_ledger)
                FAIL("%s was reported failed (%s) but is in the ledger", o->id, o->code);
            unknown_committed += o->unknown && in_ledger;
        }
    if (ledger->len != acked + unknown_committed)
        FAIL("the ledger has %zu rows; %zu acknowledged + %zu of unknown outcome found", ledger->len, acked,
             unknown_committed);

    /* Balances: each is its start plus the ledger's moves; the total is conserved. */
    int64_t expect[ACCOUNTS];
    for (int i = 0; i < ACCOUNTS; i++)
        expect[i] = START_BALANCE;
    for (size_t k = 0; k < ledger->len; k++)
        for (int i = 0; i < ACCOUNTS; i++) {
            if (account_ids[i] == ledger->items[k].fromId)
                expect[i] -= ledger->items[k].amount;
            if (account_ids[i] == ledger->items[k].toId)
                expect[i] += ledger->items[k].amount;
        }
    if (user_find_many(db, NULL, &users) != PRISMA_OK || users->len != ACCOUNTS)
        FAIL("accounts after: %s", prisma_error_message(db));
    int64_t sum = 0;
    for (size_t k = 0; k < users->len; k++) {
        sum += users->items[k].balance;
        for (int i = 0; i < ACCOUNTS; i++)
            if (users->items[k].id == account_ids[i] && users->items[k].balance != expect[i])
                FAIL("account %d: %d in the database, %lld by the ledger", i, users->items[k].balance,
                     (long long)expect[i]);
    }
    user_list_free(users);
    free(rows);
    size_t ledger_rows = ledger->len;
    ledger_list_free(ledger);

    char switches[256];
    size_t o = 0;
    for (int r = 0; r < ROUNDS; r++)
        o += (size_t)snprintf(switches + o, sizeof switches - o, "%s%lld", r ? "," : "", (long long)switch_ms[r]);
    printf("failover: %d threads, %d failovers in %lld ms: %zu transfers (%zu attempts), %zu acknowledged, ledger "
           "%zu rows; failed by code: P1017 %zu (%zu commit outcome unknown, %zu of them committed), P2034 %zu, "
           "P1001 %zu, other %zu; total %lld of %lld; stop+promote ms: %s\n",
           THREADS, ROUNDS, (long long)(now_ms() - t0), total, attempts, acked, ledger_rows, p1017, unknown,
           unknown_committed, p2034, p1001, other, (long long)sum, (long long)ACCOUNTS * START_BALANCE, switches);
    printf("acknowledged after each failover:");
    for (int r = 0; r <= ROUNDS; r++)
        printf(" %zu", acked_in_round[r]);
    printf("\n");
    fflush(stdout);

    if (sum != (int64_t)ACCOUNTS * START_BALANCE)
        FAIL("the total is %lld, not %lld", (long long)sum, (long long)ACCOUNTS * START_BALANCE);
    if (other)
        FAIL("%zu failures with a code that is not retryable, e.g. %s", other, odd ? odd : "");
    for (int r = 0; r <= ROUNDS; r++)
        if (!acked_in_round[r])
            FAIL("nothing was acknowledged after failover %d: the client did not carry on", r);

    prisma_disconnect(db);
    read_only_server_is_retried(standby);
    for (int i = 0; i < THREADS; i++)
        free(w[i].log);
    pgserver_stop(a);
    pgserver_stop(b);
    return 0;
}
