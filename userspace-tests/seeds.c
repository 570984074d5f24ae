// SPDX-License-Identifier: GPL-2.0
/*
 * The seed programs, unchanged, give the outputs the seeds promise:
 * test_mysyscall prints "mysyscall succeeded!" and logs "mysyscall: Hello
 * from user space!"; test_add10 prints "10 -> 20"; hi prints "Hi" and
 * exits with status 3. With MYSYSCALL_EXPECT=absent the first two report
 * their failure instead, and nothing is logged.
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mysyscall.h"

#define SEED_DIR "/usr/bin/"

/* Run a program, capture its stdout and stderr into @out; return its wait status. */
static int run(const char *path, char *out, size_t size)
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
		execl(path, path, (char *)NULL);
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

TEST(test_mysyscall_succeeds_and_logs)
{
	char out[256], line[256] = "";
	int fd = kmsg_open(), status;

	ASSERT_LE(0, fd);
	status = run(SEED_DIR "test_mysyscall", out, sizeof(out));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));	/* the seed exits 0 either way */
	if (mysyscall_absent()) {
		EXPECT_STREQ("mysyscall failed: Function not implemented\n", out);
		EXPECT_EQ(0, kmsg_grep(fd, "mysyscall", NULL, 0));
		return;
	}
	EXPECT_STREQ("mysyscall succeeded!\n", out);
	EXPECT_EQ(1, kmsg_grep(fd, "mysyscall: Hello from user space!",
			       line, sizeof(line)));
	EXPECT_STREQ("mysyscall: Hello from user space!", line);
	close(fd);
}

TEST(test_add10_prints_10_to_20)
{
	char out[256];
	int status = run(SEED_DIR "test_add10", out, sizeof(out));

	ASSERT_TRUE(WIFEXITED(status));
	if (mysyscall_absent()) {
		EXPECT_EQ(1, WEXITSTATUS(status));
		EXPECT_STREQ("10 -> -1\n", out);
		return;
	}
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_STREQ("10 -> 20\n", out);
}

TEST(hi_prints_hi_and_exits_3)
{
	char out[256];
	int status = run(SEED_DIR "hi", out, sizeof(out));

	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(3, WEXITSTATUS(status));
	EXPECT_STREQ("Hi\n", out);
}

TEST_HARNESS_MAIN
