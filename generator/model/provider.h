/* The compiler's provider interface: what the schema language allows on each
 * database (psl-core's Connector). One file per provider (provider_*.c)
 * defines a psl_connector; provider.c lists them. Outside those files no
 * code asks which database it is: it reads a capability, a limit or a table
 * here, or calls a hook.
 *
 * Adding a provider: a provider_<name>.c with its psl_connector, its entry in
 * PSL_CONNECTORS below, and (while db push still switches on it) a
 * psl_provider id in schema.h. */
#ifndef PRISMAC_PROVIDER_H
#define PRISMAC_PROVIDER_H

#include "schema_int.h"

/* A native type (@db.X): the scalar it stores and how many arguments it
 * takes (`@db.VarChar(255)`). */
typedef struct psl_native_def {
    const char *name;
    psl_scalar scalar;
    unsigned min_args, max_args;
    /* A second scalar it may store (MySQL's TinyInt: Int or Boolean), or
     * PSL_SCALAR_NONE. */
    psl_scalar scalar2;
    /* The arguments come all or none (Decimal(p, s) of MySQL): one of two is
     * refused as Prisma does. */
    bool paired;
} psl_native_def;

/* Capabilities (psl_connector.caps). */
enum {
    PSL_CAP_SCHEMAS = 1u << 0,          /* datasource `schemas = [...]` and @@schema */
    PSL_CAP_SCALAR_LISTS = 1u << 1,     /* String[], Int[], ... */
    PSL_CAP_EXTENSIONS = 1u << 2,       /* datasource `extensions = [...]` (postgresqlExtensions) */
    PSL_CAP_SEQUENCE_DEFAULT = 1u << 3, /* @default(sequence()) */
    /* Table names compare without (ASCII) case: two models may not differ
     * only by case. */
    PSL_CAP_TABLE_NAMES_IGNORE_CASE = 1u << 5,
    /* SetNull on a relation with a required field is only a warning (the
     * database itself refuses the write) rather than an error. */
    PSL_CAP_SETNULL_ON_REQUIRED_WARNS = 1u << 6,
    /* Index fields may take a prefix length: @@index([f(length: 10)])
     * (IndexColumnLengthPrefixing). */
    PSL_CAP_INDEX_LENGTH = 1u << 7,
    /* @@fulltext indexes (FullTextIndex). */
    PSL_CAP_FULLTEXT_INDEX = 1u << 8,
    /* @shardKey and @@shardKey (Connector::supports_shard_keys). */
    PSL_CAP_SHARD_KEYS = 1u << 9,
};

typedef struct psl_connector {
    psl_provider id;
    const char *name;                /* `provider = "..."`, and the word in messages */
    const char *const *aliases;      /* other accepted spellings, NULL-terminated, or NULL */
    const char *title;               /* for people: "PostgreSQL" */
    const char *const *url_prefixes; /* NULL-terminated */
    const char *runtime_provider;    /* the generated descriptor's constant: "PRISMA_SQLITE" */
    size_t max_ident_len;            /* longest constraint name; 0: no limit */
    unsigned caps;                   /* PSL_CAP_* */
    const psl_native_def *native_types;
    size_t n_native_types;
    /* The name the fullTextSearch preview feature has here (a warning tells
     * it), or NULL. */
    const char *fulltext_preview;
    /* Index algorithms accepted in @@index(type: X) besides BTree,
     * NULL-terminated, or NULL for none. */
    const char *const *index_algorithms;
    /* Checks of a normal index beyond the neutral ones (operator classes),
     * or NULL. `attr` is the @@index attribute. */
    void (*validate_index)(psl_ctx *C, const psl_model *m, const psl_index *ix, const psl_attribute *attr);
    /* The referential actions Prisma emulates here with relationMode = "prisma" (PSL_ACTION_BIT each),
     * and the provider's name in the hint for NoAction. */
    unsigned emulated_actions;
    const char *emulation_name;
    /* Checks of a native type's argument values beyond their count and
     * sign (ranges), or NULL. `f->native` holds the parsed type; `attr` is
     * the @db.X attribute. */
    void (*validate_native_args)(psl_ctx *C, const psl_field *f, const psl_attribute *attr);
    /* Checks of a model the provider makes before the neutral ones of its
     * fields (psl-core's Connector::validate_model), or NULL. */
    void (*validate_model)(psl_ctx *C, const psl_model *m);
} psl_connector;

#define PSL_ACTION_BIT(action) (1u << (unsigned)(action))

/* The connector for `provider = "name"` (a name or an alias), or NULL. */
const psl_connector *psl_connector_by_name(const char *name);
/* The connector of a loaded schema's datasource; NULL without a datasource
 * or with an unknown provider. */
const psl_connector *psl_schema_connector(const psl_schema *s);
/* Whether `c` (may be NULL: no) has every capability in `caps`. */
bool psl_connector_can(const psl_connector *c, unsigned caps);
/* The native type `name` of `c`, or NULL. */
const psl_native_def *psl_connector_native_type(const psl_connector *c, const char *name);
/* The native type a field's @db.X attribute names (without checking it),
 * or NULL: for checks that run before the native types are parsed. */
const char *psl_field_native_name(const psl_ctx *C, const psl_field *f);
/* Whether @@index(type: alg) is accepted by `c` (BTree always is). */
bool psl_connector_index_algorithm(const psl_connector *c, const char *alg);
/* "\"sqlite\", \"postgresql\" (alias \"postgres\") and ...": the supported
 * providers, for messages. In the arena. */
const char *psl_connector_list(psl_arena *a);

/* The table of providers: one X(name) per provider_<name>.c, which defines
 * psl_connector_<name>. The order is the order of messages. */
#define PSL_CONNECTORS(X) X(sqlite) X(postgresql) X(cockroachdb) X(mysql)

#define PSL_DECLARE_CONNECTOR(name) extern const psl_connector psl_connector_##name;
PSL_CONNECTORS(PSL_DECLARE_CONNECTOR)
#undef PSL_DECLARE_CONNECTOR

#endif
