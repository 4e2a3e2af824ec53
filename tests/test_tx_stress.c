/* Transactions under load: threads make random transfers among 10 accounts
 * for a few seconds at each isolation level, and every outcome they were
 * told is checked against the database.
 *
 * Each transfer is one interactive transaction: it reads the sender's
 * balance, refuses (prisma_fail) when it is too low, moves the amount, and
 * writes a Ledger row with the transfer's unique id; one in ten is then
 * failed on purpose after all its writes. Afterwards:
 *   - the total balance is what it was (nothing created or lost);
 *   - the ledger holds exactly the transfers reported committed (each with
 *     its accounts and amount), so every one reported committed is there and
 *     every one reported failed is not;
 *   - every balance is its start plus what the ledger says came in and went out;
 *   - with a generous timeout, nothing failed with P2028 (no spurious
 *     timeouts), and the only failures are the refusals, the deliberate
 *     aborts, and write conflicts still failing after max_retries (P2034).
 *
 * PostgreSQL: 8 threads, each level. At Serializable the transfers read
 * without locks and rely on max_retries; at the other levels they lock both
 * rows in id order, so they cannot deadlock: with SELECT ... FOR UPDATE at
 * Read (Un)committed, with row-locking updates at Repeatable Read (where a
 * concurrent update makes the lock fail with a serialization error, which
 * max_retries re-runs only when it comes as P2034, not from raw SQL).
 * SQLite: 4 threads (half with a raw read); writers are serialised by BEGIN
 * IMMEDIATE.
 *
 * Prints one summary line per level. Built once per backend of
 * tests/meson.build's test_backends, like test_crud. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include TEST_CLIENT_H
#include "testmain.h"

enum { ACCOUNTS = 10, START_BALANCE = 1000, MAX_THREADS = 8 };

enum { RUN_MS = 2500 };
/* Every level where the database has them; else its default and Serializable.
 * Concurrent writers get more threads where they can run at once. */
static const prisma_isolation every_level[] = { PRISMA_READ_UNCOMMITTED, PRISMA_READ_COMMITTED, PRISMA_REPEATABLE_READ,
                                                PRISMA_SERIALIZABLE };
static const prisma_isolation serializable_only[] = { PRISMA_ISOLATION_DEFAULT, PRISMA_SERIALIZABLE };
static const prisma_isolation *levels;
static int threads;
static const char *const level_names[] = { "default", "read uncommitted", "read committed", "repeatable read",
                                           "serializable" };

static const char *url;
static prisma_client *db;
static int32_t account_ids[ACCOUNTS];

static const char *const tables[] = { "User", "Post", "Ledger" };

static const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

#define OK(call) \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(db), prisma_error_message(db))

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    for (int i = 0; i < ACCOUNTS; i++) {
        char email[32];
        snprintf(email, sizeof email, "account%d@bank", i);
        User *u = NULL;
        OK(user_create(db, &(UserCreateInput){ .email = email, .balance = PRISMA_INT(START_BALANCE) }, &u));
        account_ids[i] = u->id;
        user_free(u);
    }
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

/* What a thread was told about one transfer. */
typedef struct outcome {
    char id[32];
    int from, to, amount;
    bool abort;    /* failed on purpose after its writes */
    int rc;
    char code[16];
    char message[96];
    int attempts;
} outcome;

/* How a transfer reads the sender's balance. */
enum { LOCK_NONE, LOCK_RAW, LOCK_UPDATE };

typedef struct transfer_ctx {
    outcome *o;
    int lock;
} transfer_ctx;

static int transfer(prisma_client *tx, void *arg)
{
    transfer_ctx *t = arg;
    outcome *o = t->o;
    o->attempts++;
    int32_t from = account_ids[o->from], to = account_ids[o->to];
    int64_t balance = -1;
    int rc;
    if (t->lock == LOCK_RAW) {
        /* Both rows locked in id order by one raw statement. */
        prisma_raw_rows *rows = NULL;
        int32_t lo = from < to ? from : to, hi = from < to ? to : from;
        const char *sql = testdb_sql("SELECT id, balance FROM \"User\" WHERE id IN ($1, $2) ORDER BY id%s", testdb->for_update);
        rc = prisma_query_raw(tx, sql, (prisma_raw_value[]){ PRISMA_RAW_INT_V(lo), PRISMA_RAW_INT_V(hi) }, 2, &rows);
        if (rc != PRISMA_OK)
            return rc;
        for (size_t r = 0; r < rows->n_rows; r++)
            if (rows->values[r * 2].i == from)
                balance = rows->values[r * 2 + 1].i;
        size_t n = rows->n_rows;
        prisma_free(rows);
        if (n != 2)
            return prisma_fail(tx, "locked %zu rows, not 2", n);
    } else if (t->lock == LOCK_UPDATE) {
        /* Both rows locked in id order by writes through the client (whose
         * conflicts are P2034, so max_retries re-runs them). */
        int32_t order[2] = { from < to ? from : to, from < to ? to : from };
        for (int k = 0; k < 2; k++) {
            User *u = NULL;
            rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(order[k]) },
                             &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(0) } }, &u);
            if (rc != PRISMA_OK)
                return rc;
            if (order[k] == from)
                balance = u->balance;
            user_free(u);
        }
    } else {
        User *u = NULL;
        rc = user_find_unique(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(from) }, &u);
        if (rc != PRISMA_OK)
            return rc;
        balance = u ? u->balance : -1;
        user_free(u);
    }
    if (balance < o->amount)
        return prisma_fail(tx, "insufficient funds");
    rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(from) },
                     &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(o->amount) } }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(to) },
                     &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(o->amount) } }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    rc = ledger_create(tx,
                       &(LedgerCreateInput){ .id = o->id, .fromId = PRISMA_INT(from), .toId = PRISMA_INT(to),
                                             .amount = PRISMA_INT(o->amount) },
                       NULL);
    if (rc != PRISMA_OK)
        return rc;
    return o->abort ? prisma_fail(tx, "aborted on purpose") : PRISMA_OK;
}

typedef struct worker {
    int index;
    prisma_isolation level;
    int64_t deadline;
    unsigned seed;
    outcome *log;
    size_t n, cap;
    bool oom;
} worker;

static void *run_worker(void *p)
{
    worker *w = p;
    prisma_tx_options opts = { .max_wait_ms = 30000, .timeout_ms = 30000, .isolation = w->level,
                               .max_retries = 30 };
    /* Serializable: plain reads, conflicts retried. Repeatable Read: locking
     * writes (a locking read there fails on a concurrent update, and a raw
     * statement's failure is P2010, which max_retries does not re-run).
     * Lower levels: SELECT ... FOR UPDATE. SQLite: plain reads (writers are
     * serialised anyway). */
    int lock = !testdb->concurrent_write_transactions ? (w->index % 2 ? LOCK_RAW : LOCK_NONE)
               : w->level == PRISMA_SERIALIZABLE    ? LOCK_NONE
               : w->level == PRISMA_REPEATABLE_READ ? LOCK_UPDATE
                                                    : LOCK_RAW;
    for (int seq = 0; now_ms() < w->deadline; seq++) {
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 256;
            outcome *l = realloc(w->log, cap * sizeof *l);
            if (!l) {
                w->oom = true;
                break;
            }
            w->log = l;
            w->cap = cap;
        }
        outcome *o = &w->log[w->n++];
        memset(o, 0, sizeof *o);
        snprintf(o->id, sizeof o->id, "L%d-T%d-%d", (int)w->level, w->index, seq);
        o->from = rand_r(&w->seed) % ACCOUNTS;
        o->to = (o->from + 1 + rand_r(&w->seed) % (ACCOUNTS - 1)) % ACCOUNTS;
        o->amount = 1 + rand_r(&w->seed) % 400;
        o->abort = rand_r(&w->seed) % 10 == 0;
        transfer_ctx t = { o, lock };
        o->rc = prisma_transaction(db, transfer, &t, &opts);
        snprintf(o->code, sizeof o->code, "%s", o->rc == PRISMA_OK ? "OK" : code_of(db));
        snprintf(o->message, sizeof o->message, "%s", prisma_error_message(db));
    }
    return NULL;
}

/* Ledger rows sorted by id, searched by id. */
static int cmp_row(const void *a, const void *b)
{
    return strcmp((*(const Ledger *const *)a)->id, (*(const Ledger *const *)b)->id);
}

static int cmp_key(const void *key, const void *row)
{
    return strcmp(key, (*(const Ledger *const *)row)->id);
}

START_TEST(transfers_are_reported_truthfully)
{
    prisma_isolation level = levels[_i];
    worker w[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    int64_t deadline = now_ms() + RUN_MS;
    for (int i = 0; i < threads; i++) {
        w[i] = (worker){ .index = i, .level = level, .deadline = deadline, .seed = 7919u * (unsigned)(i + 1) + (unsigned)_i };
        ck_assert_int_eq(pthread_create(&th[i], NULL, run_worker, &w[i]), 0);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);

    /* Tally what the threads were told. */
    size_t total = 0, committed = 0, refused = 0, aborted = 0, conflicts = 0, other = 0, retries = 0;
    const outcome *odd = NULL;
    for (int i = 0; i < threads; i++) {
        ck_assert(!w[i].oom);
        for (size_t k = 0; k < w[i].n; k++) {
            const outcome *o = &w[i].log[k];
            total++;
            retries += (size_t)(o->attempts > 1 ? o->attempts - 1 : 0);
            if (o->rc == PRISMA_OK)
                committed++;
            else if (strcmp(o->code, "USER") == 0 && strcmp(o->message, "insufficient funds") == 0)
                refused++;
            else if (strcmp(o->code, "USER") == 0 && strcmp(o->message, "aborted on purpose") == 0 && o->abort)
                aborted++;
            else if (strcmp(o->code, "P2034") == 0)
                conflicts++;
            else {
                other++;
                if (!odd)
                    odd = o;
            }
        }
    }
    printf("tx_stress %s, %s, %d threads, %d ms: %zu transfers, %zu committed, %zu retries; failed by code: "
           "USER %zu (%zu insufficient funds, %zu aborted on purpose), P2034 %zu, other %zu\n",
           testdb->name, level_names[level], threads, RUN_MS, total, committed, retries, refused + aborted, refused,
           aborted, conflicts, other);
    fflush(stdout);
    ck_assert_msg(other == 0, "%zu unexpected failures, e.g. %s: %s %s", other, odd ? odd->id : "", odd ? odd->code : "",
                  odd ? odd->message : "");
    ck_assert_msg(committed > 0, "no transfer committed");

    /* The ledger is exactly the committed transfers. */
    LedgerList *ledger = NULL;
    OK(ledger_find_many(db, NULL, &ledger));
    ck_assert_uint_eq(ledger->len, committed);
    const Ledger **rows = malloc((ledger->len + 1) * sizeof *rows);
    ck_assert_ptr_nonnull(rows);
    for (size_t k = 0; k < ledger->len; k++)
        rows[k] = &ledger->items[k];
    qsort(rows, ledger->len, sizeof *rows, cmp_row);
    int64_t balance[ACCOUNTS];
    for (int a = 0; a < ACCOUNTS; a++)
        balance[a] = START_BALANCE;
    for (int i = 0; i < threads; i++) {
        for (size_t k = 0; k < w[i].n; k++) {
            const outcome *o = &w[i].log[k];
            const Ledger *const *hit = bsearch(o->id, rows, ledger->len, sizeof *rows, cmp_key);
            if (o->rc == PRISMA_OK) {
                ck_assert_msg(hit != NULL, "%s was reported committed but is not in the ledger", o->id);
                const Ledger *row = *hit;
                ck_assert_int_eq(row->fromId, account_ids[o->from]);
                ck_assert_int_eq(row->toId, account_ids[o->to]);
                ck_assert_int_eq(row->amount, o->amount);
                balance[o->from] -= o->amount;
                balance[o->to] += o->amount;
            } else {
                ck_assert_msg(hit == NULL, "%s was reported failed (%s) but is in the ledger", o->id, o->code);
            }
        }
    }
    free(rows);
    ledger_list_free(ledger);

    /* Balances: conserved, and each one what the ledger says. */
    UserList *users = NULL;
    OK(user_find_many(db, NULL, &users));
    ck_assert_uint_eq(users->len, ACCOUNTS);
    int64_t sum = 0;
    for (size_t k = 0; k < users->len; k++) {
        sum += users->items[k].balance;
        for (int a = 0; a < ACCOUNTS; a++)
            if (users->items[k].id == account_ids[a])
                ck_assert_msg(users->items[k].balance == balance[a], "account %d: %d in the database, %lld by the ledger",
                              a, users->items[k].balance, (long long)balance[a]);
        ck_assert_int_ge(users->items[k].balance, 0);
    }
    user_list_free(users);
    ck_assert_int_eq(sum, (int64_t)ACCOUNTS * START_BALANCE);
    for (int i = 0; i < threads; i++)
        free(w[i].log);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    bool all = b->every_isolation_level;
    levels = all ? every_level : serializable_only;
    threads = b->concurrent_write_transactions ? 8 : 4;
    int n = all ? (int)(sizeof every_level / sizeof every_level[0])
                : (int)(sizeof serializable_only / sizeof serializable_only[0]);
    tcase_add_loop_test(tc, transfers_are_reported_truthfully, 0, n);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "tx_stress", .timeout = 120, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
