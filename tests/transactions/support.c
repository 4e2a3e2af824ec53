/* The transaction suite's shared helpers, fixture and main: the tests are in
 * the other files of this folder, one per section (see transactions.h). */
#include "transactions.h"

const char *url;
prisma_client *db;

static const char *const tables[] = { "User", "Post", "Ledger" };

/* ---- helpers ---- */

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* N in "... however N ms passed ..." when msg is exactly Prisma's message for
 * operation `op` on an expired transaction whose timeout was `timeout`; else -1. */
long expired_ms(const char *msg, const char *op, int timeout)
{
    char head[512];
    snprintf(head, sizeof head,
             "Transaction API error: Transaction already closed: A %s cannot be executed on an expired transaction. "
             "The timeout for this transaction was %d ms, however ",
             op, timeout);
    size_t hl = strlen(head);
    if (strncmp(msg, head, hl) != 0)
        return -1;
    char *end;
    long n = strtol(msg + hl, &end, 10);
    if (end == msg + hl)
        return -1;
    if (strcmp(end, " ms passed since the start of the transaction. Consider increasing the interactive transaction "
                    "timeout or doing less work in the transaction.") != 0)
        return -1;
    return n;
}

int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

prisma_client *client_with(prisma_options o)
{
    prisma_client *c = NULL;
    ck_assert_msg(prisma_connect_with(&c, url, &o) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    return c;
}

int64_t count_users(prisma_client *c)
{
    int64_t n = -1;
    OKC(c, user_count(c, NULL, &n));
    return n;
}

bool user_exists(prisma_client *c, const char *email)
{
    User *u = NULL;
    OKC(c, user_find_unique(c, &(UserWhereUniqueInput){ .email = email }, &u));
    bool found = u != NULL;
    user_free(u);
    return found;
}

int balance_of(prisma_client *c, const char *email)
{
    User *u = NULL;
    OKC(c, user_find_unique(c, &(UserWhereUniqueInput){ .email = email }, &u));
    ck_assert_msg(u != NULL, "no user %s", email);
    int b = u->balance;
    user_free(u);
    return b;
}

void add_user(prisma_client *c, const char *email, int balance)
{
    OKC(c, user_create(c, &(UserCreateInput){ .email = email, .balance = PRISMA_INT(balance) }, NULL));
}

/* SQL that runs for about `ms` milliseconds and can be interrupted. On SQLite
 * a recursive count, sized by timing it once. */
const char *slow_sql(int ms)
{
    static char sql[256];
    if (testdb->sleep_sql) {
        testdb->sleep_sql(sql, sizeof sql, ms);
        return sql;
    }
    static double per_ms;
    if (per_ms == 0) {
        for (long long n = 20000;; n *= 2) {
            snprintf(sql, sizeof sql,
                     "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %lld) "
                     "SELECT count(*) FROM c",
                     n);
            int64_t t0 = now_ms();
            OK(prisma_execute_raw(db, sql, NULL, 0, NULL));
            int64_t t = now_ms() - t0;
            if (t >= 60) {
                per_ms = (double)n / (double)t;
                break;
            }
        }
    }
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %lld) SELECT count(*) FROM c",
             (long long)(per_ms * ms));
    return sql;
}

int sleepy_cb(prisma_client *tx, void *arg)
{
    sleepy *s = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = s->email }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    sleep_ms(s->sleep_ms);
    if (!s->after)
        return PRISMA_OK;
    s->after_rc = user_create(tx, &(UserCreateInput){ .email = s->after }, NULL);
    snprintf(s->after_code, sizeof s->after_code, "%s", code_of(tx));
    snprintf(s->after_msg, sizeof s->after_msg, "%s", prisma_error_message(tx));
    return s->return_error ? s->after_rc : PRISMA_OK;
}

int count_calls(prisma_client *tx, void *arg)
{
    (void)tx;
    (*(int *)arg)++;
    return PRISMA_OK;
}

int64_t visible_users(prisma_client *c)
{
    int64_t n = -1;
    return user_count(c, NULL, &n) == PRISMA_OK ? n : -1;
}

int do_nothing(prisma_client *tx, void *arg)
{
    (void)tx;
    (void)arg;
    return PRISMA_OK;
}

atomic_int watchdog_rollbacks;

void count_watchdog_rollback(void *arg)
{
    (void)arg;
    atomic_fetch_add(&watchdog_rollbacks, 1);
}

void probe_commit(void *arg)
{
    ((hook_probe *)arg)->commits++;
}

void probe_rollback(void *arg)
{
    ((hook_probe *)arg)->rollbacks++;
}

static int add_check_constraint(void)
{
    prisma_client *c = NULL;
    if (prisma_connect(&c, url) != PRISMA_OK) {
        fprintf(stderr, "connect: %s\n", prisma_last_connect_error());
        return -1;
    }
    static const char *const alter[] = {
        "ALTER TABLE \"Post\" ADD CONSTRAINT post_viewcount_check CHECK (\"viewCount\" >= 0)",
    };
    /* SQLite's ALTER TABLE adds no constraint: the table is made anew. */
    static const char *const rebuild[] = {
        "DROP TABLE \"Post\"",
        "CREATE TABLE \"Post\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "
        "\"viewCount\" INTEGER NOT NULL DEFAULT 0, CONSTRAINT post_viewcount_check CHECK (\"viewCount\" >= 0))",
    };
    const char *const *sql = testdb->alter_adds_constraints ? alter : rebuild;
    size_t n = testdb->alter_adds_constraints ? sizeof alter / sizeof alter[0] : sizeof rebuild / sizeof rebuild[0];
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (prisma_execute_raw(c, testdb_sql("%s", sql[i]), NULL, 0, NULL) != PRISMA_OK) {
            fprintf(stderr, "%s: %s\n", sql[i], prisma_error_message(c));
            rc = -1;
        }
    prisma_disconnect(c);
    return rc;
}

static int prepare(char **more)
{
    (void)more;
    return add_check_constraint();
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    tx_options_tests(tc, b);
    tx_interactive_tests(tc, b);
    tx_nested_tests(tc, b);
    tx_isolation_tests(tc, b);
    tx_hooks_raw_tests(tc, b);
    tx_batch_tests(tc, b);
    tx_deferred_begin_tests(tc, b);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "transactions", .timeout = 60, .url = &url, .prepare = prepare,
                                          .setup = setup, .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
