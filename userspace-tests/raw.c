// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall instruction itself, without libc: number in rax, arguments
 * in rdi, rsi, rdx, result (or -errno) back in rax; rcx and r11 are
 * clobbered by the instruction (seeds 000, 001, 004). With
 * MYSYSCALL_EXPECT=absent, rax holds -ENOSYS for 548 and 549 instead.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "mysyscall.h"

static long raw_syscall1(long nr, long arg)
{
	long ret;

	asm volatile ("syscall"
		      : "=a" (ret)
		      : "a" (nr), "D" (arg)
		      : "rcx", "r11", "memory");
	return ret;
}

static long raw_syscall3(long nr, long a1, long a2, long a3)
{
	long ret;

	asm volatile ("syscall"
		      : "=a" (ret)
		      : "a" (nr), "D" (a1), "S" (a2), "d" (a3)
		      : "rcx", "r11", "memory");
	return ret;
}

/* What syscall(2) makes of @rax: -1 and errno for -4095..-1. */
static long libc_ret(long rax)
{
	if ((unsigned long)rax > -4096UL) {
		errno = -rax;
		return -1;
	}
	return rax;
}

TEST(add10_returns_in_rax)
{
	RETURN_IF_ABSENT(libc_ret(raw_syscall1(549, 10)));
	ASSERT_EQ(20, raw_syscall1(549, 10));
	ASSERT_EQ(-4990, raw_syscall1(549, -5000));
}

TEST(errors_come_back_negated)
{
	/* no errno here: the kernel returns -Exxx in rax */
	if (mysyscall_absent()) {
		ASSERT_EQ(-ENOSYS, raw_syscall1(549, LONG_MAX));
		ASSERT_EQ(-ENOSYS, raw_syscall1(548, 0));
		ASSERT_EQ(-ENOSYS, raw_syscall1(550, 0));
		return;
	}
	ASSERT_EQ(-EOVERFLOW, raw_syscall1(549, LONG_MAX));
	ASSERT_EQ(-ERANGE, raw_syscall1(549, -11));
	ASSERT_EQ(-EFAULT, raw_syscall1(548, 0));
	ASSERT_EQ(-ENOSYS, raw_syscall1(550, 0));
}

TEST(mysyscall_returns_zero)
{
	static const char msg[] = "raw syscall instruction";

	RETURN_IF_ABSENT(libc_ret(raw_syscall1(548, (long)msg)));
	ASSERT_EQ(0, raw_syscall1(548, (long)msg));
}

TEST(write_hi_returns_three)
{
	int fds[2];
	char buf[8] = "";

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(3, raw_syscall3(1, fds[1], (long)"Hi\n", 3));
	ASSERT_EQ(3, read(fds[0], buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "Hi\n", 3));
}

TEST_HARNESS_MAIN
