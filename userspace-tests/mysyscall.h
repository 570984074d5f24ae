/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest tests: the two system calls through
 * syscall(2), and reading records back from /dev/kmsg.
 */
#ifndef MYSYSCALL_TEST_H
#define MYSYSCALL_TEST_H

#include <asm/unistd.h>		/* the built kernel's __NR_mysyscall, __NR_add10 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

_Static_assert(__NR_mysyscall == 548, "mysyscall is number 548");
_Static_assert(__NR_add10 == 549, "add10 is number 549");

static inline long mysyscall(const char *msg)
{
	return syscall(__NR_mysyscall, msg);
}

static inline long add10(long x)
{
	return syscall(__NR_add10, x);
}

/* A string no other test and no earlier boot can have logged. */
static inline void make_nonce(char *buf, size_t size, const char *tag)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, size, "%s-%d-%ld", tag, (int)getpid(), (long)ts.tv_nsec);
}

/* Open /dev/kmsg after its newest record: reads see only what comes next. */
static inline int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* /dev/kmsg writes bytes < 0x20, >= 0x7f and '\' as \xNN: undo that. */
static inline void kmsg_unescape(char *s)
{
	char *out = s;
	unsigned int c;

	while (*s) {
		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &c) == 1) {
			*out++ = (char)c;
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/*
 * Read the records logged since kmsg_open() and count those whose text
 * contains @needle. The first match's text goes to @first. Returns the
 * count, or -1 with errno set.
 */
static inline int kmsg_grep(int fd, const char *needle, char *first, size_t size)
{
	char rec[8192];
	int found = 0;

	for (;;) {
		ssize_t len = read(fd, rec, sizeof(rec) - 1);
		char *text, *end;

		if (len < 0) {
			if (errno == EAGAIN)
				return found;
			if (errno == EPIPE)	/* records overwritten: go on */
				continue;
			return -1;
		}
		rec[len] = '\0';
		/* "prio,seq,usec,flags;text\n" then " KEY=value" lines */
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		kmsg_unescape(text);
		if (strstr(text, needle)) {
			if (!found && first)
				snprintf(first, size, "%s", text);
			found++;
		}
	}
}

#endif /* MYSYSCALL_TEST_H */
