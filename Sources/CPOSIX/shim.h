#ifndef DXMAP_CPOSIX_SHIM_H
#define DXMAP_CPOSIX_SHIM_H
/* System calls whose constants Swift's Glibc module does not import (they need _GNU_SOURCE), or that are variadic. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/// Takes an exclusive open-file-description lock (Linux's F_OFD_SETLK) on one byte at `offset` of the file open
/// as `fd` (read-write), without waiting. The lock belongs to the open file, not the process: closing another
/// descriptor of the same file (as SQLite does) never releases it, and it conflicts only with locks on that byte,
/// so a byte no SQLite lock uses leaves SQLite's own locking alone. Returns 0, or the errno (EAGAIN/EACCES: held
/// by another open file; EINVAL: not supported here). Where the system has no such locks, returns 0 (no lock).
static inline int dx_ofd_trylock(int fd, long long offset) {
#ifdef F_OFD_SETLK
    struct flock lock;
    memset(&lock, 0, sizeof lock);
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = (off_t)offset;
    lock.l_len = 1;
    return fcntl(fd, F_OFD_SETLK, &lock) == 0 ? 0 : errno;
#else
    (void)fd; (void)offset;
    return 0;
#endif
}

/// The width in columns of the terminal open as `fd`, or 0 when it is not a terminal or does not say (ioctl is
/// variadic, which Swift cannot call).
static inline int dx_terminal_columns(int fd) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    return ioctl(fd, TIOCGWINSZ, &size) == 0 ? (int)size.ws_col : 0;
}
#endif
