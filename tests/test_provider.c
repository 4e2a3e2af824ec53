/* The compiler's provider interface (generator/model/provider.h): the
 * connector table, and rules that come from a connector's capabilities,
 * limits and tables rather than from tests of the provider. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "provider.h"
#include "schema.h"

static const psl_connector *const all[] = { &psl_connector_sqlite, &psl_connector_postgresql,
                                             &psl_connector_cockroachdb, &psl_connector_mysql };

START_TEST(table_and_lookups)
{
    ck_assert_ptr_eq(psl_connector_by_name("sqlite"), &psl_connector_sqlite);
    ck_assert_ptr_eq(psl_connector_by_name("postgresql"), &psl_connector_postgresql);
    ck_assert_ptr_eq(psl_connector_by_name("postgres"), &psl_connector_postgresql);
    ck_assert_ptr_eq(psl_connector_by_name("cockroachdb"), &psl_connector_cockroachdb);
    ck_assert_ptr_eq(psl_connector_by_name("mysql"), &psl_connector_mysql);
    ck_assert_ptr_null(psl_connector_by_name("mariadb")); /* Prisma's provider for MariaDB is "mysql" */
    ck_assert_ptr_null(psl_connector_by_name("mongodb"));
    ck_assert_ptr_null(psl_connector_by_name(NULL));
    psl_arena a;
    psl_arena_init(&a);
    ck_assert_str_eq(psl_connector_list(&a), "\"sqlite\", \"postgresql\" (alias \"postgres\"), \"cockroachdb\" and \"mysql\"");
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
            ck_assert(t->scalar2 != t->scalar);
            ck_assert_uint_le(t->min_args, t->max_args);
            ck_assert(!t->paired || (t->min_args == 0 && t->max_args == 2));
        }
    }
    ck_assert_str_eq(psl_provider_name(PSL_PROVIDER_NONE), "none");
    ck_assert(!psl_connector_can(NULL, PSL_CAP_SCHEMAS));
    ck_assert(!psl_connector_index_algorithm(NULL, "Gin"));
    ck_assert(psl_connector_index_algorithm(&psl_connector_cockroachdb, "Gin"));
    ck_assert(!psl_connector_index_algorithm(&psl_connector_cockroachdb, "Brin"));
    ck_assert(!psl_connector_index_algorithm(&psl_connector_sqlite, "Hash"));
    ck_assert_ptr_null(psl_connector_native_type(&psl_connector_sqlite, "Text"));
    ck_assert_str_eq(psl_connector_mysql.runtime_provider, "PRISMA_MYSQL");
    ck_assert_uint_eq(psl_connector_mysql.max_ident_len, 64);
    ck_assert(!psl_connector_index_algorithm(&psl_connector_mysql, "Hash"));
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

    /* MySQL: native types with two scalars, required and paired
     * arguments, argument ranges. */
    static const char my[] = "model A {\n  id Int @id\n  b Boolean @db.TinyInt\n  i Int @db.TinyInt\n"
                             "  c String @db.VarChar(191)\n  d Decimal @db.Decimal(10, 2)\n"
                             "  e DateTime @db.DateTime(6)\n  f Bytes @db.Bit(8)\n  g Boolean @db.Bit(1)\n"
                             "  h BigInt @db.UnsignedBigInt\n  j Json @db.Json\n  k Int @db.Year\n}\n";
    ck_assert_uint_eq(check("mysql", my, msg, sizeof msg), 0);
    ck_assert_uint_eq(check("postgresql", my, msg, sizeof msg), 7); /* TinyInt twice, Bit twice, ... */
    ck_assert_str_eq(msg, "Native type TinyInt is not supported for postgresql connector.");
    static const char my_bad[][96] = {
        "  a String @db.TinyInt",
        "  a String @db.VarChar",
        "  a Decimal @db.Decimal(10)",
        "  a Decimal @db.Decimal(66, 2)",
        "  a Decimal @db.Decimal(65, 31)",
        "  a Decimal @db.Decimal(5, 7)",
        "  a Boolean @db.Bit(2)",
        "  a Bytes @db.Bit(65)",
        "  a String @db.Char(256)",
        "  a String @db.VarChar(65536)",
        "  a Int @db.Int(3)",
    };
    static const char *const my_msgs[] = {
        "Native type TinyInt is not compatible with declared field type String, expected field type Boolean or Int.",
        "Function \"VarChar\" takes 1 arguments, but received 0.",
        "Expected two nonnegative integers, but found (10).",
        "Argument M is out of range for native type `Decimal(66,2)` of MySQL: Precision can range from 1 to 65.",
        "Argument M is out of range for native type `Decimal(65,31)` of MySQL: Scale can range from 0 to 30.",
        "The scale must not be larger than the precision for the Decimal(5,7) native type in MySQL.",
        "Argument M is out of range for native type `Bit(2)` of MySQL: only Bit(1) can be used as Boolean.",
        "Argument M is out of range for native type `Bit(65)` of MySQL: M can range from 1 to 64.",
        "Argument M is out of range for native type `Char(256)` of MySQL: M can range from 0 to 255.",
        "Argument M is out of range for native type `VarChar(65536)` of MySQL: M can range from 0 to 65,535.",
        "Function \"Int\" takes 0 arguments, but received 1.",
    };
    for (size_t i = 0; i < sizeof my_bad / sizeof my_bad[0]; i++) {
        char body[1280];
        snprintf(body, sizeof body, "model A {\n  id Int @id\n%s\n}\n", my_bad[i]);
        ck_assert_uint_eq(check("mysql", body, msg, sizeof msg), 1);
        ck_assert_str_eq(msg, my_msgs[i]);
    }

    /* MySQL keys: text and blob columns only with a prefix length;
     * lengths only where the connector has them, on String and Bytes. */
    static const char text_key[] = "model A {\n  id Int @id\n  t String @db.Text @unique\n}\n";
    ck_assert_uint_eq(check("mysql", text_key, msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "Native type `Text` cannot be unique in MySQL. Please use the `length` argument to the field "
                          "in the index definition to allow this.");
    static const char text_pk[] = "model A {\n  id String @id @db.Text\n}\n";
    ck_assert_uint_eq(check("mysql", text_pk, msg, sizeof msg), 1);
    ck_assert_ptr_nonnull(strstr(msg, "cannot be used on a field that is `@id` or `@@id`"));
    static const char prefix[] = "model A {\n  id Int @id\n  t String @db.LongText\n  b Bytes @db.Blob\n"
                                 "  @@index([t(length: 20), b(length: 8)])\n  @@unique([t(length: 10)])\n}\n";
    ck_assert_uint_eq(check("mysql", prefix, NULL, 0), 0);
    ck_assert_uint_eq(check("postgresql", prefix, msg, sizeof msg), 4); /* two native types, two lengths */
    static const char int_len[] = "model A {\n  id Int @id\n  n Int\n  @@index([n(length: 2)])\n}\n";
    ck_assert_uint_eq(check("mysql", int_len, msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "Error parsing attribute \"@@index\": The length argument is only allowed with field types "
                          "`String` or `Bytes`.");

    /* Fulltext indexes: MySQL's. */
    static const char ft[] = "model A {\n  id Int @id\n  t String\n  u String\n  @@fulltext([t, u])\n}\n";
    ck_assert_uint_eq(check("mysql", ft, NULL, 0), 0);
    ck_assert_uint_eq(check("postgresql", ft, msg, sizeof msg), 1);
    ck_assert_ptr_nonnull(strstr(msg, "Defining fulltext indexes is not supported with the current connector."));

    /* Shard keys: MySQL's, behind the shardKeys preview feature. */
    static const char shard[] = "generator c {\n  provider = \"prisma-client\"\n  previewFeatures = [\"shardKeys\"]\n}\n"
                                "model A {\n  id Int @id\n  region String @shardKey\n}\n"
                                "model B {\n  id Int @id\n  r String\n  s String\n  @@shardKey([r, s])\n}\n";
    ck_assert_uint_eq(check("mysql", shard, NULL, 0), 0);
    ck_assert_uint_eq(check("postgresql", shard, msg, sizeof msg), 2);
    ck_assert_str_eq(msg, "Error parsing attribute \"@shardKey\": Shard keys are not currently supported for provider "
                          "postgresql");

    /* Identifier limit: 64 on MySQL. */
    ck_assert_uint_eq(psl_connector_mysql.max_ident_len, 64);

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
