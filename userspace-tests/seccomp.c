// SPDX-License-Identifier: GPL-2.0
/*
 * seccomp filters see 548 and 549 like any other system call: a filter
 * can make mysyscall() fail with EPERM before it logs anything, kill the
 * caller of add10() with SIGSYS, and leave every other call alone.
 *
 * Filters are installed in forked children, so the test process itself
 * stays unfiltered. They run before the system call table is consulted,
 * so they act the same with MYSYSCALL_EXPECT=absent; only the calls they
 * let through give ENOSYS there.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mysyscall.h"

/* Make system call @nr return @action; allow the rest (x86-64 only). */
static int install_filter(unsigned int nr, unsigned int action)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(insns) / sizeof(insns[0]),
		.filter = insns,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* Wait for @pid; its wait status. */
static int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/*
 * The children check with the harness's macros: a failed EXPECT makes
 * them exit non-zero, a failed ASSERT abort()s, and the message is on
 * the console either way. The parent sees it in the exit status.
 */
#define ASSERT_CHILD_PASSED(pid) do {					\
	int __status = wait_child(pid);					\
									\
	ASSERT_TRUE(WIFEXITED(__status)) TH_LOG("status %#x", __status); \
	ASSERT_EQ(0, WEXITSTATUS(__status));				\
} while (0)

TEST(errno_filter_blocks_mysyscall_and_nothing_is_logged)
{
	char nonce[64];
	int fd = kmsg_open();
	pid_t pid;

	ASSERT_LE(0, fd);
	make_nonce(nonce, sizeof(nonce), "seccomp-blocked");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ASSERT_EQ(0, install_filter(548, SECCOMP_RET_ERRNO | EPERM));
		errno = 0;
		EXPECT_EQ(-1, mysyscall(nonce));
		EXPECT_EQ(EPERM, errno);
		_exit(CHILD_VERDICT(_metadata));
	}
	ASSERT_CHILD_PASSED(pid);
	EXPECT_EQ(0, kmsg_grep(fd, nonce, NULL, 0));
	close(fd);
	/* the filter stayed in the child: here 548 runs (and fails) */
	errno = 0;
	EXPECT_EQ(-1, mysyscall(NULL));
	EXPECT_EQ(mysyscall_absent() ? ENOSYS : EFAULT, errno);
}

TEST(other_calls_run_under_the_mysyscall_filter)
{
	pid_t parent = getpid(), pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fds[2];

		ASSERT_EQ(0, install_filter(548, SECCOMP_RET_ERRNO | EPERM));
		EXPECT_EQ(parent, getppid());
		EXPECT_EQ(0, pipe(fds));
		EXPECT_EQ(2, write(fds[1], "ok", 2));
		errno = 0;
		if (mysyscall_absent()) {
			EXPECT_EQ(-1, add10(32));
			EXPECT_EQ(ENOSYS, errno);
		} else {
			EXPECT_EQ(42, add10(32));
			EXPECT_EQ(-1, add10(-11));
			EXPECT_EQ(ERANGE, errno);
		}
		_exit(CHILD_VERDICT(_metadata));
	}
	ASSERT_CHILD_PASSED(pid);
}

TEST(kill_filter_kills_the_add10_caller_with_sigsys)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (install_filter(549, SECCOMP_RET_KILL_PROCESS))
			_exit(1);
		add10(1);
		_exit(2);	/* still alive: the filter did not act */
	}
	status = wait_child(pid);
	ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("status %#x", status);
	ASSERT_EQ(SIGSYS, WTERMSIG(status));
}

TEST(other_calls_run_under_the_add10_filter)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		ASSERT_EQ(0, install_filter(549, SECCOMP_RET_KILL_PROCESS));
		EXPECT_LT(0, getpid());
		/* fails before it could log */
		errno = 0;
		EXPECT_EQ(-1, mysyscall(NULL));
		EXPECT_EQ(mysyscall_absent() ? ENOSYS : EFAULT, errno);
		_exit(CHILD_VERDICT(_metadata));
	}
	ASSERT_CHILD_PASSED(pid);
}

TEST_HARNESS_MAIN
