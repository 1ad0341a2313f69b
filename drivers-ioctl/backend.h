/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One small interface in front of every driver that can migrate a range of
 * a process's memory to device-private memory and back. Modelled on fio's
 * ioengine_ops: the core never asks which driver it talks to; it asks the
 * capability bits the backend measured when it probed the device.
 */
#ifndef HMMBENCH_BACKEND_H
#define HMMBENCH_BACKEND_H

#include <stddef.h>
#include <stdint.h>

/* What a backend can do, as probed on this kernel and device. */
enum hmm_cap {
	HMM_CAP_MIGRATE_TO_DEV	= 1u << 0,
	HMM_CAP_MIGRATE_TO_SYS	= 1u << 1, /* an explicit call, not just CPU faults */
	HMM_CAP_SNAPSHOT	= 1u << 2,
	HMM_CAP_DEV_RW		= 1u << 3, /* device-side read/write of a range */
	HMM_CAP_EXCLUSIVE	= 1u << 4,
	HMM_CAP_RELEASE		= 1u << 5,
	HMM_CAP_FAIL_ALLOC	= 1u << 6, /* large-allocation failure injection */
	HMM_CAP_THP_PMD		= 1u << 7, /* a THP moves as one PMD entry */
	HMM_CAP_DEV_COHERENT	= 1u << 8, /* device memory is coherent, not private */
};
#define HMM_CAP_COUNT 9

/* Operations, for error messages that say what failed. */
enum hmm_op {
	HMM_OP_OPEN,
	HMM_OP_MIGRATE_TO_DEV,
	HMM_OP_MIGRATE_TO_SYS,
	HMM_OP_SNAPSHOT,
	HMM_OP_DEV_READ,
	HMM_OP_DEV_WRITE,
	HMM_OP_EXCLUSIVE,
	HMM_OP_CHECK_EXCLUSIVE,
	HMM_OP_RELEASE,
	HMM_OP_FAIL_ALLOC,
	HMM_OP_COPY_BUS,
	HMM_OP_COUNT,
};

/* Which way a copy across the device's bus goes. */
enum hmm_copy_dir {
	HMM_COPY_TO_DEV,	/* system memory to device memory */
	HMM_COPY_TO_SYS,	/* device memory to system memory */
};

/* What the driver reported back for one call. */
struct hmm_xfer {
	uint64_t cpages;	/* pages the driver copied or migrated */
	uint64_t faults;	/* device page faults it took */
};

#define HMM_REASON_MAX 256
#define HMM_WHY_MAX 384

struct hmm_dev {
	const struct hmm_backend_ops *ops;
	char path[64];
	int fd;
	unsigned int caps;
	/* Why a capability is missing, in words a kernel developer can act on. */
	char reason[HMM_CAP_COUNT][HMM_REASON_MAX];
	/*
	 * Why the last failed operation failed, when the backend knows more
	 * than the errno says ("chipset 0x162 is Turing; ..."); empty if not.
	 */
	char why[HMM_WHY_MAX];
	void *priv;
};

/*
 * What a backend that finds its own devices (discover) looked at: each
 * node with what is behind it and, when it cannot use it, why not.
 */
struct hmm_candidate {
	char path[64];
	char what[96];			/* "vkms, platform", "nouveau, pci 0000:01:00.0" */
	char reason[HMM_REASON_MAX];	/* empty: the backend can try this node */
};

#define HMM_CANDIDATES_MAX 16
struct hmm_discovery {
	int n;
	struct hmm_candidate c[HMM_CANDIDATES_MAX];
	char reason[HMM_WHY_MAX];	/* why no node is usable; empty if one is */
};

/* The device "path" that asks a discovering backend to pick its first usable node. */
#define HMM_PATH_AUTO "auto"

/*
 * Every operation returns 0 or a negative errno. Only drivers-ioctl/
 * calls these pointers; everyone else goes through the hmm_dev_*()
 * wrappers below (tests/unit/test_layout.c checks). @bounce is a buffer of
 * @npages pages the driver copies data through (test_hmm needs one for
 * migration to the device and for device read/write); backends that do not
 * need it ignore it.
 */
struct hmm_backend_ops {
	const char *name;
	const char *describe;
	/* Device paths this backend would try, NULL-terminated. */
	const char *const *default_paths;
	/*
	 * The device paths it takes begin so ("/dev/dri/", "cuda:"); NULL:
	 * any path no other backend claims (test_hmm's /dev/hmm_dmirror*).
	 */
	const char *path_prefix;
	/*
	 * Backends whose nodes cannot be known in advance (GPUs) list what
	 * they found here instead; NULL means try default_paths.
	 */
	void (*discover)(struct hmm_discovery *d);
	int (*open)(struct hmm_dev *dev, const char *path);
	int (*probe_caps)(struct hmm_dev *dev);
	int (*migrate_to_dev)(struct hmm_dev *dev, void *addr, size_t npages,
			      void *bounce, struct hmm_xfer *xfer);
	int (*migrate_to_sys)(struct hmm_dev *dev, void *addr, size_t npages,
			      struct hmm_xfer *xfer);
	/* One byte per page, HMM_PAGE_* values (pagestate.h). */
	int (*snapshot)(struct hmm_dev *dev, void *addr, size_t npages,
			uint8_t *state);
	int (*dev_read)(struct hmm_dev *dev, void *addr, size_t npages,
			void *bounce, struct hmm_xfer *xfer);
	int (*dev_write)(struct hmm_dev *dev, void *addr, size_t npages,
			 void *bounce, struct hmm_xfer *xfer);
	int (*exclusive)(struct hmm_dev *dev, void *addr, size_t npages,
			 struct hmm_xfer *xfer);
	int (*check_exclusive)(struct hmm_dev *dev, void *addr, size_t npages);
	/* Make the next large (THP) device allocation fail, once. */
	int (*inject_fail_alloc)(struct hmm_dev *dev);
	/* Evict everything the device holds back to system memory. */
	int (*release)(struct hmm_dev *dev);
	/*
	 * Optional: times @reps copies of @bytes between pinned system memory
	 * and device memory by the engine migrations use (ns[i] per copy), so
	 * migrations read as a fraction of the bus. -EOPNOTSUPP and dev->why
	 * where the backend cannot.
	 */
	int (*copy_bus)(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
			unsigned int reps, uint64_t *ns);
	void (*close)(struct hmm_dev *dev);
	/* What errno @err from @op means for this driver, or NULL. */
	const char *(*explain)(enum hmm_op op, int err);
};

const struct hmm_backend_ops *hmm_backend_find(const char *name);
const struct hmm_backend_ops *const *hmm_backends(void);
/* "test_hmm, nouveau, ..." for error messages. */
const char *hmm_backend_names(void);

int hmm_dev_open(struct hmm_dev *dev, const struct hmm_backend_ops *ops,
		 const char *path);
void hmm_dev_close(struct hmm_dev *dev);
static inline int hmm_dev_can(const struct hmm_dev *dev, enum hmm_cap cap)
{
	return (dev->caps & cap) != 0;
}
void hmm_dev_set_cap(struct hmm_dev *dev, enum hmm_cap cap, int present,
		     const char *reason_fmt, ...)
	__attribute__((format(printf, 4, 5)));
const char *hmm_cap_name(enum hmm_cap cap);
const char *hmm_cap_reason(const struct hmm_dev *dev, enum hmm_cap cap);
const char *hmm_op_name(enum hmm_op op);

/*
 * The wrappers every caller outside drivers-ioctl/ uses: -EOPNOTSUPP
 * when the backend lacks the operation or the capability it needs
 * (hmm_op_needs()); a call interrupted by a signal is repeated; @xfer may
 * be NULL. A failure is remembered per thread for hmm_dev_last_error().
 */
int hmm_dev_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
			   struct hmm_xfer *xfer);
int hmm_dev_migrate_to_sys(struct hmm_dev *dev, void *addr, size_t npages,
			   struct hmm_xfer *xfer);
/* One byte per page, HMM_PAGE_* values (pagestate.h). */
int hmm_dev_snapshot(struct hmm_dev *dev, void *addr, size_t npages, uint8_t *state);
int hmm_dev_read(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
		 struct hmm_xfer *xfer);
int hmm_dev_write(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
		  struct hmm_xfer *xfer);
int hmm_dev_exclusive(struct hmm_dev *dev, void *addr, size_t npages, struct hmm_xfer *xfer);
int hmm_dev_check_exclusive(struct hmm_dev *dev, void *addr, size_t npages);
/* Makes the next large (THP) device allocation fail, once. */
int hmm_dev_inject_fail_alloc(struct hmm_dev *dev);
/* Evicts everything the device holds back to system memory. */
int hmm_dev_release(struct hmm_dev *dev);
/*
 * Times @reps pinned copies of @bytes across the device's bus in direction
 * @dir, ns[i] per copy (the backend's copy_bus). -EOPNOTSUPP with the
 * backend's one-line reason in dev->why where it cannot make such copies
 * (no copy_bus at all: "the BACKEND backend has no bus copy").
 */
int hmm_dev_copy_bus(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
		     unsigned int reps, uint64_t *ns);
/* What a discovering backend finds (nothing for one that does not discover). */
void hmm_backend_discover(const struct hmm_backend_ops *ops, struct hmm_discovery *d);
/* The HMM_CAP_* an operation needs before a wrapper calls it; 0 if none. */
unsigned int hmm_op_needs(enum hmm_op op);
/*
 * "OP on PATH failed: ENAME (strerror): meaning" for this thread's last
 * failed wrapper call, into @buf.
 */
const char *hmm_dev_last_error(char *buf, size_t len);

/*
 * One PMD-aligned, PMD-sized anonymous region asking for a THP, filled
 * (so the THP forms): what capability probes migrate. munmap() it.
 */
void *hmm_map_one_pmd(void);

/*
 * Formats "OP on PATH failed: ENAME (strerror): driver meaning" into @buf,
 * for the one-line errors hmmbench prints.
 */
const char *hmm_dev_strerror(const struct hmm_dev *dev, enum hmm_op op,
			     int err, char *buf, size_t len);

#endif
