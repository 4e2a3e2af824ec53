/* Several PostgreSQL schemas (`schemas = [...]` and @@schema): db push
 * creates each schema, its tables, the enum in its schema and the implicit
 * many-to-many table in the schema of its "A" model; at run time every
 * statement names its table with the schema, whatever the search_path. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "native_types.h"

/* db push made no table for the view (Prisma's rule); the view, by hand. */
int multi_schema_prepare(void)
{
    prisma_client *db = NULL;
    if (prisma_connect(&db, nt_url) != PRISMA_OK) {
        fprintf(stderr, "connect: %s\n", prisma_last_connect_error());
        return 1;
    }
    int rc = 0;
    prisma_raw_rows *rows = NULL;
    if (prisma_query_raw(db, "SELECT COUNT(*) FROM pg_class WHERE relname = 'AccountBalance'", NULL, 0, &rows) != PRISMA_OK ||
        rows->values[0].i != 0) {
        fprintf(stderr, "db push made something for the view AccountBalance\n");
        rc = 1;
    }
    prisma_free(rows);
    if (rc == 0 && prisma_execute_raw(db,
                                      "CREATE VIEW ledger.\"AccountBalance\" AS SELECT a.id AS \"accountId\", "
                                      "(SELECT SUM(e.amount) FROM ledger.\"LedgerEntry\" e WHERE e.\"accountId\" = a.id) "
                                      "AS balance FROM ledger.accounts a",
                                      NULL, 0, NULL) != PRISMA_OK) {
        fprintf(stderr, "CREATE VIEW: %s\n", prisma_error_message(db));
        rc = 1;
    }
    prisma_disconnect(db);
    return rc;
}

void multi_schema_reset(void)
{
    NT_OK(prisma_execute_raw(nt_db,
                             "TRUNCATE ledger.\"LedgerEntry\", ledger.accounts, audit.\"AuditLabel\", "
                             "audit.\"_AuditLabelToLedgerAccount\", public.\"PublicNote\" RESTART IDENTITY CASCADE",
                             NULL, 0, NULL));
}

/* The schema of `table`, from the catalog; "" when there is no such table. */
static void schema_of(const char *table, char *out, size_t cap)
{
    prisma_raw_rows *rows = NULL;
    NT_OK(prisma_query_raw(nt_db,
                           "SELECT table_schema::text FROM information_schema.tables WHERE table_name = $1 "
                           "AND table_type = 'BASE TABLE'",
                           &PRISMA_RAW_TEXT_V(table), 1, &rows));
    ck_assert_uint_le(rows->n_rows, 1);
    snprintf(out, cap, "%s", rows->n_rows ? rows->values[0].s : "");
    prisma_free(rows);
}

START_TEST(db_push_puts_each_table_and_enum_in_its_schema)
{
    static const char *const where[][2] = {
        { "accounts", "ledger" },  { "LedgerEntry", "ledger" }, { "AuditLabel", "audit" },
        { "PublicNote", "public" }, { "_AuditLabelToLedgerAccount", "audit" }, /* the "A" model's schema, as Prisma */
    };
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        char s[64];
        schema_of(where[i][0], s, sizeof s);
        ck_assert_msg(strcmp(s, where[i][1]) == 0, "%s is in \"%s\", not %s", where[i][0], s, where[i][1]);
    }
    prisma_raw_rows *rows = NULL;
    NT_OK(prisma_query_raw(nt_db,
                           "SELECT n.nspname::text, string_agg(e.enumlabel::text, ',' ORDER BY e.enumsortorder) "
                           "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                           "JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typname = 'currency_code' GROUP BY 1",
                           NULL, 0, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    ck_assert_str_eq(rows->values[0].s, "ledger");
    ck_assert_str_eq(rows->values[1].s, "eur,usd"); /* the values' @map names */
    prisma_free(rows);
    /* The session does not see the ledger and audit schemas by itself:
     * every statement below has to name them. */
    NT_OK(prisma_query_raw(nt_db, "SELECT current_schemas(false)::text", NULL, 0, &rows));
    ck_assert_ptr_null(strstr(rows->values[0].s, "ledger"));
    ck_assert_ptr_null(strstr(rows->values[0].s, "audit"));
    prisma_free(rows);
}
END_TEST

typedef struct trace_log {
    size_t n, unqualified;
    char first_bad[512];
} trace_log;

/* Counts the statements that name one of the tables without its schema. */
static void on_statement(void *arg, const char *sql)
{
    trace_log *t = arg;
    static const char *const names[] = { "\"accounts\"", "\"LedgerEntry\"", "\"AuditLabel\"", "\"_AuditLabelToLedgerAccount\"",
                                         "\"AccountBalance\"" };
    t->n++;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (const char *p = strstr(sql, names[i]); p; p = strstr(p + 1, names[i]))
            if (p == sql || p[-1] != '.') {
                /* "table"."column" is a column reference: only FROM / INTO / UPDATE / JOIN names count. */
                const char *after = p + strlen(names[i]);
                if (*after == '.')
                    continue;
                if (!t->unqualified++)
                    snprintf(t->first_bad, sizeof t->first_bad, "%s", sql);
            }
}

START_TEST(every_operation_works_across_schemas)
{
    trace_log log = { 0 };
    prisma_set_trace(nt_db, on_statement, &log);
    LedgerAccount *a = NULL;
    NT_OK(ledger_account_create_include(
        nt_db,
        &(LedgerAccountCreateInput){
            .name = "cash",
            .entries = { .create = (LedgerEntryCreateInput[]){ { .amount = "10.50" }, { .amount = "-2.25" } },
                         .create_len = 2 },
            .labels = { .connect_or_create = (AuditLabelConnectOrCreateInput[]){
                            { .where = &(AuditLabelWhereUniqueInput){ .name = "checked" },
                              .create = &(AuditLabelCreateInput){ .name = "checked" } } },
                        .connect_or_create_len = 1 } },
        &(LedgerAccountInclude){ .entries = true, .labels = true }, &a));
    ck_assert_int_eq(a->currency, CURRENCY_EUR);
    ck_assert_uint_eq(a->entries->len, 2);
    ck_assert_uint_eq(a->labels->len, 1);
    ck_assert_str_eq(a->labels->items[0].name, "checked");

    /* Reads from both sides of the many-to-many (the join table lives in "audit"). */
    AuditLabelList *labels = NULL;
    NT_OK(audit_label_find_many(nt_db, &(AuditLabelFindManyArgs){ .include = &(AuditLabelInclude){ .accounts = true } },
                                &labels));
    ck_assert_uint_eq(labels->len, 1);
    ck_assert_uint_eq(labels->items[0].accounts->len, 1);
    ck_assert_str_eq(labels->items[0].accounts->items[0].name, "cash");
    audit_label_list_free(labels);
    int64_t n = 0;
    NT_OK(ledger_account_count(nt_db, &(LedgerAccountWhereInput){ .currency = { .in = PRISMA_ENUMS(CURRENCY_EUR) } }, &n));
    ck_assert_int_eq(n, 1);
    NT_OK(ledger_entry_count(nt_db, &(LedgerEntryWhereInput){ .amount = { .lt = "0" } }, &n));
    ck_assert_int_eq(n, 1);

    /* Updates, nested too; the enum in its schema. */
    LedgerAccount *u = NULL;
    NT_OK(ledger_account_update_include(
        nt_db, &(LedgerAccountWhereUniqueInput){ .name = "cash" },
        &(LedgerAccountUpdateInput){ .currency = CURRENCY_USD,
                                     .entries = { .update_many = (LedgerEntryUpdateManyWithWhereInput[]){
                                                      { .data = &(LedgerEntryUpdateInput){ .amount = { .increment = "1" } } } },
                                                  .update_many_len = 1 },
                                     .labels = { .set_given = true } },
        &(LedgerAccountInclude){ .entries = true, .labels = true }, &u));
    ck_assert_int_eq(u->currency, CURRENCY_USD);
    ck_assert_uint_eq(u->labels->len, 0);
    ck_assert(strcmp(u->entries->items[0].amount, "11.5") == 0 || strcmp(u->entries->items[1].amount, "11.5") == 0);
    prisma_raw_rows *rows = NULL;
    NT_OK(prisma_query_raw(nt_db, "SELECT currency::text FROM ledger.accounts", NULL, 0, &rows));
    ck_assert_str_eq(rows->values[0].s, "usd");
    prisma_free(rows);

    /* Upsert, then delete with the cascade into the entries. */
    NT_OK(ledger_account_upsert(nt_db, &(LedgerAccountWhereUniqueInput){ .name = "bank" },
                                &(LedgerAccountCreateInput){ .name = "bank" }, &(LedgerAccountUpdateInput){ 0 }, NULL));
    NT_OK(ledger_account_delete(nt_db, &(LedgerAccountWhereUniqueInput){ .name = "cash" }, NULL));
    NT_OK(ledger_entry_count(nt_db, NULL, &n));
    ck_assert_int_eq(n, 0);
    NT_OK(public_note_create(nt_db, &(PublicNoteCreateInput){ .text = "hello" }, NULL));
    NT_OK(public_note_count(nt_db, NULL, &n));
    ck_assert_int_eq(n, 1);
    prisma_set_trace(nt_db, NULL, NULL);
    /* A view in its schema, both ways of its relation. */
    AccountBalance *b = NULL;
    NT_OK(account_balance_find_unique(nt_db, &(AccountBalanceWhereUniqueInput){ .accountId = PRISMA_INT(a->id + 1) }, &b));
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_null(b->balance); /* "bank" has no entries: SUM is NULL */
    account_balance_free(b);
    LedgerAccount *bank = NULL;
    NT_OK(ledger_entry_create(nt_db, &(LedgerEntryCreateInput){ .amount = "7.25",
                                                               .account = { .connect = &(LedgerAccountWhereUniqueInput){ .name = "bank" } } },
                              NULL));
    NT_OK(ledger_account_find_first(nt_db, &(LedgerAccountFindManyArgs){ .include = &(LedgerAccountInclude){ .balance = true } },
                                    &bank));
    ck_assert_ptr_nonnull(bank->balance);
    ck_assert_str_eq(bank->balance->balance, "7.25");
    ledger_account_free(bank);
    NT_OK(account_balance_count(nt_db, &(AccountBalanceWhereInput){ .balance = { .gt = "7" } }, &n));
    ck_assert_int_eq(n, 1);
    ck_assert_uint_gt(log.n, 8);
    ck_assert_msg(log.unqualified == 0, "%zu statements name a table without its schema, first: %s", log.unqualified,
                  log.first_bad);
    ledger_account_free(a);
    ledger_account_free(u);
}
END_TEST

/* A second db push of the same schema changes nothing: the schemas, enum
 * and tables are recognized where they are. */
START_TEST(db_push_again_is_in_sync)
{
    NT_OK(public_note_create(nt_db, &(PublicNoteCreateInput){ .text = "kept" }, NULL));
    const char *argv[] = { nt_prismac, "db", "push", "--schema", nt_schema, "--url", nt_url, NULL };
    char out[8192];
    int rc = testdb_run(argv, out, sizeof out);
    ck_assert_msg(rc == 0, "db push failed (%d): %s", rc, out);
    ck_assert_msg(strstr(out, "already in sync") != NULL, "db push changed something: %s", out);
    int64_t n = 0;
    NT_OK(public_note_count(nt_db, NULL, &n));
    ck_assert_int_eq(n, 1);
}
END_TEST

void multi_schema_add_tests(TCase *tc)
{
    tcase_add_test(tc, db_push_puts_each_table_and_enum_in_its_schema);
    tcase_add_test(tc, every_operation_works_across_schemas);
    tcase_add_test(tc, db_push_again_is_in_sync);
}
