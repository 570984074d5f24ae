/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest tests: the two system calls through
 * syscall(2), reading records back from /dev/kmsg, and the negative
 * control (MYSYSCALL_EXPECT=absent).
 *
 * The printk ratelimit: mysyscall() logs at most 10 lines per 5 s, so the
 * tests in userspace-tests/ (everything run before the stress tests) make
 * at most 10 successful, logging calls in total, or the log checks stop
 * finding their lines. Now 9: mysyscall.c 5, cli.c 1, raw.c 1, seeds.c 1,
 * and its i386 build 1 (LOGS_MORE below; x32 has no mysyscall()); ptrace.c
 * and seccomp.c make only calls that fail or are blocked.
 * The stress tests in stress/ run last because they exhaust it.
 *
 * The ABIs: the tests of the calls themselves (ABI_TESTS in the Makefile)
 * are also built as i386 and as x32 programs, which a kernel with
 * IA32_EMULATION and X86_X32_ABI runs. __NR_mysyscall and __NR_add10 then
 * come from that ABI's generated header, and each build asserts what its
 * ABI gets (the wire-up patch): i386 both calls, add10() on a 32-bit long;
 * x32 ENOSYS for both (548 and 549 are "64": the x32 entry code reaches
 * no number above its last own one, 547).
 */
#ifndef MYSYSCALL_TEST_H
#define MYSYSCALL_TEST_H

#include <asm/unistd.h>		/* the built kernel's __NR_mysyscall, __NR_add10 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT	0x40000000
#endif

#if defined(__x86_64__) && defined(__ILP32__)
#define MYSYSCALL_ABI		"x32"
#define MYSYSCALL_NATIVE	0
#define WIRED			0	/* "64" entries: none for x32 */
#ifndef __NR_mysyscall
#define __NR_mysyscall		(__X32_SYSCALL_BIT + 548)
#endif
#ifndef __NR_add10
#define __NR_add10		(__X32_SYSCALL_BIT + 549)
#endif
#elif defined(__i386__)
#define MYSYSCALL_ABI		"i386"
#define MYSYSCALL_NATIVE	0
#define WIRED			1	/* add10: compat_sys_add10() */
#else
#define MYSYSCALL_ABI		"x86_64"
#define MYSYSCALL_NATIVE	1
#define WIRED			1
#endif

_Static_assert((__NR_mysyscall & ~__X32_SYSCALL_BIT) == 548, "mysyscall is number 548");
_Static_assert((__NR_add10 & ~__X32_SYSCALL_BIT) == 549, "add10 is number 549");

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
 * Read the next record from @fd into @text: its message only, unescaped.
 * Returns 1, 0 when there is no more, or -1 with errno set; EPIPE means
 * records were overwritten before they were read (the next read goes on
 * with the oldest one left).
 */
static inline int kmsg_next(int fd, char *text, size_t size)
{
	char rec[8192], *msg, *end;
	ssize_t len;

	do {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0)
			return errno == EAGAIN ? 0 : -1;
		rec[len] = '\0';
		/* "prio,seq,usec,flags;text\n" then " KEY=value" lines */
		msg = strchr(rec, ';');
	} while (!msg);
	msg++;
	end = strchr(msg, '\n');
	if (end)
		*end = '\0';
	kmsg_unescape(msg);
	snprintf(text, size, "%s", msg);
	return 1;
}

/*
 * Read the records logged since kmsg_open() and count those whose text
 * contains @needle. The first match's text goes to @first. Returns the
 * count, or -1 with errno set.
 */
static inline int kmsg_grep(int fd, const char *needle, char *first, size_t size)
{
	char text[8192];
	int found = 0, ret;

	while ((ret = kmsg_next(fd, text, sizeof(text))) != 0) {
		if (ret < 0) {
			if (errno == EPIPE)	/* records overwritten: go on */
				continue;
			return -1;
		}
		if (strstr(text, needle)) {
			if (!found && first) {
				size_t n = strnlen(text, size - 1);

				memcpy(first, text, n);
				first[n] = '\0';
			}
			found++;
		}
	}
	return found;
}

/*
 * The negative control: a kernel built with CONFIG_MYSYSCALL=n boots with
 * MYSYSCALL_EXPECT=absent on its command line, which /init passes on to
 * the tests. The same binaries then expect ENOSYS from 548 and 549.
 */
static inline bool mysyscall_absent(void)
{
	const char *expect = getenv("MYSYSCALL_EXPECT");

	return expect && !strcmp(expect, "absent");
}

/*
 * Run @argv[0] with @argv, its stdout and stderr into @out (NUL-terminated,
 * cut at @size - 1 bytes); return its wait status, or -1.
 */
static inline int run_program(char *const argv[], char *out, size_t size)
{
	int fds[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (len < (ssize_t)size - 1 &&
	       (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/*
 * A forked child's verdict, for its exit status: kselftest_harness.h
 * keeps it in ->exit_code since Linux 6.9 (which also brought
 * FIXTURE_TEARDOWN_PARENT), in ->passed before (6.1).
 */
#ifdef FIXTURE_TEARDOWN_PARENT
#define CHILD_VERDICT(m)	((m)->exit_code)
#else
#define CHILD_VERDICT(m)	((m)->passed ? 0 : 1)
#endif

/*
 * In a TEST() body: when the calls are absent, check that @call (a
 * syscall() of 548 or 549) fails with ENOSYS and logs nothing, and end
 * the test there; otherwise do nothing. An x32 program, which has
 * neither call, always takes that path.
 */
#define RETURN_IF_ABSENT(call) RETURN_IF_ENOSYS(mysyscall_absent() || !WIRED, call)

/*
 * In a TEST() body of a case that makes more logging calls than its ABI
 * needs: ends it as skipped in the i386 and x32 builds, which run in the
 * same boot as the x86-64 one and share the printk ratelimit's budget.
 */
#define LOGS_MORE() do {						\
	if (!MYSYSCALL_NATIVE)						\
		SKIP(return, "run in the x86-64 build only (the ratelimit budget)"); \
} while (0)

#define RETURN_IF_ENOSYS(absent, call) do {				\
	if (absent) {							\
		int __kmsg = kmsg_open();				\
									\
		ASSERT_LE(0, __kmsg);					\
		errno = 0;						\
		ASSERT_EQ(-1, (call)) TH_LOG("absent: want ENOSYS");	\
		ASSERT_EQ(ENOSYS, errno);				\
		ASSERT_EQ(0, kmsg_grep(__kmsg, "mysyscall", NULL, 0));	\
		close(__kmsg);						\
		return;							\
	}								\
} while (0)

#endif /* MYSYSCALL_TEST_H */
