/* Whole-file reads and atomic writes that leave an unchanged file alone. */
#include "fileio.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int prismac_read_file(const char *path, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int rc = -1;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        goto done;
    for (;;) {
        if (cap - n < 4096) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                goto done;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        goto done;
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    fclose(f);
    return rc;
}

int prismac_write_file_if_changed(const char *path, const char *data, size_t len, bool *changed)
{
    if (changed)
        *changed = false;
    char *old = NULL;
    size_t old_len = 0;
    if (prismac_read_file(path, &old, &old_len) == 0) {
        bool same = old_len == len && memcmp(old, data, len) == 0;
        free(old);
        if (same)
            return 0;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return -1;
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    int rc = -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        off += (size_t)w;
    }
    /* No fsync: rename makes the new content appear whole or not at all,
     * which is what a build needs; durability against power loss is not. */
    if (fchmod(fd, 0644) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    if (changed)
        *changed = true;
    rc = 0;
fail:
    if (rc != 0) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        errno = saved;
    }
    free(tmp);
    return rc;
}

int prismac_make_dirs(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    int rc = -1;
    for (char *q = p + 1;; q++) {
        bool end = *q == '\0';
        if (*q != '/' && !end)
            continue;
        *q = '\0';
        struct stat st;
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            goto done;
        if (stat(p, &st) != 0)
            goto done;
        if (!S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            goto done;
        }
        if (end)
            break;
        *q = '/';
    }
    rc = 0;
done:
    free(p);
    return rc;
}

bool prismac_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

typedef struct path_list {
    char **items;
    size_t len, cap;
} path_list;

static int push_path(path_list *l, char *p)
{
    if (!p)
        return -1;
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            free(p);
            return -1;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = p;
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Depth bounds the walk against a folder that contains itself (a symlink). */
static int collect(const char *dir, path_list *l, int depth)
{
    if (depth > 32)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    size_t dlen = strlen(dir);
    const char *sep = dlen && dir[dlen - 1] == '/' ? "" : "/";
    for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = dlen + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, n, "%s%s%s", dir, sep, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0) {
            free(p); /* a dangling link: not a schema file */
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = collect(p, l, depth + 1);
            free(p);
        } else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".prisma")) {
            rc = push_path(l, p);
        } else {
            free(p);
        }
    }
    int saved = errno;
    closedir(d);
    errno = saved;
    return rc;
}

static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int prismac_schema_files(const char *path, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    path_list l = { 0 };
    if (!prismac_is_dir(path)) {
        if (access(path, R_OK) != 0 && errno == ENOENT)
            return -1;
        if (push_path(&l, strdup(path)) != 0)
            return -1;
    } else if (collect(path, &l, 0) != 0) {
        int saved = errno;
        prismac_free_paths(l.items, l.len);
        errno = saved;
        return -1;
    }
    if (l.len > 1)
        qsort(l.items, l.len, sizeof *l.items, cmp_paths);
    *out = l.items;
    *n = l.len;
    return 0;
}

void prismac_free_paths(char **paths, size_t n)
{
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
}
