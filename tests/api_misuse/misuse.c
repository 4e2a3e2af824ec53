/* Bare values where an input wrapper belongs: every line marked MISUSE must
 * draw a diagnostic (a warning or an error) from the compiler in its default
 * mode, no -W flags; every other line must draw none. check_misuse.sh
 * compiles this file with gcc and clang, as C11 and C23, and compares. */
#include "client.h"

void misuse(void);
void misuse(void)
{
    static const int32_t ids[] = { 1, 2 };
    static const int64_t bigs[] = { 1, 2 };
    static const double ratios[] = { 1.5 };
    static const char *const names[] = { "a" };
    static const int roles[] = { ROLE_USER };
    static unsigned char bytes[] = { 1, 2 };

    /* The right way, for comparison: no diagnostic. */
    ThingWhereUniqueInput ok_unique = { .id = PRISMA_INT(5) };
    ThingWhereInput ok_where = { .id = { .gt = PRISMA_INT(1), .in = PRISMA_INTS(1, 2) }, .active = { .equals = PRISMA_BOOL(true) },
                                 .name = { .in = PRISMA_STRINGS("a") }, .role = { .in = PRISMA_ENUMS(ROLE_USER) } };
    ThingCreateInput ok_create = { .id = PRISMA_INT(1), .big = PRISMA_BIGINT(2), .ratio = PRISMA_FLOAT(1.5),
                                   .active = PRISMA_BOOL(false), .at = PRISMA_DATETIME(0), .blob = PRISMA_BYTES(bytes, 2),
                                   .name = "n", .role = ROLE_ADMIN, .score = PRISMA_INT_NULL };
    ThingUpdateInput ok_update = { .id = { .set = PRISMA_INT(2) }, .ratio = { .multiply = PRISMA_FLOAT(2) },
                                   .active = PRISMA_BOOL(true), .blob = PRISMA_BYTES_NULL };
    ThingWhereInput ok_empty = { .id = { .in = PRISMA_EMPTY_LIST } };

    /* Where unique: prisma_int, prisma_bigint. */
    ThingWhereUniqueInput u1 = { .id = 5 }; /* MISUSE */
    ThingWhereUniqueInput u2 = { .big = 5 }; /* MISUSE */
    ThingWhereUniqueInput u3 = { .id = 1.5 }; /* MISUSE */
    ThingWhereUniqueInput u4 = { .id = "5" }; /* MISUSE */

    /* Where: each filter type, its operators and its lists. */
    ThingWhereInput w1 = { .id = 5 }; /* MISUSE */
    ThingWhereInput w2 = { .id = { .gt = 1 } }; /* MISUSE */
    ThingWhereInput w3 = { .id = { .not_ = 3 } }; /* MISUSE */
    ThingWhereInput w4 = { .big = 5 }; /* MISUSE */
    ThingWhereInput w5 = { .ratio = 1.5 }; /* MISUSE */
    ThingWhereInput w6 = { .ratio = { .lt = 2 } }; /* MISUSE */
    ThingWhereInput w7 = { .active = true }; /* MISUSE */
    ThingWhereInput w8 = { .at = 1000 }; /* MISUSE */
    ThingWhereInput w9 = { .blob = bytes }; /* MISUSE */
    ThingWhereInput w10 = { .blob = { .equals = bytes } }; /* MISUSE */
    ThingWhereInput w11 = { .score = { .equals = 7 } }; /* MISUSE */
    ThingWhereInput l1 = { .id = { .in = 5 } }; /* MISUSE */
    ThingWhereInput l2 = { .id = { .in = ids } }; /* MISUSE */
    ThingWhereInput l3 = { .id = { .not_in = ids } }; /* MISUSE */
    ThingWhereInput l4 = { .big = { .in = bigs } }; /* MISUSE */
    ThingWhereInput l5 = { .ratio = { .in = ratios } }; /* MISUSE */
    ThingWhereInput l6 = { .name = { .in = names } }; /* MISUSE */
    ThingWhereInput l7 = { .at = { .in = bigs } }; /* MISUSE */
    ThingWhereInput l8 = { .role = { .in = roles } }; /* MISUSE */
    ThingWhereInput l9 = { .role = { .not_in = 1 } }; /* MISUSE */

    /* Create: every wrapped type. */
    ThingCreateInput c1 = { .id = 1 }; /* MISUSE */
    ThingCreateInput c2 = { .big = 2 }; /* MISUSE */
    ThingCreateInput c3 = { .ratio = 2.5 }; /* MISUSE */
    ThingCreateInput c4 = { .active = true }; /* MISUSE */
    ThingCreateInput c5 = { .at = 1000 }; /* MISUSE */
    ThingCreateInput c6 = { .blob = bytes }; /* MISUSE */
    ThingCreateInput c7 = { .score = 7 }; /* MISUSE */
    ThingCreateInput c8 = { .score = PRISMA_NULL }; /* MISUSE */

    /* Update: the arithmetic wrappers and the plain ones. */
    ThingUpdateInput p1 = { .id = 2 }; /* MISUSE */
    ThingUpdateInput p2 = { .id = { .increment = 1 } }; /* MISUSE */
    ThingUpdateInput p3 = { .big = 2 }; /* MISUSE */
    ThingUpdateInput p4 = { .ratio = 1.5 }; /* MISUSE */
    ThingUpdateInput p5 = { .active = true }; /* MISUSE */
    ThingUpdateInput p6 = { .at = 1000 }; /* MISUSE */
    ThingUpdateInput p7 = { .blob = bytes }; /* MISUSE */
    ThingUpdateInput p8 = { .score = { .set = 3 } }; /* MISUSE */

    /* Assignment, not initialization. */
    ThingWhereUniqueInput a1 = { 0 };
    a1.id = 5; /* MISUSE */

    (void)ok_unique, (void)ok_where, (void)ok_create, (void)ok_update, (void)ok_empty;
    (void)u1, (void)u2, (void)u3, (void)u4, (void)w1, (void)w2, (void)w3, (void)w4, (void)w5, (void)w6;
    (void)w7, (void)w8, (void)w9, (void)w10, (void)w11, (void)l1, (void)l2, (void)l3, (void)l4, (void)l5;
    (void)l6, (void)l7, (void)l8, (void)l9, (void)c1, (void)c2, (void)c3, (void)c4, (void)c5, (void)c6;
    (void)c7, (void)c8, (void)p1, (void)p2, (void)p3, (void)p4, (void)p5, (void)p6, (void)p7, (void)p8, (void)a1;
}
