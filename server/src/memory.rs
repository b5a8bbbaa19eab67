//! How the process gives memory back to the system after a burst of password hashes.
//!
//! Each Argon2id hash allocates one 19 MiB block. glibc's malloc serves blocks above its mmap
//! threshold (128 KiB at start) straight from the system and returns them on free — but it also
//! raises that threshold to the size of any such block freed (up to 32 MiB), so from the first hash
//! on, the 19 MiB blocks come from the heap arenas of the threads that hash (one arena per thread,
//! up to eight per core) and stay there once freed. Measured on a release build: about 30
//! concurrent sign-ins took the server from 25 MB to about 370 MB, for good. Fixing the threshold
//! (which turns off the adjustment) keeps large blocks on mmap: the memory goes back as soon as each
//! hash is done: 17.6 MiB at rest, 61.4 MiB at the peak of 30 concurrent sign-ins, 23.9 MiB 30 s
//! later (release build, 2 cores; `make bench` has the row: RSS before, peak, 30 s after). The
//! alternative, the hasher keeping one preallocated block per permit, would hold 19 MiB per core
//! for good and needs the argon2 crate's lower-level API.

/// Call first thing in `main`, before any large allocation.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is safe to call at any time.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
