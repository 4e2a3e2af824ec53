/* Every PostgreSQL native type (@db.*) through the generated client: create,
 * find, update and filters, each value compared exactly. The cases port
 * prisma-engines' query-engine-tests writes/data_types/native_types/postgres.rs
 * (native_int_types, native_decimal_types, native_string, native_other_types,
 * native_date, native_fixed_size_char) and add what a C program meets: the
 * session's time zone, values written by other programs (money as the server
 * prints it, times with offsets), pattern filters on non-text columns.
 * PostgreSQL only (tests/schemas/native_types.prisma.in). The several
 * schemas of the same schema: multi_schema.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "native_types.h"

const char *nt_url;
prisma_client *nt_db;
const char *nt_prismac, *nt_schema;

/* 2016-09-24T14:01:30.213Z and friends (Prisma's native_date values). */
#define TS INT64_C(1474725690213)
#define TS_SECOND INT64_C(1474725690000)      /* TS at precision 0 */
#define DAY INT64_C(1474675200000)            /* 2016-09-24T00:00:00Z */
#define EVENING_BEFORE INT64_C(1474664400000) /* 2016-09-23T21:00:00Z: 2016-09-24T00:00+03:00 */
#define DAY_BEFORE INT64_C(1474588800000)     /* 2016-09-23T00:00:00Z */
#define OLD_TIME INT64_C(-27080305059679)     /* 1111-11-11T13:02:20.321Z */
#define TIME_OF_DAY INT64_C(46940321)         /* 1970-01-01T13:02:20.321Z */
#define TIME_AT_PLUS3 INT64_C(36140321)       /* 1970-01-01T10:02:20.321Z: 13:02:20.321+03:00 */

static const unsigned char bytes[] = { 't', 'e', 's', 't', 0, 0xff };

static Native *make_native(void)
{
    Native *n = NULL;
    NT_OK(native_create(nt_db,
                        &(NativeCreateInput){
                            .uuid = "123e4567-e89b-12d3-a456-426614174000",
                            .tstz = PRISMA_DATETIME(TS),
                            .tstz0 = PRISMA_DATETIME(TS),
                            .ts = PRISMA_DATETIME(TS),
                            .date = PRISMA_DATETIME(EVENING_BEFORE),
                            .time = PRISMA_DATETIME(OLD_TIME),
                            .timetz = PRISMA_DATETIME(OLD_TIME),
                            .money = "3.51",
                            .inet = "127.0.0.1",
                            .citext = "MiXeD Case",
                            .varchar = "12345678910",
                            .char_ = "1234",
                            .text = "text",
                            .xml = "<wurst>salat</wurst>",
                            .bit = "1010",
                            .varbit = "00110",
                            .decimal = "3.1234",
                            .real = PRISMA_FLOAT(1.1),
                            .double_ = PRISMA_FLOAT(2.2),
                            .small = PRISMA_INT(32767),
                            .integer = PRISMA_INT(2147483647),
                            .oid = PRISMA_INT(0),
                            .big = PRISMA_BIGINT(INT64_MAX),
                            .jsonb = "{\"a\": \"b\"}",
                            .json = "{}",
                            .bytea = PRISMA_BYTES(bytes, sizeof bytes),
                            .bool_ = PRISMA_BOOL(true),
                        },
                        &n));
    ck_assert_ptr_nonnull(n);
    return n;
}

/* What Prisma returns for make_native's values (postgres.rs's snapshots). */
static void check_native(const Native *n)
{
    ck_assert_str_eq(n->uuid, "123e4567-e89b-12d3-a456-426614174000");
    ck_assert_int_eq(*n->tstz, TS);
    ck_assert_int_eq(*n->tstz0, TS_SECOND); /* Timestamptz(0): whole seconds (.213 rounds down) */
    ck_assert_int_eq(*n->ts, TS);
    ck_assert_int_eq(*n->date, DAY_BEFORE); /* the UTC date, at midnight UTC */
    ck_assert_int_eq(*n->time, TIME_OF_DAY); /* the time of day, on 1970-01-01 */
    ck_assert_int_eq(*n->timetz, TIME_OF_DAY);
    ck_assert_str_eq(n->money, "3.51"); /* Money is a Decimal: no currency sign */
    ck_assert_str_eq(n->inet, "127.0.0.1");
    ck_assert_str_eq(n->citext, "MiXeD Case"); /* kept as written; compared without case */
    ck_assert_str_eq(n->varchar, "12345678910");
    ck_assert_str_eq(n->char_, "1234      "); /* char(10) is blank-padded, as Prisma returns it */
    ck_assert_str_eq(n->text, "text");
    ck_assert_str_eq(n->xml, "<wurst>salat</wurst>");
    ck_assert_str_eq(n->bit, "1010");
    ck_assert_str_eq(n->varbit, "00110");
    ck_assert_str_eq(n->decimal, "3.12"); /* Decimal(6, 2): cut to the column's scale */
    ck_assert(*n->real == 1.1);            /* the shortest text of the float4 reads back as 1.1 */
    ck_assert(*n->double_ == 2.2);
    ck_assert_int_eq(*n->small, 32767);
    ck_assert_int_eq(*n->integer, 2147483647);
    ck_assert_int_eq(*n->oid, 0);
    ck_assert(*n->big == INT64_MAX);
    ck_assert_str_eq(n->jsonb, "{\"a\": \"b\"}"); /* jsonb's own text */
    ck_assert_str_eq(n->json, "{}");
    ck_assert_uint_eq(n->bytea->len, sizeof bytes);
    ck_assert_mem_eq(n->bytea->data, bytes, sizeof bytes);
    ck_assert(*n->bool_);
}

START_TEST(every_native_type_round_trips_through_create_and_find)
{
    Native *n = make_native();
    check_native(n);
    Native *r = NULL;
    NT_OK(native_find_unique(nt_db, &(NativeWhereUniqueInput){ .id = PRISMA_INT(n->id) }, &r));
    ck_assert_ptr_nonnull(r);
    check_native(r);
    native_free(r);
    native_free(n);
}
END_TEST

START_TEST(every_native_type_updates)
{
    Native *n = make_native(), *u = NULL;
    static const unsigned char other[] = { 1, 2, 3 };
    NT_OK(native_update(nt_db, &(NativeWhereUniqueInput){ .id = PRISMA_INT(n->id) },
                        &(NativeUpdateInput){
                            .uuid = "00000000-0000-7000-8000-000000000001",
                            .tstz = PRISMA_DATETIME(DAY),
                            .ts = PRISMA_DATETIME(DAY),
                            .date = PRISMA_DATETIME(DAY),
                            .time = PRISMA_DATETIME(86399999),
                            .timetz = PRISMA_DATETIME(TIME_AT_PLUS3),
                            .money = { .increment = "1.49" },
                            .inet = "10.1.0.0/16",
                            .varchar = "",
                            .char_ = "abcdefghij",
                            .xml = "<a/>",
                            .bit = "0001",
                            .varbit = "1",
                            .decimal = { .multiply = "2" },
                            .real = { .set = PRISMA_FLOAT(-0.5) },
                            .double_ = { .divide = PRISMA_FLOAT(2) },
                            .small = { .decrement = PRISMA_INT(1) },
                            .integer = { .set = PRISMA_INT(-2147483647 - 1) },
                            .oid = { .set = PRISMA_INT(4000) },
                            .big = { .set = PRISMA_BIGINT(INT64_MIN) },
                            .jsonb = "[1, 2.5, \"x\"]",
                            .json = "{\"k\":  [true]}",
                            .bytea = PRISMA_BYTES(other, sizeof other),
                            .bool_ = PRISMA_BOOL(false),
                        },
                        &u));
    Native *r = NULL;
    NT_OK(native_find_unique(nt_db, &(NativeWhereUniqueInput){ .id = PRISMA_INT(n->id) }, &r));
    const Native *both[] = { u, r };
    for (int i = 0; i < 2; i++) {
        const Native *x = both[i];
        ck_assert_str_eq(x->uuid, "00000000-0000-7000-8000-000000000001");
        ck_assert_int_eq(*x->tstz, DAY);
        ck_assert_int_eq(*x->ts, DAY);
        ck_assert_int_eq(*x->date, DAY);
        ck_assert_int_eq(*x->time, 86399999);
        ck_assert_int_eq(*x->timetz, TIME_AT_PLUS3);
        ck_assert_str_eq(x->money, "5"); /* Decimal text without trailing zeros, as Prisma */
        ck_assert_str_eq(x->inet, "10.1.0.0/16");
        ck_assert_str_eq(x->varchar, "");
        ck_assert_str_eq(x->char_, "abcdefghij");
        ck_assert_str_eq(x->xml, "<a/>");
        ck_assert_str_eq(x->bit, "0001");
        ck_assert_str_eq(x->varbit, "1");
        ck_assert_str_eq(x->decimal, "6.24");
        ck_assert(*x->real == -0.5);
        ck_assert(*x->double_ == 1.1);
        ck_assert_int_eq(*x->small, 32766);
        ck_assert_int_eq(*x->integer, -2147483647 - 1);
        ck_assert_int_eq(*x->oid, 4000);
        ck_assert(*x->big == INT64_MIN);
        ck_assert_str_eq(x->jsonb, "[1, 2.5, \"x\"]");
        ck_assert_str_eq(x->json, "{\"k\":  [true]}"); /* json keeps its text as written */
        ck_assert_uint_eq(x->bytea->len, sizeof other);
        ck_assert(!*x->bool_);
    }
    /* And back to NULL, each. */
    Native *z = NULL;
    NT_OK(native_update(nt_db, &(NativeWhereUniqueInput){ .id = PRISMA_INT(n->id) },
                        &(NativeUpdateInput){ .uuid = PRISMA_NULL, .tstz = PRISMA_DATETIME_NULL,
                                              .date = PRISMA_DATETIME_NULL, .timetz = PRISMA_DATETIME_NULL,
                                              .money = { .set = PRISMA_NULL }, .inet = PRISMA_NULL,
                                              .xml = PRISMA_NULL, .bit = PRISMA_NULL, .oid = { .set = PRISMA_INT_NULL },
                                              .jsonb = PRISMA_NULL },
                        &z));
    ck_assert_ptr_null(z->uuid);
    ck_assert_ptr_null(z->tstz);
    ck_assert_ptr_null(z->date);
    ck_assert_ptr_null(z->timetz);
    ck_assert_ptr_null(z->money);
    ck_assert_ptr_null(z->inet);
    ck_assert_ptr_null(z->xml);
    ck_assert_ptr_null(z->bit);
    ck_assert_ptr_null(z->oid);
    ck_assert_ptr_null(z->jsonb);
    ck_assert_ptr_nonnull(z->time);
    native_free(z);
    native_free(r);
    native_free(u);
    native_free(n);
}
END_TEST

static int64_t count_where(const NativeWhereInput *w)
{
    int64_t c = -1;
    NT_OK(native_count(nt_db, w, &c));
    return c;
}

/* The filter finds make_native's row, and its negation (the same filter on
 * another value) finds nothing. */
#define FINDS(...) ck_assert_int_eq(count_where(&(NativeWhereInput){ __VA_ARGS__ }), 1)
#define MISSES(...) ck_assert_int_eq(count_where(&(NativeWhereInput){ __VA_ARGS__ }), 0)

START_TEST(every_native_type_filters)
{
    Native *n = make_native();
    /* A second row, different in every column, that no filter below may find. */
    NT_OK(native_create(nt_db, &(NativeCreateInput){ .uuid = "00000000-0000-4000-8000-000000000000",
                                                     .tstz = PRISMA_DATETIME(DAY), .ts = PRISMA_DATETIME(DAY),
                                                     .date = PRISMA_DATETIME(DAY), .time = PRISMA_DATETIME(1000),
                                                     .timetz = PRISMA_DATETIME(1000), .money = "100",
                                                     .inet = "::1", .char_ = "zz", .xml = "<b/>", .bit = "0000",
                                                     .varbit = "", .decimal = "99", .real = PRISMA_FLOAT(9),
                                                     .oid = PRISMA_INT(7), .jsonb = "{}", .json = "[]" },
                        NULL));
    FINDS(.uuid = { .equals = "123e4567-e89b-12d3-a456-426614174000" });
    FINDS(.uuid = { .equals = "123E4567-E89B-12D3-A456-426614174000" }); /* uuid input ignores case */
    FINDS(.uuid = { .in = PRISMA_STRINGS("123e4567-e89b-12d3-a456-426614174000", "00000000-0000-0000-0000-00000000000a") });
    FINDS(.uuid = { .contains = "e89b" });     /* a pattern on a uuid column: compared as text, as Prisma */
    FINDS(.uuid = { .starts_with = "123e" });
    MISSES(.uuid = { .equals = "123e4567-e89b-12d3-a456-426614174001" });
    FINDS(.tstz = { .equals = PRISMA_DATETIME(TS) });
    FINDS(.tstz = { .lt = PRISMA_DATETIME(TS + 1), .gt = PRISMA_DATETIME(TS - 1) });
    FINDS(.tstz0 = { .equals = PRISMA_DATETIME(TS_SECOND) });
    FINDS(.ts = { .equals = PRISMA_DATETIME(TS) });
    FINDS(.ts = { .in = PRISMA_DATETIMES(TS, 5) });
    FINDS(.date = { .equals = PRISMA_DATETIME(DAY_BEFORE) });
    FINDS(.date = { .lt = PRISMA_DATETIME(DAY) });
    FINDS(.time = { .equals = PRISMA_DATETIME(TIME_OF_DAY) });
    FINDS(.time = { .gt = PRISMA_DATETIME(TIME_OF_DAY - 1), .lte = PRISMA_DATETIME(TIME_OF_DAY) });
    FINDS(.timetz = { .equals = PRISMA_DATETIME(TIME_OF_DAY) });
    FINDS(.money = { .equals = "3.51" });
    FINDS(.money = { .lt = "10", .gte = "3.51" });
    MISSES(.money = { .equals = "3.5" });
    FINDS(.inet = { .equals = "127.0.0.1" });
    FINDS(.inet = { .starts_with = "127." });
    FINDS(.citext = { .equals = "mixed case" }); /* citext's own equality */
    FINDS(.citext = { .in = PRISMA_STRINGS("MIXED CASE") });
    FINDS(.citext = { .contains = "XeD" });
    FINDS(.varchar = { .equals = "12345678910" });
    FINDS(.char_ = { .equals = "1234" }); /* char(n) compares without its padding */
    FINDS(.char_ = { .equals = "1234      " });
    FINDS(.text = { .contains = "ex", .mode = PRISMA_INSENSITIVE });
    FINDS(.xml = { .contains = "salat" });
    FINDS(.xml = { .equals = "<wurst>salat</wurst>" }); /* xml has no `=`: compared as text, as Prisma */
    FINDS(.xml = { .in = PRISMA_STRINGS("<a/>", "<wurst>salat</wurst>") });
    MISSES(.xml = { .equals = "<wurst>salat</wurst> " });
    FINDS(.json = { .equals = "{}" }); /* json has no `=`: compared as jsonb, as Prisma */
    FINDS(.json = { .equals = "{ }" });
    FINDS(.jsonb = { .equals = "{\"a\":\"b\"}" });
    MISSES(.json = { .equals = "[1]" });
    FINDS(.bit = { .equals = "1010" });
    FINDS(.varbit = { .equals = "00110" });
    FINDS(.decimal = { .equals = "3.12" });
    FINDS(.decimal = { .gt = "3.1", .lt = "3.13" });
    FINDS(.real = { .equals = PRISMA_FLOAT(1.1) });
    FINDS(.double_ = { .equals = PRISMA_FLOAT(2.2) });
    FINDS(.small = { .equals = PRISMA_INT(32767) });
    FINDS(.integer = { .gte = PRISMA_INT(2147483647) });
    FINDS(.oid = { .equals = PRISMA_INT(0) });
    FINDS(.big = { .equals = PRISMA_BIGINT(INT64_MAX) });
    FINDS(.jsonb = { .path = PRISMA_STRINGS("a"), .string_contains = "b" });
    FINDS(.bytea = { .equals = PRISMA_BYTES(bytes, sizeof bytes) });
    FINDS(.bool_ = { .equals = PRISMA_BOOL(true) });
    /* Order by a native column. */
    NativeList *l = NULL;
    NT_OK(native_find_many(nt_db, &(NativeFindManyArgs){ .order_by = &(NativeOrderByInput){ .money = PRISMA_DESC },
                                                         .order_by_len = 1 }, &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].money, "100");
    ck_assert_str_eq(l->items[1].money, "3.51");
    native_list_free(l);
    native_free(n);
}
END_TEST

/* The session's TimeZone must not move an instant: a program (or a pooler)
 * may set any. Asia/Kolkata is +05:30, so an hour-only mistake shows too. */
START_TEST(the_session_time_zone_changes_nothing)
{
    char url[1024];
    snprintf(url, sizeof url, "%s%soptions=-c%%20TimeZone%%3DAsia%%2FKolkata", nt_url, strchr(nt_url, '?') ? "&" : "?");
    prisma_client *kolkata = NULL;
    ck_assert_msg(prisma_connect(&kolkata, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    prisma_raw_rows *tz = NULL;
    ck_assert_int_eq(prisma_query_raw(kolkata, "SHOW TimeZone", NULL, 0, &tz), PRISMA_OK);
    ck_assert_str_eq(tz->values[0].s, "Asia/Kolkata");
    prisma_free(tz);
    Native *n = NULL;
    ck_assert_int_eq(native_create(kolkata, &(NativeCreateInput){ .tstz = PRISMA_DATETIME(TS), .ts = PRISMA_DATETIME(TS),
                                                                 .date = PRISMA_DATETIME(EVENING_BEFORE),
                                                                 .time = PRISMA_DATETIME(OLD_TIME),
                                                                 .timetz = PRISMA_DATETIME(OLD_TIME) },
                                   &n),
                     PRISMA_OK);
    ck_assert_int_eq(*n->tstz, TS);
    ck_assert_int_eq(*n->ts, TS);
    ck_assert_int_eq(*n->date, DAY_BEFORE);
    ck_assert_int_eq(*n->time, TIME_OF_DAY);
    ck_assert_int_eq(*n->timetz, TIME_OF_DAY);
    int64_t c = 0;
    ck_assert_int_eq(native_count(kolkata, &(NativeWhereInput){ .tstz = { .equals = PRISMA_DATETIME(TS) },
                                                               .timetz = { .equals = PRISMA_DATETIME(TIME_OF_DAY) } },
                                  &c),
                     PRISMA_OK);
    ck_assert_int_eq(c, 1);
    /* What the database holds, read in UTC by another session. */
    prisma_raw_rows *rows = NULL;
    NT_OK(prisma_query_raw(nt_db,
                           "SELECT (tstz AT TIME ZONE 'UTC')::text, timetz::text, ts::text FROM \"Native\" WHERE id = $1",
                           &PRISMA_RAW_INT_V(n->id), 1, &rows));
    ck_assert_str_eq(rows->values[0].s, "2016-09-24 14:01:30.213");
    ck_assert_str_eq(rows->values[1].s, "13:02:20.321+00");
    ck_assert_str_eq(rows->values[2].s, "2016-09-24 14:01:30.213");
    prisma_free(rows);
    native_free(n);
    prisma_disconnect(kolkata);
}
END_TEST

/* Values another program wrote: money as the server prints it, times and
 * timestamps with offsets, a date. */
START_TEST(values_written_by_hand_read_back_as_prisma_reads_them)
{
    int64_t affected = 0;
    NT_OK(prisma_execute_raw(nt_db,
                             "INSERT INTO \"Native\" (id, money, timetz, tstz, date, time) VALUES "
                             "(1001, '-1234567.89', '13:02:20.321+03', '2016-09-24 17:01:30.213+03', '2016-09-24', "
                             "'13:02:20.321'), (1002, '0.5', '23:30:00-01:30', NULL, NULL, NULL)",
                             NULL, 0, &affected));
    ck_assert_int_eq(affected, 2);
    Native *a = NULL, *b = NULL;
    NT_OK(native_find_unique(nt_db, &(NativeWhereUniqueInput){ .id = PRISMA_INT(1001) }, &a));
    NT_OK(native_find_unique(nt_db, &(NativeWhereUniqueInput){ .id = PRISMA_INT(1002) }, &b));
    ck_assert_str_eq(a->money, "-1234567.89");
    ck_assert_int_eq(*a->timetz, TIME_AT_PLUS3); /* the UTC time of day */
    ck_assert_int_eq(*a->tstz, TS);
    ck_assert_int_eq(*a->date, DAY);
    ck_assert_int_eq(*a->time, TIME_OF_DAY);
    ck_assert_str_eq(b->money, "0.5");
    ck_assert_int_eq(*b->timetz, 3600000); /* 23:30-01:30 is 01:00 UTC, on 1970-01-01 (Prisma would drop the offset) */
    native_free(a);
    native_free(b);
}
END_TEST

/* Prisma's native_fixed_size_char: char(16) keys are blank-padded, and a
 * relation through them works. Also a uuid key with uuid(7) and an inet
 * unique. */
START_TEST(native_types_as_keys_and_relations)
{
    Device *owner = NULL, *d = NULL;
    NT_OK(device_create(nt_db, &(DeviceCreateInput){ .address = "192.168.0.1", .label = "owner" }, &owner));
    ck_assert_uint_eq(strlen(owner->id), 36);
    ck_assert_int_eq(owner->id[14], '7'); /* uuid version 7 */
    ck_assert_str_eq(owner->label, "owner           ");
    NT_OK(device_create(nt_db,
                        &(DeviceCreateInput){ .address = "192.168.0.2", .label = "child",
                                              .owner = { .connect = &(DeviceWhereUniqueInput){ .address = "192.168.0.1" } } },
                        &d));
    ck_assert_str_eq(d->ownerId, owner->id);
    Device *found = NULL;
    NT_OK(device_find_unique(nt_db, &(DeviceWhereUniqueInput){ .id = owner->id }, &found));
    ck_assert_ptr_nonnull(found);
    device_free(found);
    found = NULL;
    NT_OK(device_find_unique(nt_db, &(DeviceWhereUniqueInput){ .address = "192.168.0.2" }, &found));
    ck_assert_ptr_nonnull(found);
    device_free(found);
    DeviceList *l = NULL;
    NT_OK(device_find_many(nt_db, &(DeviceFindManyArgs){ .where = &(DeviceWhereInput){ .label = { .equals = "owner" } },
                                                         .include = &(DeviceInclude){ .owned = true } },
                           &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_uint_eq(l->items[0].owned->len, 1);
    ck_assert_str_eq(l->items[0].owned->items[0].label, "child           ");
    device_list_free(l);
    /* P2002 on the inet unique, whatever spelling the same address has. */
    ck_assert_int_eq(device_create(nt_db, &(DeviceCreateInput){ .address = "192.168.0.1/32", .label = "x" }, NULL),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(nt_db), "P2002");
    /* A malformed uuid is the database's error, not a crash or a silent miss. */
    ck_assert_int_eq(device_find_unique(nt_db, &(DeviceWhereUniqueInput){ .id = "not-a-uuid" }, &found), PRISMA_ERROR);
    NT_OK(device_delete_many(nt_db, NULL, NULL));
    device_free(owner);
    device_free(d);
}
END_TEST

/* A many-to-many relation between uuid keys: the join table holds uuids, so
 * every statement on it (connect, create, set, disconnect, include, delete)
 * must give its parameters the uuid type, not text. A citext unique. */
START_TEST(many_to_many_between_uuid_keys)
{
    Device *d = NULL;
    NT_OK(device_create_include(
        nt_db,
        &(DeviceCreateInput){
            .address = "172.16.0.1", .label = "m2m",
            .groups = { .create = (GroupCreateInput[]){ { .name = "Admins" } }, .create_len = 1,
                        .connect_or_create = (GroupConnectOrCreateInput[]){ { .where = &(GroupWhereUniqueInput){ .name = "ops" },
                                                                               .create = &(GroupCreateInput){ .name = "Ops" } } },
                        .connect_or_create_len = 1 } },
        &(DeviceInclude){ .groups = true }, &d));
    ck_assert_uint_eq(d->groups->len, 2);
    /* citext unique: the same name in another case is a duplicate. */
    ck_assert_int_eq(group_create(nt_db, &(GroupCreateInput){ .name = "ADMINS" }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(nt_db), "P2002");
    Group *g = NULL;
    NT_OK(group_create(nt_db, &(GroupCreateInput){ .name = "Users",
                                                   .devices = { .connect = (DeviceWhereUniqueInput[]){ { .id = d->id } },
                                                                .connect_len = 1 } },
                       &g));
    GroupList *gl = NULL;
    NT_OK(group_find_many(nt_db, &(GroupFindManyArgs){ .where = &(GroupWhereInput){ .name = { .equals = "admins" } },
                                                       .include = &(GroupInclude){ .devices = true } },
                          &gl));
    ck_assert_uint_eq(gl->len, 1);
    ck_assert_uint_eq(gl->items[0].devices->len, 1);
    ck_assert_str_eq(gl->items[0].devices->items[0].id, d->id);
    group_list_free(gl);
    Device *u = NULL;
    NT_OK(device_update_include(nt_db, &(DeviceWhereUniqueInput){ .id = d->id },
                                &(DeviceUpdateInput){ .groups = { .set = (GroupWhereUniqueInput[]){ { .id = g->id } },
                                                                  .set_len = 1, .set_given = true } },
                                &(DeviceInclude){ .groups = true }, &u));
    ck_assert_uint_eq(u->groups->len, 1);
    ck_assert_str_eq(u->groups->items[0].name, "Users");
    device_free(u);
    u = NULL;
    NT_OK(device_update_include(nt_db, &(DeviceWhereUniqueInput){ .id = d->id },
                                &(DeviceUpdateInput){ .groups = { .disconnect = (GroupWhereUniqueInput[]){ { .name = "users" } },
                                                                  .disconnect_len = 1 } },
                                &(DeviceInclude){ .groups = true }, &u));
    ck_assert_uint_eq(u->groups->len, 0);
    NT_OK(group_delete_many(nt_db, NULL, NULL));
    device_free(u);
    group_free(g);
    device_free(d);
}
END_TEST

/* uuid(7) ids are time-ordered: one made a few milliseconds later sorts after. */
START_TEST(uuid7_ids_are_time_ordered)
{
    char prev[40] = "";
    for (int i = 0; i < 20; i++) {
        Device *d = NULL;
        char addr[32];
        snprintf(addr, sizeof addr, "10.0.0.%d", i + 1);
        NT_OK(device_create(nt_db, &(DeviceCreateInput){ .address = addr, .label = "t" }, &d));
        ck_assert_msg(strcmp(prev, d->id) < 0, "%s then %s", prev, d->id);
        snprintf(prev, sizeof prev, "%s", d->id);
        device_free(d);
    }
}
END_TEST

static const char *const nt_tables[] = { "Native", "Device", "Group", "_DeviceToGroup" };

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(nt_url, nt_tables, sizeof nt_tables / sizeof nt_tables[0]), 0);
    ck_assert_msg(prisma_connect(&nt_db, nt_url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    multi_schema_reset();
}

static void teardown(void)
{
    prisma_disconnect(nt_db);
    nt_db = NULL;
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, every_native_type_round_trips_through_create_and_find);
    tcase_add_test(tc, every_native_type_updates);
    tcase_add_test(tc, every_native_type_filters);
    tcase_add_test(tc, the_session_time_zone_changes_nothing);
    tcase_add_test(tc, values_written_by_hand_read_back_as_prisma_reads_them);
    tcase_add_test(tc, native_types_as_keys_and_relations);
    tcase_add_test(tc, uuid7_ids_are_time_ordered);
    tcase_add_test(tc, many_to_many_between_uuid_keys);
    multi_schema_add_tests(tc);
}

static int prepare(char **more)
{
    (void)more;
    return multi_schema_prepare();
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = {
        .name = "native_types", .timeout = 60, .url = &nt_url, .prepare = prepare, .setup = setup,
        .teardown = teardown, .add_tests = add_tests,
    };
    if (argc >= 4) {
        nt_prismac = argv[2];
        nt_schema = argv[3];
    }
    return testmain_run(&suite, argc, argv);
}
