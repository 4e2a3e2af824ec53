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
typedef enum prisma_provider { PRISMA_SQLITE = 1, PRISMA_POSTGRESQL, PRISMA_COCKROACHDB } prisma_provider;

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
    PRISMA_OP_QUERY_RAW
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
} prisma_batch_op;

int prisma_batch_add(prisma_batch *b, const prisma_batch_op *op);

#ifdef __cplusplus
}
#endif

#endif
