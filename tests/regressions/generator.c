/* Generator regressions: the cases a planted bug in the schema validator and
 * the DDL renderer got past the rest of the suite with.
 *
 * Usage: test_regressions_generator */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddl.h"
#include "schema.h"

#define PG "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
#define SQLITE "datasource db {\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}\n"

static psl_schema *load(const char *text)
{
    psl_schema *s = psl_schema_load("test.prisma", text, strlen(text));
    ck_assert_ptr_nonnull(s);
    return s;
}

/* The messages of the errors of `text`, one per line. */
static char *errors_of(const char *text)
{
    psl_schema *s = load(text);
    size_t cap = 1;
    for (size_t i = 0; i < s->diags.items.len; i++)
        cap += strlen(((const psl_diag *)s->diags.items.items[i])->message) + 1;
    char *out = calloc(1, cap);
    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; i < s->diags.items.len; i++) {
        const psl_diag *g = s->diags.items.items[i];
        if (g->severity == PSL_ERROR) {
            strcat(out, g->message);
            strcat(out, "\n");
        }
    }
    psl_schema_free(s);
    return out;
}

#define NO_STRICT_UNIQUE(model)                                                                                       \
    "Error validating model \"" model "\": Each model must have at least one unique criteria that has only required " \
    "fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or "     \
    "`@@unique([])` to the model."
#define NOT_CONSIDERED " The following unique criterias were not considered as they contain fields that are not required:"

/* A model whose only unique criteria hold an optional field has no way to
 * find one record: Prisma 7 refuses it (P1012), naming the criteria it
 * passed over, in the order they are declared. */
START_TEST(a_model_whose_only_unique_is_optional_is_refused)
{
    char *got = errors_of(PG "model A {\n  email String? @unique\n  name  String\n}\n");
    ck_assert_str_eq(got, NO_STRICT_UNIQUE("A") NOT_CONSIDERED "\n- email\n");
    free(got);
    got = errors_of(SQLITE "model B {\n  a Int\n  b Int?\n  c String? @unique\n  @@unique([a, b])\n}\n");
    ck_assert_str_eq(got, NO_STRICT_UNIQUE("B") NOT_CONSIDERED "\n- c\n- a, b\n");
    free(got);
    /* No unique criteria at all: the sentence alone. */
    got = errors_of(PG "model C {\n  name String\n}\n");
    ck_assert_str_eq(got, NO_STRICT_UNIQUE("C") "\n");
    free(got);
    /* An index that is not unique is no unique criteria. */
    got = errors_of(PG "model G {\n  name String\n  @@index([name])\n}\n");
    ck_assert_str_eq(got, NO_STRICT_UNIQUE("G") "\n");
    free(got);
    /* A required unique beside an optional one, or an id: accepted. */
    got = errors_of(PG "model D {\n  email String? @unique\n  code  String  @unique\n}\n"
                       "model E {\n  id Int @id\n  email String? @unique\n}\n"
                       "model F {\n  a Int\n  b Int\n  c Int?\n  @@unique([a, b])\n  @@unique([a, c])\n}\n");
    ck_assert_str_eq(got, "");
    free(got);
}
END_TEST

static char *render(const char *text)
{
    psl_schema *s = load(text);
    ck_assert_msg(s->diags.errors == 0, "the schema has errors");
    char *out = psl_ddl_create(s, s->datasource->provider, NULL);
    ck_assert_ptr_nonnull(out);
    psl_schema_free(s);
    return out;
}

/* A DateTime default keeps its offset's sign: chrono's display, as Prisma
 * renders it (west of UTC is negative). */
START_TEST(datetime_defaults_keep_the_offset_sign)
{
    char *got = render(PG "model T {\n  id Int @id\n"
                          "  w DateTime @default(\"2018-01-27T08:00:00.25-05:30\")\n"
                          "  e DateTime @default(\"2018-01-27T08:00:00+09:45\")\n"
                          "  z DateTime @default(\"2018-01-27T08:00:00Z\")\n"
                          "  m DateTime @default(\"2018-01-27T08:00:00.05+01:00\")\n}\n");
    ck_assert_msg(strstr(got, "\"w\" TIMESTAMP(3) NOT NULL DEFAULT '2018-01-27 08:00:00.250 -05:30',"), "%s", got);
    ck_assert_msg(strstr(got, "\"e\" TIMESTAMP(3) NOT NULL DEFAULT '2018-01-27 08:00:00 +09:45',"), "%s", got);
    ck_assert_msg(strstr(got, "\"z\" TIMESTAMP(3) NOT NULL DEFAULT '2018-01-27 08:00:00 +00:00',"), "%s", got);
    /* Milliseconds keep their three digits. */
    ck_assert_msg(strstr(got, "\"m\" TIMESTAMP(3) NOT NULL DEFAULT '2018-01-27 08:00:00.050 +01:00',"), "%s", got);
    free(got);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regressions_generator");
    TCase *tc = tcase_create("generator");
    tcase_add_test(tc, a_model_whose_only_unique_is_optional_is_refused);
    tcase_add_test(tc, datetime_defaults_keep_the_offset_sign);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}
