/* Descriptors: how generated code tells the runtime about a schema.
 *
 * Generated code is thin (as in protobuf-c and nanopb): per model, a struct,
 * a descriptor table of its fields (types, columns, offsets in every
 * generated struct, defaults, uniques, relations) and typed wrappers over the
 * generic operations declared here. Users do not call these directly. */
#ifndef PRISMA_MODEL_H
#define PRISMA_MODEL_H

#include "prisma/prisma.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum prisma_type {
    PRISMA_TYPE_STRING = 1,
    PRISMA_TYPE_INT,
    PRISMA_TYPE_BIGINT,
    PRISMA_TYPE_FLOAT,
    PRISMA_TYPE_DECIMAL,
    PRISMA_TYPE_BOOLEAN,
    PRISMA_TYPE_DATETIME,
    PRISMA_TYPE_JSON,
    PRISMA_TYPE_BYTES,
    PRISMA_TYPE_ENUM
} prisma_type;

/* Field flags. */
enum {
    PRISMA_F_OPTIONAL = 1 << 0,
    PRISMA_F_LIST = 1 << 1,       /* a scalar list; its column may be NULL, so PRISMA_F_OPTIONAL is set too */
    PRISMA_F_ID = 1 << 2,         /* part of the primary key */
    PRISMA_F_UNIQUE = 1 << 3,     /* single-field unique */
    PRISMA_F_UPDATED_AT = 1 << 4, /* @updatedAt: set on every write */
    PRISMA_F_DB_DEFAULT = 1 << 5, /* the database fills it when not given (autoincrement, dbgenerated, literals) */
    PRISMA_F_CAST_COMPARE = 1 << 6, /* its column type has no `=` (@db.Xml, @db.Json): compared through a cast */
};

/* Defaults the client computes when a create does not give the value. */
typedef enum prisma_default {
    PRISMA_DEFAULT_NONE = 0,
    PRISMA_DEFAULT_NOW,
    PRISMA_DEFAULT_UUID4,
    PRISMA_DEFAULT_UUID7,
    PRISMA_DEFAULT_CUID,
    PRISMA_DEFAULT_CUID2,
    PRISMA_DEFAULT_NANOID,
    PRISMA_DEFAULT_ULID,
    PRISMA_DEFAULT_AUTOINCREMENT,
    PRISMA_DEFAULT_DB /* a database-side default (literal or dbgenerated) */
} prisma_default;

#define PRISMA_NO_OFFSET UINT32_MAX

typedef struct prisma_enum_desc {
    const char *name;
    const char *db_name;
    const char *const *values; /* database names; C value i+1 is values[i] */
    uint32_t n_values;
} prisma_enum_desc;

typedef struct prisma_field_desc {
    const char *name;   /* as in the schema */
    const char *column; /* database column */
    uint8_t type;       /* prisma_type */
    uint8_t flags;
    uint8_t default_kind; /* prisma_default */
    uint8_t default_arg;  /* nanoid length */
    const prisma_enum_desc *enum_desc;
    /* Offsets of the field in each generated struct; PRISMA_NO_OFFSET when it has none there. */
    uint32_t rec_off;    /* ModelName: the record */
    uint32_t create_off; /* ModelNameCreateInput */
    uint32_t update_off; /* ModelNameUpdateInput */
    uint32_t where_off;  /* ModelNameWhereInput: a prisma_*_filter */
    uint32_t order_off;  /* ModelNameOrderByInput: a prisma_sort */
    /* ---- issue 13, include: select / omit ---- */
    uint32_t select_off; /* ModelNameSelect: a bool */
    uint32_t omit_off;   /* ModelNameOmit: a bool */
} prisma_field_desc;

/* A unique criterion: the primary key or a unique constraint. In the
 * where-unique input, a single-field criterion is a plain value and a
 * compound one a struct at `offset`; `member_offs[k]` is the offset, from the
 * start of the where-unique input, of the value of field k (create-input
 * types). */
typedef struct prisma_unique_desc {
    const char *name;           /* the client name, e.g. "email" or "a_b" */
    const uint16_t *fields;     /* indexes into the model's fields */
    const uint32_t *member_offs;
    uint16_t n_fields;
    uint32_t offset;            /* in ModelNameWhereUniqueInput */
} prisma_unique_desc;

typedef struct prisma_model_desc prisma_model_desc;
typedef struct prisma_find_args prisma_find_args;

typedef enum prisma_relation_kind {
    PRISMA_REL_TO_ONE_FK = 1, /* this side holds the foreign key (fields) */
    PRISMA_REL_TO_ONE_BACK,   /* to-one, the other side holds the key */
    PRISMA_REL_TO_MANY,       /* 1-n, the other side holds the key */
    PRISMA_REL_MANY_TO_MANY   /* implicit join table */
} prisma_relation_kind;

/* Referential actions (onDelete / onUpdate), Prisma's defaults applied. */
typedef enum prisma_ref_action {
    PRISMA_ACTION_CASCADE = 1,
    PRISMA_ACTION_RESTRICT,
    PRISMA_ACTION_NO_ACTION,
    PRISMA_ACTION_SET_NULL,
    PRISMA_ACTION_SET_DEFAULT
} prisma_ref_action;

typedef struct prisma_relation_desc {
    const char *name;          /* the relation field's name */
    uint8_t kind;              /* prisma_relation_kind */
    uint8_t optional;          /* to-one: the field is optional */
    const prisma_model_desc *target; /* the related model */
    /* TO_ONE_FK: fields[i] of this model reference references[i] of the
     * target. TO_ONE_BACK / TO_MANY: fields[i] of the target reference
     * references[i] of this model. */
    const uint16_t *fields;
    const uint16_t *references;
    uint16_t n_fields;
    const char *join_table;    /* MANY_TO_MANY: "_AToB" */
    uint8_t join_self_is_a;    /* MANY_TO_MANY: this model is the join table's "A" */
    uint32_t rec_off;          /* in the record: Target * (to-one) or TargetList * (to-many) */
    uint32_t include_off;      /* in ModelNameInclude: a bool */
    const char *relation;      /* the relation's name, e.g. "PostToUser" (in error messages) */
    uint16_t inverse;          /* the other side: an index into target->relations */
    /* The nested writes member (prisma_nested_one_* / prisma_nested_many_*)
     * in ModelNameCreateInput and ModelNameUpdateInput. */
    uint32_t create_off;
    uint32_t update_off;
    /* The relation's referential actions (prisma_ref_action), as declared on
     * the side that holds the key, on both sides; 0 for m-n (its join table
     * cascades). The runtime carries them out when the schema's relation
     * mode is PRISMA_RELATION_MODE_PRISMA (the database has no foreign keys). */
    uint8_t on_delete;
    uint8_t on_update;
    /* ---- issue 13: relation filters / ordering ----
     * where_off: the relation's member in ModelNameWhereInput, a
     * prisma_relation_many_filter (to-many) or prisma_relation_one_filter
     * (to-one). order_off: its member in ModelNameOrderByInput, a
     * `const TargetOrderByInput *` (to-one) or a prisma_relation_count_order
     * (to-many). PRISMA_NO_OFFSET when it has none there. */
    uint32_t where_off;
    uint32_t order_off;
    /* ---- issue 13, include: include / select arguments and _count ---- */
    uint32_t include_args_off;  /* in ModelNameInclude: const TargetFindManyArgs * */
    uint32_t select_off;        /* in ModelNameSelect: a bool */
    uint32_t select_args_off;   /* in ModelNameSelect: const TargetFindManyArgs * */
    /* To-many only (PRISMA_NO_OFFSET otherwise): */
    uint32_t count_off;         /* in the record: int64_t _count.<rel> */
    uint32_t count_select_off;  /* in ModelNameCountSelect: a bool */
    uint32_t count_where_off;   /* in ModelNameCountSelect: const TargetWhereInput * */
} prisma_relation_desc;

struct prisma_model_desc {
    const char *name;
    const char *table;
    const char *schema; /* @@schema, or NULL */
    const prisma_field_desc *fields;
    uint16_t n_fields;
    const prisma_unique_desc *uniques; /* uniques[0] is the primary key when the model has one */
    uint16_t n_uniques;
    const prisma_relation_desc *relations;
    uint16_t n_relations;
    uint32_t rec_size;    /* sizeof(ModelName) */
    uint32_t where_size;  /* sizeof(ModelNameWhereInput), the stride of AND/OR/NOT arrays */
    uint32_t create_size; /* sizeof(ModelNameCreateInput), the stride of create_many arrays */
    uint32_t update_size; /* sizeof(ModelNameUpdateInput) */
    uint32_t where_unique_size; /* sizeof(ModelNameWhereUniqueInput), the stride of connect arrays */
    uint32_t order_size;  /* sizeof(ModelNameOrderByInput) */
    uint16_t index;       /* position in the schema */
    /* ---- issue 13: writes ---- */
    /* Offset in ModelNameWhereUniqueInput of `filter` (a ModelNameWhereInput
     * pointer: further conditions the record must meet, Prisma's
     * WhereUniqueInput with non-unique fields); 0 when it has none. */
    uint32_t filter_off;
    /* ---- issue 13, include: select / omit / _count ---- */
    /* The model's typed FindManyArgs into the runtime's (a relation's include arguments). */
    void (*find_args)(const void *typed_args, prisma_find_args *out);
    /* PRISMA_NO_OFFSET when the model has no to-many relation: */
    uint32_t include_count_off;        /* in ModelNameInclude: bool _count */
    uint32_t include_count_select_off; /* in ModelNameInclude: const ModelNameCountSelect *_count_select */
    uint32_t select_count_off;         /* in ModelNameSelect: bool _count */
    uint32_t select_count_select_off;  /* in ModelNameSelect: const ModelNameCountSelect *_count_select */
};

/* ---- nested writes ----
 * The generic layouts of the nested-write members of create and update
 * inputs. Generated code declares the same members with typed pointers (and
 * checks the sizes agree); the runtime reads them through these. A NULL
 * pointer or a zero length means "not given". */

/* Target{ConnectOrCreate,UpdateWithWhere,UpdateManyWithWhere,UpsertWithWhere}Input. */
typedef struct prisma_nested_pair {
    const void *where; /* where-unique; UpdateManyWithWhere: where input */
    const void *data;  /* ConnectOrCreate: the create input; UpdateWithWhere: the update input */
} prisma_nested_pair;

typedef struct prisma_nested_upsert {
    const void *where; /* where-unique (to-many); NULL on a to-one */
    const void *create;
    const void *update;
} prisma_nested_upsert;

/* A to-one relation in a create input. */
typedef struct prisma_nested_one_create {
    const void *create;            /* Target create input */
    const void *connect;           /* Target where-unique */
    const void *connect_or_create; /* prisma_nested_pair */
} prisma_nested_one_create;

/* A to-one relation in an update input. */
typedef struct prisma_nested_one_update {
    const void *create;
    const void *connect;
    const void *connect_or_create;
    const void *update;            /* Target update input: the connected record */
    const void *upsert;            /* prisma_nested_upsert */
    bool disconnect;
    bool delete_;
} prisma_nested_one_update;

/* A to-many relation in a create input. */
typedef struct prisma_nested_many_create {
    const void *create;            /* create inputs */
    size_t create_len;
    const void *create_many;       /* create inputs without nested writes (one-to-many only) */
    size_t create_many_len;
    bool skip_duplicates;
    const void *connect;           /* where-uniques */
    size_t connect_len;
    const void *connect_or_create; /* prisma_nested_pair */
    size_t connect_or_create_len;
} prisma_nested_many_create;

/* A to-many relation in an update input. */
typedef struct prisma_nested_many_update {
    const void *create;
    size_t create_len;
    const void *create_many;
    size_t create_many_len;
    bool skip_duplicates;
    const void *connect;
    size_t connect_len;
    const void *connect_or_create;
    size_t connect_or_create_len;
    const void *update;            /* prisma_nested_pair: where-unique, update input */
    size_t update_len;
    const void *upsert;            /* prisma_nested_upsert */
    size_t upsert_len;
    const void *delete_;           /* where-uniques */
    size_t delete_len;
    const void *set;               /* where-uniques; set_given with set_len 0 empties the relation */
    size_t set_len;
    bool set_given;
    const void *disconnect;        /* where-uniques */
    size_t disconnect_len;
    const void *update_many;       /* prisma_nested_pair: where input, update input */
    size_t update_many_len;
    const void *delete_many;       /* where inputs */
    size_t delete_many_len;
} prisma_nested_many_update;

/* The provider the schema was written for. */
typedef enum prisma_provider { PRISMA_SQLITE = 1, PRISMA_POSTGRESQL, PRISMA_COCKROACHDB, PRISMA_MYSQL } prisma_provider;

/* relationMode: foreign keys in the database, or none and the client
 * carries out the referential actions. */
typedef enum prisma_relation_mode { PRISMA_RELATION_MODE_FOREIGN_KEYS = 0, PRISMA_RELATION_MODE_PRISMA } prisma_relation_mode;

struct prisma_schema_desc {
    int abi_version;
    uint8_t provider;      /* prisma_provider */
    const char *url;       /* the datasource's literal url, or NULL */
    const char *url_env;   /* env("X"): X, or NULL */
    const prisma_model_desc *const *models;
    uint16_t n_models;
    uint8_t relation_mode; /* prisma_relation_mode */
    /* ---- issue 13 ---- */
    /* The generator block enables full-text search (previewFeatures =
     * ["fullTextSearchPostgres"], provider postgresql): `search` filters. */
    uint8_t full_text_search;
};

/* The schema a client was opened with (prisma_open), or NULL for NULL: lets
 * generic code walk the models of a connected client without its header. */
const prisma_schema_desc *prisma_client_schema(const prisma_client *db);

/* Every ModelNameWhereInput begins with these, so the runtime can walk
 * AND / OR / NOT whatever the model. */
#define PRISMA_WHERE_HEADER(Self) \
    const struct Self *AND;       \
    size_t AND_len;               \
    const struct Self *OR;        \
    size_t OR_len;                \
    const struct Self *NOT;       \
    size_t NOT_len

/* ---- issue 13: relation filters / ordering ----
 * The generic layouts of the relation members of where and order-by inputs.
 * Generated code declares the same members with typed pointers (and checks
 * the sizes agree). NULL / false / PRISMA_SORT_NONE: not given. */

/* A to-many relation (1-n or m-n) in a where input: `some` related record
 * matches, `every` one does (true when there is none), `none` does. */
typedef struct prisma_relation_many_filter {
    const void *some, *every, *none; /* TargetWhereInput */
} prisma_relation_many_filter;

/* A to-one relation in a where input: the related record exists and
 * matches (`is`), or it does not match or there is none (`is_not`);
 * is_null / is_not_null (an optional relation only): there is none / one. */
typedef struct prisma_relation_one_filter {
    const void *is, *is_not; /* TargetWhereInput */
    bool is_null, is_not_null;
} prisma_relation_one_filter;

/* A to-many relation in an order-by input: by the number of related records. */
typedef struct prisma_relation_count_order {
    prisma_sort _count; /* PRISMA_ASC or PRISMA_DESC (no nulls: a count is never null) */
} prisma_relation_count_order;

/* Arguments of find_many / find_first / delete_many ... as the runtime reads
 * them; the generated typed args are copied into this. */
struct prisma_find_args {
    const void *where;    /* ModelNameWhereInput, or NULL */
    const void *order_by; /* an array of ModelNameOrderByInput */
    size_t order_by_len;
    const void *cursor;   /* ModelNameWhereUniqueInput, or NULL */
    const void *include;  /* ModelNameInclude, or NULL */
    int64_t skip;         /* negative: refused (P2019) */
    int64_t take;         /* when has_take: at most take rows (0: none); negative: the last |take| */
    bool has_take;        /* false: every row */
    bool take_null;       /* take given as an explicit null: refused (P2012) */
    /* ---- issue 13, include ---- */
    const void *select;   /* ModelNameSelect, or NULL */
    const void *omit;     /* ModelNameOmit, or NULL */
    const int *distinct;  /* ModelNameScalarField values (an int-sized enum) */
    size_t distinct_len;
};

/* The `take` of find arguments: `.take = PRISMA_TAKE(10)`. Left out, every
 * row comes back; PRISMA_TAKE(0) returns none, as in Prisma. */
#define PRISMA_TAKE(n) PRISMA_BIGINT(n)

/* ---- the generic operations behind the typed wrappers ----
 * Records are returned through *out (a block for prisma_free) or freed when
 * out is NULL. */
int prisma_op_find_unique(prisma_client *db, const prisma_model_desc *m, const void *where_unique,
                          const void *include, bool or_throw, void **out);
int prisma_op_find_first(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args,
                         bool or_throw, void **out);
/* find_unique with a shape: the include, select and omit of `shape` (its
 * other members must be zero). */
int prisma_op_find_unique_shaped(prisma_client *db, const prisma_model_desc *m, const void *where_unique,
                                 const prisma_find_args *shape, bool or_throw, void **out);
int prisma_op_find_many(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, void **out);
/* Streams find_many's rows: fn sees each record (valid only during the call)
 * and returns PRISMA_OK to go on; anything else stops and is returned.
 * Memory stays bounded by one record whatever the number of rows. */
typedef int (*prisma_each_fn)(const void *record, void *arg);
int prisma_op_find_each(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args,
                        prisma_each_fn fn, void *arg);
int prisma_op_count(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, int64_t *out);
int prisma_op_create(prisma_client *db, const prisma_model_desc *m, const void *data, const void *include,
                     void **out);
int prisma_op_create_many(prisma_client *db, const prisma_model_desc *m, const void *data, size_t n,
                          bool skip_duplicates, int64_t *count);
/* create_many, returning the rows written (skipped duplicates are not in it). */
int prisma_op_create_many_and_return(prisma_client *db, const prisma_model_desc *m, const void *data, size_t n,
                                     bool skip_duplicates, void **out);
int prisma_op_update(prisma_client *db, const prisma_model_desc *m, const void *where_unique, const void *data,
                     const void *include, void **out);
int prisma_op_update_many(prisma_client *db, const prisma_model_desc *m, const void *where, const void *data,
                          int64_t *count);
int prisma_op_upsert(prisma_client *db, const prisma_model_desc *m, const void *where_unique, const void *create,
                     const void *update, const void *include, void **out);
int prisma_op_delete(prisma_client *db, const prisma_model_desc *m, const void *where_unique,
                     const void *include, void **out);
int prisma_op_delete_many(prisma_client *db, const prisma_model_desc *m, const void *where, int64_t *count);

/* ---- issue 13: writes ----
 * update_many / delete_many with Prisma's `limit` (has_limit: given; negative:
 * P2019), and update_many_and_return: the rows as updated, by one
 * UPDATE ... RETURNING. */
/* The `limit` of update_many / delete_many args: `.limit = PRISMA_LIMIT(10)`. */
#define PRISMA_LIMIT(n) PRISMA_BIGINT(n)
typedef struct prisma_write_limit {
    int64_t limit;
    bool has_limit;
    bool limit_null; /* given as an explicit null: refused (P2009) */
} prisma_write_limit;
int prisma_op_update_many_with(prisma_client *db, const prisma_model_desc *m, const void *where, const void *data,
                               prisma_write_limit limit, int64_t *count);
int prisma_op_delete_many_with(prisma_client *db, const prisma_model_desc *m, const void *where,
                               prisma_write_limit limit, int64_t *count);
int prisma_op_update_many_and_return(prisma_client *db, const prisma_model_desc *m, const void *where,
                                     const void *data, prisma_write_limit limit, void **out);
/* The generic layouts of ModelNameUpdateManyArgs and ModelNameDeleteManyArgs
 * (generated code checks the sizes agree), and the operations on them: the
 * typed wrappers pass their args through (NULL args: no where, no data). */
typedef struct prisma_update_many_args {
    const void *where;
    const void *data;
    prisma_bigint limit;
} prisma_update_many_args;
typedef struct prisma_delete_many_args {
    const void *where;
    prisma_bigint limit;
} prisma_delete_many_args;
int prisma_op_update_many_args(prisma_client *db, const prisma_model_desc *m, const void *args, int64_t *count);
int prisma_op_delete_many_args(prisma_client *db, const prisma_model_desc *m, const void *args, int64_t *count);
int prisma_op_update_many_and_return_args(prisma_client *db, const prisma_model_desc *m, const void *args,
                                          void **out);

/* ---- batch queues ---- */

typedef enum prisma_op_kind {
    PRISMA_OP_CREATE = 1,
    PRISMA_OP_CREATE_MANY,
    PRISMA_OP_FIND_UNIQUE,
    PRISMA_OP_FIND_UNIQUE_OR_THROW,
    PRISMA_OP_FIND_FIRST,
    PRISMA_OP_FIND_FIRST_OR_THROW,
    PRISMA_OP_FIND_MANY,
    PRISMA_OP_COUNT,
    PRISMA_OP_UPDATE,
    PRISMA_OP_UPDATE_MANY,
    PRISMA_OP_UPSERT,
    PRISMA_OP_DELETE,
    PRISMA_OP_DELETE_MANY,
    PRISMA_OP_EXECUTE_RAW,
    PRISMA_OP_QUERY_RAW,
    /* ---- issue 13: writes ---- */
    PRISMA_OP_UPDATE_MANY_AND_RETURN,
    PRISMA_OP_UPDATE_MANY_WITH,  /* update_many with its limit (op.limit) */
    PRISMA_OP_DELETE_MANY_WITH,  /* delete_many with its limit */
    /* ---- issue 13: aggregate ---- */
    PRISMA_OP_AGGREGATE, /* data: the typed AggregateArgs, data2: its prisma_agg_layout */
    PRISMA_OP_GROUP_BY   /* data: the typed GroupByArgs, data2: its prisma_agg_layout */
} prisma_op_kind;

/* One queued operation: what the typed wrapper received. */
typedef struct prisma_batch_op {
    uint8_t kind; /* prisma_op_kind */
    const prisma_model_desc *model;
    const void *where;  /* where-unique (single-record ops) or where input */
    const void *data;   /* create / update data; create_many: the array */
    const void *data2;  /* upsert: the update */
    prisma_find_args args;
    size_t n;           /* create_many: rows; raw: parameters */
    bool flag;          /* create_many: skip_duplicates */
    const char *sql;    /* raw */
    const prisma_raw_value *params;
    void **out;         /* where the record / list / rows go */
    int64_t *count;     /* counts and affected rows */
    /* ---- issue 13: writes ---- */
    prisma_write_limit limit; /* update_many / delete_many / update_many_and_return */
} prisma_batch_op;

int prisma_batch_add(prisma_batch *b, const prisma_batch_op *op);
/* issue 13: writes. Queues update_many_and_return, update_many_with or
 * delete_many_with (kind) from its generic args. */
int prisma_batch_add_write_many(prisma_batch *b, int kind, const prisma_model_desc *m, const void *args, void **out,
                                int64_t *count);

/* ---- issue 13: aggregate (aggregate and group_by) ----
 * The generated ModelAggregateArgs and ModelGroupByArgs have the layouts of
 * prisma_aggregate_args and prisma_group_by_args with typed pointers (the
 * generated code checks the sizes). Their selections (ModelCountAggregateInput,
 * ModelNumberAggregateInput, ModelMinMaxAggregateInput) are bools; the
 * results (ModelAggregate, one ModelGroupBy per group) are found through a
 * prisma_agg_layout of offsets, one per model. */

/* The selections of aggregates: NULL, not asked. */
typedef struct prisma_agg_select {
    const void *count; /* ModelCountAggregateInput: _all and one bool per field */
    const void *sum;   /* ModelNumberAggregateInput: one bool per Int, BigInt, Float, Decimal field */
    const void *avg;   /* ModelNumberAggregateInput */
    const void *min;   /* ModelMinMaxAggregateInput: one bool per field that has a min / max */
    const void *max;   /* ModelMinMaxAggregateInput */
} prisma_agg_select;

typedef struct prisma_aggregate_args {
    const void *where;    /* ModelWhereInput */
    const void *order_by; /* ModelOrderByInput[order_by_len] */
    size_t order_by_len;
    const void *cursor;   /* ModelWhereUniqueInput */
    int64_t skip;
    prisma_bigint take;
    prisma_agg_select sel;
} prisma_aggregate_args;

typedef struct prisma_group_by_args {
    const void *by;       /* ModelScalarField[by_len] (int-sized enums) */
    size_t by_len;
    const void *where;    /* ModelWhereInput */
    const void *order_by; /* ModelGroupByOrderByInput[order_by_len] */
    size_t order_by_len;
    const void *having;   /* ModelScalarWhereWithAggregatesInput */
    int64_t skip;
    prisma_bigint take;
    prisma_agg_select sel;
} prisma_group_by_args;

/* The aggregates, in the order of the layout arrays below. */
enum { PRISMA_AGG_COUNT, PRISMA_AGG_SUM, PRISMA_AGG_AVG, PRISMA_AGG_MIN, PRISMA_AGG_MAX, PRISMA_AGG_N };

/* Where one scalar field (the model's fields[i]) sits in the aggregate
 * structs; PRISMA_NO_OFFSET where it has no place. */
typedef struct prisma_agg_field {
    uint32_t in[PRISMA_AGG_N];  /* its bool in the selection of each aggregate */
    uint32_t out[PRISMA_AGG_N]; /* its value in the output of each aggregate (CountAggregateOutput...) */
    uint32_t group_off;         /* its value in ModelGroupBy (a `by` field) */
    uint32_t order_off;         /* its prisma_sort in ModelGroupByOrderByInput */
    uint32_t having_off;        /* its filter in the having input (a where filter) */
    uint32_t having_agg[PRISMA_AGG_N]; /* its aggregates' filters in the having input */
} prisma_agg_field;

typedef struct prisma_agg_layout {
    const prisma_agg_field *fields; /* one per field of the model */
    uint32_t count_all_in;          /* _all in ModelCountAggregateInput */
    uint32_t count_all_out;         /* _all in ModelCountAggregateOutput */
    uint32_t result_off[PRISMA_AGG_N]; /* _count ... _max in ModelAggregate */
    uint32_t row_off[PRISMA_AGG_N];    /* _count ... _max in ModelGroupBy */
    uint32_t order_agg_off[PRISMA_AGG_N]; /* _count ... _max (ModelOrderByInput) in ModelGroupByOrderByInput */
    uint32_t result_size;           /* sizeof(ModelAggregate) */
    uint32_t row_size;              /* sizeof(ModelGroupBy) */
    uint32_t order_size;            /* sizeof(ModelGroupByOrderByInput) */
    uint32_t having_size;           /* sizeof(ModelScalarWhereWithAggregatesInput): AND / OR / NOT stride */
} prisma_agg_layout;

/* *out: a ModelAggregate (one block for prisma_free). */
int prisma_op_aggregate(prisma_client *db, const prisma_model_desc *m, const prisma_agg_layout *l,
                        const prisma_aggregate_args *args, void **out);
/* *out: a ModelGroupByList (one block for prisma_free). */
int prisma_op_group_by(prisma_client *db, const prisma_model_desc *m, const prisma_agg_layout *l,
                       const prisma_group_by_args *args, void **out);

#ifdef __cplusplus
}
#endif

#endif
