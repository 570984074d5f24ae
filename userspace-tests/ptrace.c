// SPDX-License-Identifier: GPL-2.0
/*
 * A tracer sees 548 and 549 like any other system call: at the
 * syscall-entry stop orig_rax holds the number and rdi the argument,
 * which it can read and rewrite; at the exit stop rax holds the result,
 * which the tracee then gets.
 *
 * The entry stop comes before the system call table is consulted, so with
 * MYSYSCALL_EXPECT=absent the tracer sees the same; only the result is
 * ENOSYS. None of these calls logs (mysyscall()'s pointer becomes NULL).
 */
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mysyscall.h"

/* What the tracee got back, in memory it shares with the tracer. */
struct outcome {
	long ret;
	int err;
};

static struct outcome *shared_outcome(void)
{
	struct outcome *out = mmap(NULL, sizeof(*out), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return out == MAP_FAILED ? NULL : out;
}

/* The tracee: stop for the tracer, then make the call. */
#define TRACEE(out, call) do {						\
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);				\
	raise(SIGSTOP);							\
	errno = 0;							\
	(out)->ret = (call);						\
	(out)->err = errno;						\
	_exit(0);							\
} while (0)

/* Wait for the tracee's initial SIGSTOP and trace its system calls. */
static int attach(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid ||
	    !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP)
		return -1;
	return ptrace(PTRACE_SETOPTIONS, pid, NULL,
		      PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
}

/* Resume @pid to its next syscall stop (entry or exit); its registers. */
static int next_syscall_stop(pid_t pid, struct user_regs_struct *regs)
{
	int status;

	if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) ||
	    waitpid(pid, &status, 0) != pid ||
	    !WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80))
		return -1;
	return ptrace(PTRACE_GETREGS, pid, NULL, regs);
}

/* The entry stop of system call @nr: the first stop that shows it. */
static int entry_stop(pid_t pid, long nr, struct user_regs_struct *regs)
{
	do {
		if (next_syscall_stop(pid, regs))
			return -1;
	} while ((long)regs->orig_rax != nr);
	return 0;
}

/* Let the tracee run to its end; its wait status. */
static int finish(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_CONT, pid, NULL, NULL) ||
	    waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* Read the NUL-terminated string at @addr in the tracee, a word at a time. */
static int peek_string(pid_t pid, unsigned long addr, char *buf, size_t size)
{
	for (size_t i = 0; i + sizeof(long) <= size; i += sizeof(long)) {
		long word;

		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, pid, addr + i, NULL);
		if (errno)
			return -1;
		memcpy(buf + i, &word, sizeof(word));
		if (memchr(&word, '\0', sizeof(word)))
			return 0;
	}
	return -1;
}

TEST(tracer_rewrites_the_add10_argument)
{
	struct outcome *out = shared_outcome();
	struct user_regs_struct regs;
	pid_t pid;
	int status;

	ASSERT_NE(NULL, out);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		TRACEE(out, add10(5));

	ASSERT_EQ(0, attach(pid));
	ASSERT_EQ(0, entry_stop(pid, 549, &regs));
	ASSERT_EQ(5, (long)regs.rdi);
	regs.rdi = 32;
	ASSERT_EQ(0, ptrace(PTRACE_SETREGS, pid, NULL, &regs));

	ASSERT_EQ(0, next_syscall_stop(pid, &regs));	/* the exit stop */
	ASSERT_EQ(549, (long)regs.orig_rax);
	status = finish(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	if (mysyscall_absent()) {
		EXPECT_EQ(-ENOSYS, (long)regs.rax);
		EXPECT_EQ(-1, out->ret);
		EXPECT_EQ(ENOSYS, out->err);
		return;
	}
	EXPECT_EQ(42, (long)regs.rax);
	EXPECT_EQ(42, out->ret);
}

TEST(tracer_reads_the_message_and_replaces_it_with_null)
{
	struct outcome *out = shared_outcome();
	struct user_regs_struct regs;
	char nonce[64], seen[128] = "";
	int fd = kmsg_open(), status;
	pid_t pid;

	ASSERT_NE(NULL, out);
	ASSERT_LE(0, fd);
	make_nonce(nonce, sizeof(nonce), "ptrace");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		TRACEE(out, mysyscall(nonce));

	ASSERT_EQ(0, attach(pid));
	ASSERT_EQ(0, entry_stop(pid, 548, &regs));
	/* the tracee's copy of nonce[] is at the same address as ours */
	EXPECT_EQ((unsigned long)nonce, regs.rdi);
	ASSERT_EQ(0, peek_string(pid, regs.rdi, seen, sizeof(seen)));
	EXPECT_STREQ(nonce, seen);
	regs.rdi = 0;
	ASSERT_EQ(0, ptrace(PTRACE_SETREGS, pid, NULL, &regs));

	ASSERT_EQ(0, next_syscall_stop(pid, &regs));	/* the exit stop */
	ASSERT_EQ(548, (long)regs.orig_rax);
	status = finish(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(-1, out->ret);
	if (mysyscall_absent()) {
		EXPECT_EQ(-ENOSYS, (long)regs.rax);
		EXPECT_EQ(ENOSYS, out->err);
	} else {
		EXPECT_EQ(-EFAULT, (long)regs.rax);
		EXPECT_EQ(EFAULT, out->err);
	}
	EXPECT_EQ(0, kmsg_grep(fd, nonce, NULL, 0));
	close(fd);
}

TEST_HARNESS_MAIN
