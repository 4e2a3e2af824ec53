/* prismac as a library: load a Prisma schema, check it, format it, generate
 * its C client. The command line (cli/) is a thin layer over these calls.
 *
 * Conventions: functions return 0 when all went well; diagnostics and other
 * problems are written to the `errs` stream given (NULL: not written).
 * Results are malloc'd and owned by the caller; the free functions accept
 * NULL. The library links no database client. */
#ifndef PRISMAC_H
#define PRISMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "emit.h"   /* prismac_generate, prismac_generated */
#include "format.h" /* psl_format, psl_format_schema */
#include "schema.h" /* psl_schema, the checked model */

/* The schema used when none is named: ./schema.prisma, then
 * ./prisma/schema.prisma; NULL when neither exists. */
const char *prismac_default_schema(void);

/* Reads and loads (parses and checks) the schema at `path`: a file, or a
 * folder holding a multi-file schema (every `*.prisma` file under it,
 * prismac_schema_files in fileio.h). Diagnostics go to `errs` (with colour
 * when `color`), each naming its file. Returns 0 and the schema in *out
 * (also when it has errors: see prismac_check), or -1 with *out NULL when a
 * file cannot be read (errno set; ENOENT also for a folder without schema
 * files) or memory runs out. */
int prismac_load(const char *path, FILE *errs, bool color, psl_schema **out);

/* Prints the schema's diagnostics (psl_diags_print over its files). */
void prismac_print_diags(const psl_schema *s, FILE *errs, bool color);

/* 0 when the loaded schema has no errors, else the number of errors. */
size_t prismac_check(const psl_schema *s);

/* File `file` of the schema (0 .. s->n_files - 1) in Prisma's canonical
 * layout, with the relation pieces Prisma's formatter adds. Returns 0 and a
 * malloc'd text in *out (caller frees), or -1 when the schema did not parse
 * or memory ran out. */
int prismac_format(const psl_schema *s, size_t file, char **out, size_t *out_len);

/* The folder a schema's relative paths start from: the folder of the file
 * that holds `top` (its generator block, say), as Prisma resolves a
 * generator's output. malloc'd ("" for a file in the current folder), NULL
 * when out of memory. */
char *prismac_file_dir(const psl_schema *s, const psl_top *top);

/* Renders the client of a checked schema (prismac_generate, emit.h) and
 * writes client.h and client.c into `out_dir` (created when missing), leaving
 * unchanged files alone. *h_changed / *c_changed (may be NULL) tell what was
 * written. Returns 0, or -1 after reporting to `errs`. */
int prismac_generate_files(const psl_schema *s, const char *schema_file, const char *templates_dir,
                           const char *out_dir, FILE *errs, bool *h_changed, bool *c_changed);

/* The generator block that names prismac (provider = "prismac", or an env()
 * provider that resolves to it), or NULL. */
const psl_generator *prismac_generator_block(const psl_schema *s);

#endif
