# mysyscall: a kernel patch series adding mysyscall(548) and add10(549) on
# x86-64, arm64 and riscv64, and the rig that proves it. See README.md. The logic lives in
# scripts/ (one script per stage, each with --help); this file wires them.
#
#   make qemu-test   the main job: fetch, patch, configure, build, boot, verdict
#   make check       everything CI runs: lint, qemu-test, host-side tests

# The variables the scripts read. They come from make's command line
# (make qemu-test TESTS=add10) and never from the environment: a TESTS,
# CONFIG or BUILD_DIR exported in your shell for something else cannot
# change what is built, tested or removed. (The scripts, run directly,
# take them from the environment; so does a dist's ./boot.)
RIG_VARS := ACCEL APPEND ARCH BENCH_COLD BUILD_DIR BUSYBOX CACHE_DIR CCACHE CHECK_ARCHS CHECK_KERNELS \
	CMDLINE_FILE CONFIG CROSS_COMPILE DIST_DIR GUEST_PROGRAMS INITRAMFS JOBS KCONFIG KERNEL \
	KERNEL_IMAGE KERNEL_SRC KERNEL_TARBALL KERNEL_TARBALL_SHA256 KVM_PROBE LABEL \
	LOCK_FILE LOG_DIR MEM MODE QEMU QEMU_ARGS SERIES_DIR SMP STRESS TESTS TIMEOUT \
	USERSPACE_TESTS V
$(foreach v,$(RIG_VARS),$(if $(filter command line,$(origin $(v))),$(eval export $(v)),\
	$(if $(filter environment%,$(origin $(v))),$(eval undefine $(v)))$(eval unexport $(v))))

S := scripts
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: help qemu-test check deps fetch patch config kernel tests initramfs \
	boot run dist gdb gdb-test kunit bench check-series apply unapply export-series update-pins lint test-host refresh save-config clean clean-src

help:
	@sed -n '/^## /s/^## //p' $(firstword $(MAKEFILE_LIST))

## qemu-test    build everything needed and run the guest tests (the main job)
qemu-test:
	@$(S)/qemu-test.sh

## check        the suite, as CI runs it: 6.12 in 3 configs, 6.1, arm64 and riscv64 on 7.3, lint, host tests; CHECK_KERNELS=/CHECK_ARCHS= one job's share
check:
	@$(S)/check.sh

## deps         install missing Debian packages (apt-get; sudo when not root)
deps:
	@$(S)/deps.sh

# The stages run in the order scripts/qemu-test.sh keeps (deps, fetch,
# patch, configure, build, build-tests, initramfs): each target runs the
# pipeline up to its stage.

## fetch        download and verify the pinned kernel source (cached)
fetch:
	@$(S)/qemu-test.sh --to fetch

## patch        copy the pristine tree to build/KERNEL/src and apply patches/
patch:
	@$(S)/qemu-test.sh --to patch

## config       build/KERNEL/obj/.config from tinyconfig + kernel-config/
config:
	@$(S)/qemu-test.sh --to configure

## kernel       build the kernel (bzImage; Image for ARCH=arm64, riscv64) and UAPI headers (incremental)
kernel:
	@$(S)/qemu-test.sh --to build

## tests        build the guest programs from userspace-tests/
tests:
	@$(S)/qemu-test.sh --to build-tests

## initramfs    pack build/KERNEL/initramfs.cpio
initramfs:
	@$(S)/qemu-test.sh --to initramfs

## boot         boot and run the guest tests without rebuilding anything
boot:
	@$(S)/qemu-test.sh --boot-only

## run          build, then boot to an interactive shell on the console
run:
	@$(S)/qemu-test.sh --to initramfs && MODE=shell $(S)/boot.sh

## dist         dist/mysyscall-RELEASE-ARCH.tar.gz: the kernel, initramfs and ./boot (needs only QEMU)
dist:
	@$(S)/qemu-test.sh --to initramfs && $(S)/dist.sh

## check-series each patch builds on its own (from the last, off one at a time); sparse and W=1 on the new files
check-series:
	@$(S)/qemu-test.sh --to configure && $(S)/series-check.sh

## gdb          boot the CONFIG=debug kernel paused and attach gdb (scripts/gdb helpers)
gdb:
	@$(S)/gdb.sh

## gdb-test     the same, scripted: break in add10, read its argument, finish
gdb-test:
	@$(S)/gdb.sh --test

## kunit        the series' KUnit suite through the tree's kunit.py (UML, kernel/tests/.kunitconfig)
kunit:
	@$(S)/qemu-test.sh --to patch && $(S)/kunit.sh

## bench        measure syscall costs in the guest and the rig's own costs
bench:
	@$(S)/bench.sh

## lint         shellcheck, checkpatch --strict, mandoc -Tlint, man page examples
lint:
	@$(S)/lint.sh

## test-host    the host-side (bats) tests of the rig itself
test-host:
	@bats tests/

## apply        apply the series in place to KERNEL_SRC=/your/tree (git am or quilt)
apply:
	@$(S)/apply.sh

## unapply      undo make apply in KERNEL_SRC=/your/tree exactly
unapply:
	@$(S)/apply.sh --unapply

## export-series  write the series as it applies to KERNEL_SRC=/your/tree to SERIES_DIR=/new/dir
export-series:
	@$(S)/apply.sh --export "$(SERIES_DIR)"

## update-pins  move kernels.lock to the newest Debian versions (and their sha256)
update-pins:
	@$(S)/update-pins.sh

## refresh      write edits made in build/KERNEL/src back into patches/
refresh:
	@$(S)/patch.sh --refresh

## save-config  write the resolved .config to kernel-config/resolved/
save-config:
	@$(S)/qemu-test.sh --to patch && $(S)/configure.sh --save

## clean-src    remove build/KERNEL/src (the patched copy; the cache stays)
clean-src:
	@$(S)/patch.sh --clean

## clean        remove build/ and dist/ (the download cache in ~/.cache/mysyscall stays)
clean:
	rm -rf -- '$(subst ','\'',$(or $(BUILD_DIR),build))' '$(subst ','\'',$(or $(DIST_DIR),dist))'
