/* An LD_PRELOAD shim for the disk-full test (tests/fault/diskfull.mjs): while the file named by
 * ALO153_IOFAIL_CTL holds "enospc" or "eio", every write, pwrite and fsync/fdatasync on a file
 * whose name contains ".db" (the database, its -wal and -journal) fails with that errno, as a
 * full or failing disk does; SQLite's own unix VFS sees the error exactly where a real one would
 * show; "fsync" fails only fsync/fdatasync (EIO) and lets the writes through. Empty or missing
 * control file: every call goes through. Nothing else is touched (logs, sockets, attachments). Test
 * code only: never linked into alo153. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int fsync_only; /* "fsync": only fsync/fdatasync fail (EIO), writes go through */

/* the errno to fail with now, 0 = none */
static int armed(void)
{
    const char *ctl = getenv("ALO153_IOFAIL_CTL");
    if (!ctl)
        return 0;
    int saved = errno, fd = open(ctl, O_RDONLY | O_CLOEXEC);
    char buf[16] = "";
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    errno = saved;
    fsync_only = strncmp(buf, "fsync", 5) == 0;
    if (fsync_only)
        return EIO;
    if (strncmp(buf, "enospc", 6) == 0)
        return ENOSPC;
    if (strncmp(buf, "eio", 3) == 0)
        return EIO;
    return 0;
}

static int is_db(int fd)
{
    char link[64], path[4096];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof(path) - 1);
    if (n <= 0)
        return 0;
    path[n] = '\0';
    return strstr(path, ".db") != NULL;
}

static int fail_now(int fd, int is_sync)
{
    int e = armed();
    if (e && (is_sync || !fsync_only) && is_db(fd)) {
        errno = e;
        return 1;
    }
    return 0;
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*pwrite64_fn)(int, const void *, size_t, off64_t);
typedef int (*sync_fn)(int);
#define REAL(name, type)                                                                           \
    static type real_##name;                                                                       \
    if (!real_##name)                                                                              \
    real_##name = (type)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(write, write_fn);
    return fail_now(fd, 0) ? -1 : real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite, pwrite_fn);
    return fail_now(fd, 0) ? -1 : real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    REAL(pwrite64, pwrite64_fn);
    return fail_now(fd, 0) ? -1 : real_pwrite64(fd, buf, n, off);
}

int fsync(int fd)
{
    REAL(fsync, sync_fn);
    return fail_now(fd, 1) ? -1 : real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync, sync_fn);
    return fail_now(fd, 1) ? -1 : real_fdatasync(fd);
}
