// SPDX-License-Identifier: GPL-2.0
/*
 * The guest kernel runs ordinary static programs, not only these tests:
 * the mounts, POSIX timers, shared memory, threads (futex), seccomp,
 * ptrace, scripts and the vDSO they rely on are all there.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/seccomp.h>

#include "kselftest_harness.h"

TEST(proc_sys_and_devtmpfs_are_mounted)
{
	struct stat st;

	ASSERT_EQ(0, access("/proc/self/status", R_OK));
	ASSERT_EQ(0, access("/sys/kernel", R_OK));
	ASSERT_EQ(0, stat("/dev/null", &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
}

TEST(posix_timer)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	struct itimerspec its = { .it_value.tv_sec = 100 }, left;
	timer_t t;

	ASSERT_EQ(0, timer_create(CLOCK_MONOTONIC, &sev, &t));
	ASSERT_EQ(0, timer_settime(t, 0, &its, NULL));
	ASSERT_EQ(0, timer_gettime(t, &left));
	ASSERT_LT(0, left.it_value.tv_sec);
	ASSERT_EQ(0, timer_delete(t));
}

TEST(shm_open_and_shared_mapping)
{
	int fd = shm_open("/mysyscall-guest", O_CREAT | O_RDWR, 0600);
	int *p;

	ASSERT_LE(0, fd) TH_LOG("shm_open: %s", strerror(errno));
	ASSERT_EQ(0, ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	*p = 42;
	ASSERT_EQ(0, shm_unlink("/mysyscall-guest"));
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *bump(void *arg)
{
	for (int i = 0; i < 10000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

TEST(threads_and_futex)
{
	pthread_t t[4];

	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, bump, NULL));
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	ASSERT_EQ(40000, counter);
}

TEST(seccomp_filter_mode_exists)
{
	/* a NULL filter: EFAULT when filters are supported, EINVAL if not */
	ASSERT_EQ(0, prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	ASSERT_EQ(-1, prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0));
	ASSERT_EQ(EFAULT, errno);
}

TEST(ptrace_traceme)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(5);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(SIGSTOP, WSTOPSIG(status));
	ASSERT_EQ(0, ptrace(PTRACE_CONT, pid, NULL, NULL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(5, WEXITSTATUS(status));
}

TEST(shebang_script_runs)
{
	const char *path = "/tmp/mysyscall-script";
	FILE *f = fopen(path, "w");
	int status;

	ASSERT_NE(NULL, f);
	fputs("#!/bin/sh\nexit 7\n", f);
	fclose(f);
	ASSERT_EQ(0, chmod(path, 0755));
	/* execve() itself, not a shell that would run the file anyway */
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		execl(path, path, (char *)NULL);
		_exit(errno == ENOEXEC ? 126 : 127);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(7, WEXITSTATUS(status));
	unlink(path);
}

TEST(vdso_is_mapped)
{
	struct timespec ts;

	ASSERT_NE(0UL, getauxval(AT_SYSINFO_EHDR));
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &ts));
}

TEST_HARNESS_MAIN
