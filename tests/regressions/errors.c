/* Error codes a planted bug got past the rest of the suite with. */
#include "regressions.h"

/* A NOT NULL column the schema does not know about (drift: added behind
 * Prisma's back) refuses a create with P2011, naming the column. Where the
 * database cannot add such a column to a table (SQLite wants a default),
 * there is nothing to check. */
START_TEST(a_null_constraint_violation_is_p2011)
{
    if (prisma_execute_raw(db, "ALTER TABLE \"Tag\" ADD COLUMN extra TEXT NOT NULL", NULL, 0, NULL) != PRISMA_OK)
        return;
    int rc = tag_create(db, &(TagCreateInput){ .name = "t" }, NULL);
    char code[16], message[256];
    snprintf(code, sizeof code, "%s", prisma_error_code(db) ? prisma_error_code(db) : "-");
    snprintf(message, sizeof message, "%s", prisma_error_message(db) ? prisma_error_message(db) : "-");
    run_sql("ALTER TABLE \"Tag\" DROP COLUMN extra");
    ck_assert_int_eq(rc, PRISMA_ERROR);
    ck_assert_str_eq(code, "P2011");
    ck_assert_str_eq(message, "Null constraint violation on the fields: (`extra`)");
}
END_TEST

void add_error_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, a_null_constraint_violation_is_p2011);
}
