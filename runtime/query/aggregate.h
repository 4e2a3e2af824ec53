/* aggregate and group_by (issue 13): the plan of one call (its columns,
 * checked before anything is sent), its statement and its decoding. */
#ifndef PRISMA_AGGREGATE_H
#define PRISMA_AGGREGATE_H

#include "query.h"

/* A column of the statement: an aggregate of a field, COUNT(*), or a `by` field. */
enum { AGG_COUNT_ALL = PRISMA_AGG_N, AGG_BY };
typedef struct agg_col {
    uint8_t agg;    /* PRISMA_AGG_*, AGG_COUNT_ALL, AGG_BY */
    uint16_t field; /* index in the model's fields */
} agg_col;

typedef struct agg_plan {
    const prisma_model_desc *m;
    const prisma_agg_layout *l;
    bool group;
    prisma_aggregate_args aa; /* aggregate */
    prisma_group_by_args ga;  /* group_by */
    prisma_find_args fa;      /* aggregate: its window (where, order, cursor, skip, take) */
    find_ctx fc;
    bool window;              /* aggregate over the rows of a cursor, skip or take */
    agg_col *out;             /* the columns read, in order */
    size_t n_out;
    agg_col *inner;           /* group_by: the grouped subquery's columns (out's and those having / order_by use) */
    size_t n_inner;
    prisma_field_desc *dec_fields;
    prisma_model_desc dec;    /* the columns as fields of the result (offsets in the result or row) */
    prisma_model_desc hav;    /* group_by: the having input as a where input over the subquery's columns */
    int64_t take;             /* 0: no LIMIT */
    bool reverse;             /* negative take */
    bool has_skip;
    bool empty;               /* take 0: nothing to ask */
} agg_plan;

/* Checks the arguments (Prisma's P2009 / P2019) and plans the statement;
 * q->err on failure, nothing sent. */
int agg_plan_aggregate(query *q, agg_plan *p, const prisma_model_desc *m, const prisma_agg_layout *l,
                       const prisma_aggregate_args *args);
int agg_plan_group_by(query *q, agg_plan *p, const prisma_model_desc *m, const prisma_agg_layout *l,
                      const prisma_group_by_args *args);
bool agg_build(query *q, void *vctx);
/* The rows into a ModelAggregate / ModelGroupByList (rows are done()). */
int agg_fetch(query *q, agg_plan *p, prisma_rows *rows, void **out);
/* The result of a call that asks nothing (take 0, nothing selected). */
int agg_empty(query *q, agg_plan *p, void **out);

#endif
