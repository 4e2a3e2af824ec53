/* The compiler's provider interface (generator/model/provider.h): the
 * connector table, and rules that come from a connector's capabilities,
 * limits and tables rather than from tests of the provider. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "provider.h"
#include "schema.h"

static const psl_connector *const all[] = { &psl_connector_sqlite, &psl_connector_postgresql,
                                             &psl_connector_cockroachdb };

START_TEST(table_and_lookups)
{
    ck_assert_ptr_eq(psl_connector_by_name("sqlite"), &psl_connector_sqlite);
    ck_assert_ptr_eq(psl_connector_by_name("postgresql"), &psl_connector_postgresql);
    ck_assert_ptr_eq(psl_connector_by_name("postgres"), &psl_connector_postgresql);
    ck_assert_ptr_eq(psl_connector_by_name("cockroachdb"), &psl_connector_cockroachdb);
    ck_assert_ptr_null(psl_connector_by_name("mysql"));
    ck_assert_ptr_null(psl_connector_by_name(NULL));
    psl_arena a;
    psl_arena_init(&a);
    ck_assert_str_eq(psl_connector_list(&a), "\"sqlite\", \"postgresql\" (alias \"postgres\") and \"cockroachdb\"");
    psl_arena_release(&a);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const psl_connector *c = all[i];
        ck_assert_str_eq(psl_provider_name(c->id), c->name);
        ck_assert_ptr_nonnull(c->title);
        ck_assert_ptr_nonnull(c->url_prefixes);
        ck_assert_ptr_nonnull(c->url_prefixes[0]);
        ck_assert_int_eq(strncmp(c->runtime_provider, "PRISMA_", 7), 0);
        ck_assert(psl_connector_index_algorithm(c, "BTree"));
        ck_assert(!psl_connector_index_algorithm(c, "Nope"));
        for (size_t k = 0; k < c->n_native_types; k++) {
            const psl_native_def *t = &c->native_types[k];
            ck_assert_ptr_eq(psl_connector_native_type(c, t->name), t); /* names are unique */
            ck_assert(t->scalar != PSL_SCALAR_NONE);
            ck_assert_uint_le(t->min_args, t->max_args);
        }
    }
    ck_assert_str_eq(psl_provider_name(PSL_PROVIDER_NONE), "none");
    ck_assert(!psl_connector_can(NULL, PSL_CAP_SCHEMAS));
    ck_assert(!psl_connector_index_algorithm(NULL, "Gin"));
    ck_assert(psl_connector_index_algorithm(&psl_connector_cockroachdb, "Gin"));
    ck_assert(!psl_connector_index_algorithm(&psl_connector_cockroachdb, "Brin"));
    ck_assert(!psl_connector_index_algorithm(&psl_connector_sqlite, "Hash"));
    ck_assert_ptr_null(psl_connector_native_type(&psl_connector_sqlite, "Text"));
}
END_TEST

/* Loads `body` under a datasource of `provider`; returns the error count
 * and the first error's message in `first` (may be NULL). */
static size_t check(const char *provider, const char *body, char *first, size_t cap)
{
    char text[4096];
    snprintf(text, sizeof text, "datasource db {\n  provider = \"%s\"\n  url = env(\"URL\")\n}\n%s", provider, body);
    psl_schema *s = psl_schema_load("schema.prisma", text, strlen(text));
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_eq(s->datasource->connector, psl_connector_by_name(provider));
    size_t errors = s->diags.errors;
    if (first && cap) {
        first[0] = '\0';
        for (size_t i = 0; i < s->diags.items.len; i++) {
            const psl_diag *d = s->diags.items.items[i];
            if (d->severity == PSL_ERROR) {
                snprintf(first, cap, "%s", d->message);
                break;
            }
        }
    }
    psl_schema_free(s);
    return errors;
}

START_TEST(rules_follow_capabilities)
{
    char msg[512];
    static const char list[] = "model A {\n  id   Int      @id\n  tags String[]\n}\n";
    ck_assert_uint_eq(check("postgresql", list, NULL, 0), 0);
    ck_assert_uint_eq(check("cockroachdb", list, NULL, 0), 0);
    ck_assert_uint_eq(check("sqlite", list, msg, sizeof msg), 1);
    ck_assert_ptr_nonnull(strstr(msg, "does not support lists of primitive types"));

    static const char seq[] = "model A {\n  id BigInt @id @default(sequence())\n}\n";
    ck_assert_uint_eq(check("cockroachdb", seq, NULL, 0), 0);
    ck_assert_uint_eq(check("postgresql", seq, msg, sizeof msg), 1);
    ck_assert_ptr_nonnull(strstr(msg, "only supported on CockroachDB"));

    static const char gin[] = "model A {\n  id Int @id\n  j  Json\n  @@index([j], type: Gin)\n}\n";
    ck_assert_uint_eq(check("postgresql", gin, NULL, 0), 0);
    ck_assert_uint_eq(check("cockroachdb", gin, NULL, 0), 0);
    ck_assert_uint_eq(check("sqlite", gin, msg, sizeof msg), 1);
    ck_assert_ptr_nonnull(strstr(msg, "not supported with the current connector"));

    /* Native types come from the connector's table. */
    static const char vc[] = "model A {\n  id Int    @id\n  s  String @db.VarChar(10)\n}\n";
    ck_assert_uint_eq(check("postgresql", vc, NULL, 0), 0);
    ck_assert_uint_eq(check("cockroachdb", vc, msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "Native type VarChar is not supported for cockroachdb connector.");
    ck_assert_uint_eq(check("sqlite", vc, msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "Native type VarChar is not supported for sqlite connector.");

    /* Operator classes: PostgreSQL's index hook. */
    static const char ops[] = "model A {\n  id Int @id\n  j  Json\n  @@index([j(ops: Nope)], type: Gin)\n}\n";
    ck_assert_uint_eq(check("postgresql", ops, msg, sizeof msg), 1);
    ck_assert_ptr_nonnull(strstr(msg, "operator class `Nope` is not known"));

    /* Identifier limit: Prisma's default index name is cut to 63 bytes on
     * PostgreSQL, whole on SQLite. */
    static const char *const providers[] = { "sqlite", "postgresql" };
    for (size_t i = 0; i < 2; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "datasource db {\n  provider = \"%s\"\n  url = env(\"URL\")\n}\n"
                 "model AVeryLongModelNameThatGoesOnAndOn {\n  id Int @id\n"
                 "  aFieldWithAnEvenLongerNameThanTheModel Int\n"
                 "  @@index([aFieldWithAnEvenLongerNameThanTheModel])\n}\n",
                 providers[i]);
        psl_schema *sc = psl_schema_load("schema.prisma", text, strlen(text));
        ck_assert_uint_eq(sc->diags.errors, 0);
        size_t len = strlen(sc->models[0]->indexes[0]->db_name);
        if (i == 0)
            ck_assert_uint_gt(len, 63);
        else
            ck_assert_uint_le(len, 63);
        psl_schema_free(sc);
    }

    /* Table names that ignore case (SQLite). */
    static const char twins[] = "model A {\n  id Int @id\n}\nmodel B {\n  id Int @id\n  @@map(\"a\")\n}\n";
    ck_assert_uint_eq(check("postgresql", twins, NULL, 0), 0);
    ck_assert_uint_eq(check("sqlite", twins, NULL, 0), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("provider");
    TCase *tc = tcase_create("provider");
    tcase_add_test(tc, table_and_lookups);
    tcase_add_test(tc, rules_follow_capabilities);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
