/* Reading and writing whole files. */
#ifndef PRISMAC_FILEIO_H
#define PRISMAC_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file. Returns 0 and a malloc'd buffer (NUL-terminated, caller
 * frees), or -1 with errno set. */
int prismac_read_file(const char *path, char **out, size_t *len);

/* Writes `data` to `path` atomically (temp file + rename) unless the file
 * already holds exactly that content. Returns 0, or -1 with errno set.
 * *changed (may be NULL) tells whether the file was written. */
int prismac_write_file_if_changed(const char *path, const char *data, size_t len, bool *changed);

/* mkdir -p: creates `path` and its missing parents. Returns 0, or -1 with
 * errno set (ENOTDIR when a part is not a folder). */
int prismac_make_dirs(const char *path);

/* The files of the schema at `path`: `path` itself when it is a file; when
 * it is a folder, every `*.prisma` file under it, subfolders included, sorted
 * by path (Prisma's multi-file schema; names starting with `.` are skipped).
 * Returns 0 and a malloc'd array of malloc'd paths (*n may be 0: a folder
 * without schema files), or -1 with errno set. Free with
 * prismac_free_paths. */
int prismac_schema_files(const char *path, char ***out, size_t *n);
void prismac_free_paths(char **paths, size_t n); /* accepts NULL */

/* Whether `path` is a folder. */
bool prismac_is_dir(const char *path);

#endif
