//! `LocalAlloc`/`LocalFree`, `GlobalAlloc`/`GlobalFree`, `GetProcessHeap`,
//! `HeapAlloc`/`HeapReAlloc`/`HeapFree`/`HeapSize`: one allocator behind all three families,
//! as on Windows (where Local and Global blocks come from the process heap).
//!
//! Blocks are 16-byte aligned (Windows' heap alignment on 64-bit). The library records every
//! live block (address → size), so that freeing or resizing a pointer it did not hand out —
//! or one already freed — is refused with Windows' error instead of corrupting the C
//! library's heap: `LocalFree`/`GlobalFree` return the handle with `ERROR_INVALID_HANDLE`,
//! `HeapFree` returns `FALSE` with `ERROR_INVALID_PARAMETER`.
//!
//! `LMEM_MOVEABLE`/`GMEM_MOVEABLE` blocks are fixed: the "handle" is the pointer, and
//! `LocalLock`/`GlobalLock` return it (a documented simplification: a moveable block never
//! moves, which no correct program can tell apart). `HeapCreate` is not provided; the only
//! heap is `GetProcessHeap()`'s.

use std::alloc::Layout;
use std::collections::HashMap;
use std::ffi::c_void;

use parking_lot::Mutex;

use crate::capi::{FALSE, TRUE, fail, ffi};

/// `LMEM_ZEROINIT` / `GMEM_ZEROINIT`.
pub const LMEM_ZEROINIT: u32 = 0x0040;
/// `LMEM_MOVEABLE` / `GMEM_MOVEABLE`.
pub const LMEM_MOVEABLE: u32 = 0x0002;
/// `HEAP_ZERO_MEMORY`.
pub const HEAP_ZERO_MEMORY: u32 = 0x0008;
/// `HEAP_REALLOC_IN_PLACE_ONLY`.
pub const HEAP_REALLOC_IN_PLACE_ONLY: u32 = 0x0010;
/// `ERROR_INVALID_HANDLE`.
pub const ERROR_INVALID_HANDLE: i32 = 6;
/// `ERROR_NOT_ENOUGH_MEMORY`.
pub const ERROR_NOT_ENOUGH_MEMORY: i32 = 8;
/// `ERROR_INVALID_PARAMETER`.
pub const ERROR_INVALID_PARAMETER: i32 = 87;

const ALIGN: usize = 16;

/// `GetProcessHeap()`: an opaque, non-NULL value that is no other handle's.
const PROCESS_HEAP: usize = 0x0050_0003;

/// Live blocks: address → requested size.
static BLOCKS: Mutex<Option<HashMap<usize, usize>>> = Mutex::new(None);

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.max(1), ALIGN).ok()
}

/// A new block of `size` bytes (zeroed if asked), or NULL.
fn alloc(size: usize, zero: bool) -> *mut u8 {
    let Some(l) = layout(size) else {
        return std::ptr::null_mut();
    };
    // SAFETY: `l` has a non-zero size.
    let p = unsafe {
        if zero {
            std::alloc::alloc_zeroed(l)
        } else {
            std::alloc::alloc(l)
        }
    };
    if !p.is_null() {
        BLOCKS
            .lock()
            .get_or_insert_with(HashMap::new)
            .insert(p as usize, size);
    }
    p
}

/// The size of a live block of ours.
fn size_of_block(p: *const c_void) -> Option<usize> {
    BLOCKS.lock().as_ref()?.get(&(p as usize)).copied()
}

/// Frees a live block of ours; `false` if `p` is not one.
fn free(p: *mut c_void) -> bool {
    let Some(size) = BLOCKS.lock().as_mut().and_then(|m| m.remove(&(p as usize))) else {
        return false;
    };
    // SAFETY: `p` was returned by `alloc`/`realloc` with `layout(size)` and is live (it was
    // still registered; removing it makes this the only free).
    unsafe { std::alloc::dealloc(p.cast(), layout(size).expect("registered sizes are valid")) };
    true
}

/// Resizes a live block: the new pointer, or `Err(true)` if `p` is not ours, `Err(false)`
/// if memory ran out or the block cannot grow in place (the block is then intact).
fn realloc(p: *mut c_void, new_size: usize, zero: bool, in_place: bool) -> Result<*mut u8, bool> {
    let mut guard = BLOCKS.lock();
    let map = guard.as_mut().ok_or(true)?;
    let old = *map.get(&(p as usize)).ok_or(true)?;
    if in_place {
        // The allocator cannot promise to keep a block where it is while growing it; a
        // shrinking one stays (its layout keeps the old, larger size).
        if new_size > old {
            return Err(false);
        }
        return Ok(p.cast());
    }
    let old_layout = layout(old).expect("registered sizes are valid");
    let Some(new_layout) = layout(new_size) else {
        return Err(false);
    };
    // SAFETY: `p` is a live block allocated with `old_layout`; the new size is non-zero and
    // valid for the alignment (checked by `layout`).
    let q = unsafe { std::alloc::realloc(p.cast(), old_layout, new_layout.size()) };
    if q.is_null() {
        return Err(false);
    }
    map.remove(&(p as usize));
    map.insert(q as usize, new_size);
    if zero && new_size > old {
        // SAFETY: `q` holds `new_size` bytes; the tail beyond `old` is ours to write.
        unsafe { std::ptr::write_bytes(q.add(old), 0, new_size - old) };
    }
    Ok(q)
}

/// `LocalAlloc`'s body, also used by `FormatMessage`'s `ALLOCATE_BUFFER`.
pub(crate) fn local_alloc(flags: u32, bytes: usize) -> *mut c_void {
    let p = alloc(bytes, flags & LMEM_ZEROINIT != 0);
    if p.is_null() {
        return fail(ERROR_NOT_ENOUGH_MEMORY, std::ptr::null_mut());
    }
    p.cast()
}

fn local_free(h: *mut c_void) -> *mut c_void {
    if h.is_null() || free(h) {
        std::ptr::null_mut()
    } else {
        fail(ERROR_INVALID_HANDLE, h)
    }
}

fn local_realloc(h: *mut c_void, bytes: usize, flags: u32) -> *mut c_void {
    match realloc(h, bytes, flags & LMEM_ZEROINIT != 0, false) {
        Ok(p) => p.cast(),
        Err(true) => fail(ERROR_INVALID_HANDLE, std::ptr::null_mut()),
        Err(false) => fail(ERROR_NOT_ENOUGH_MEMORY, std::ptr::null_mut()),
    }
}

fn local_size(h: *mut c_void) -> usize {
    size_of_block(h).unwrap_or_else(|| fail(ERROR_INVALID_HANDLE, 0))
}

fn local_lock(h: *mut c_void) -> *mut c_void {
    match size_of_block(h) {
        Some(_) => h,
        None => fail(ERROR_INVALID_HANDLE, std::ptr::null_mut()),
    }
}

fn local_unlock(h: *mut c_void) -> i32 {
    // A fixed block has no lock count: FALSE with NO_ERROR (0), as Windows reports it.
    match size_of_block(h) {
        Some(_) => fail(0, FALSE),
        None => fail(ERROR_INVALID_HANDLE, FALSE),
    }
}

/// `HLOCAL LocalAlloc(UINT uFlags, SIZE_T uBytes)`.
#[unsafe(no_mangle)]
pub extern "C" fn LocalAlloc(flags: u32, bytes: usize) -> *mut c_void {
    ffi(std::ptr::null_mut(), || local_alloc(flags, bytes))
}

/// `HLOCAL LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags)`: the resized block, or
/// NULL with the old one intact.
#[unsafe(no_mangle)]
pub extern "C" fn LocalReAlloc(mem: *mut c_void, bytes: usize, flags: u32) -> *mut c_void {
    ffi(std::ptr::null_mut(), || local_realloc(mem, bytes, flags))
}

/// `HLOCAL LocalFree(HLOCAL hMem)`: NULL, or `hMem` with `ERROR_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn LocalFree(mem: *mut c_void) -> *mut c_void {
    ffi(mem, || local_free(mem))
}

/// `SIZE_T LocalSize(HLOCAL hMem)`: the block's size, or 0 with `ERROR_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn LocalSize(mem: *mut c_void) -> usize {
    ffi(0, || local_size(mem))
}

/// `LPVOID LocalLock(HLOCAL hMem)`: the block itself.
#[unsafe(no_mangle)]
pub extern "C" fn LocalLock(mem: *mut c_void) -> *mut c_void {
    ffi(std::ptr::null_mut(), || local_lock(mem))
}

/// `BOOL LocalUnlock(HLOCAL hMem)`: `FALSE` (a fixed block is never locked).
#[unsafe(no_mangle)]
pub extern "C" fn LocalUnlock(mem: *mut c_void) -> i32 {
    ffi(FALSE, || local_unlock(mem))
}

/// `HGLOBAL GlobalAlloc(UINT uFlags, SIZE_T dwBytes)`: as [`LocalAlloc`].
#[unsafe(no_mangle)]
pub extern "C" fn GlobalAlloc(flags: u32, bytes: usize) -> *mut c_void {
    ffi(std::ptr::null_mut(), || local_alloc(flags, bytes))
}

/// `HGLOBAL GlobalReAlloc(HGLOBAL, SIZE_T, UINT)`: as [`LocalReAlloc`].
#[unsafe(no_mangle)]
pub extern "C" fn GlobalReAlloc(mem: *mut c_void, bytes: usize, flags: u32) -> *mut c_void {
    ffi(std::ptr::null_mut(), || local_realloc(mem, bytes, flags))
}

/// `HGLOBAL GlobalFree(HGLOBAL hMem)`: as [`LocalFree`].
#[unsafe(no_mangle)]
pub extern "C" fn GlobalFree(mem: *mut c_void) -> *mut c_void {
    ffi(mem, || local_free(mem))
}

/// `SIZE_T GlobalSize(HGLOBAL)`: as [`LocalSize`].
#[unsafe(no_mangle)]
pub extern "C" fn GlobalSize(mem: *mut c_void) -> usize {
    ffi(0, || local_size(mem))
}

/// `LPVOID GlobalLock(HGLOBAL)`: as [`LocalLock`].
#[unsafe(no_mangle)]
pub extern "C" fn GlobalLock(mem: *mut c_void) -> *mut c_void {
    ffi(std::ptr::null_mut(), || local_lock(mem))
}

/// `BOOL GlobalUnlock(HGLOBAL)`: as [`LocalUnlock`].
#[unsafe(no_mangle)]
pub extern "C" fn GlobalUnlock(mem: *mut c_void) -> i32 {
    ffi(FALSE, || local_unlock(mem))
}

/// `HANDLE GetProcessHeap(void)`: the process heap.
#[unsafe(no_mangle)]
pub extern "C" fn GetProcessHeap() -> *mut c_void {
    std::ptr::without_provenance_mut(PROCESS_HEAP)
}

fn is_process_heap(heap: *mut c_void) -> bool {
    heap.addr() == PROCESS_HEAP
}

/// `LPVOID HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)`: a block, or NULL (the
/// last error untouched on exhaustion, as on Windows; `ERROR_INVALID_HANDLE` for a heap
/// other than `GetProcessHeap()`'s).
#[unsafe(no_mangle)]
pub extern "C" fn HeapAlloc(heap: *mut c_void, flags: u32, bytes: usize) -> *mut c_void {
    ffi(std::ptr::null_mut(), || {
        if !is_process_heap(heap) {
            return fail(ERROR_INVALID_HANDLE, std::ptr::null_mut());
        }
        alloc(bytes, flags & HEAP_ZERO_MEMORY != 0).cast()
    })
}

/// `LPVOID HeapReAlloc(HANDLE, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)`: the resized
/// block, or NULL with the old block intact.
#[unsafe(no_mangle)]
pub extern "C" fn HeapReAlloc(
    heap: *mut c_void,
    flags: u32,
    mem: *mut c_void,
    bytes: usize,
) -> *mut c_void {
    ffi(std::ptr::null_mut(), || {
        if !is_process_heap(heap) {
            return fail(ERROR_INVALID_HANDLE, std::ptr::null_mut());
        }
        let zero = flags & HEAP_ZERO_MEMORY != 0;
        let in_place = flags & HEAP_REALLOC_IN_PLACE_ONLY != 0;
        match realloc(mem, bytes, zero, in_place) {
            Ok(p) => p.cast(),
            Err(true) => fail(ERROR_INVALID_PARAMETER, std::ptr::null_mut()),
            Err(false) => fail(ERROR_NOT_ENOUGH_MEMORY, std::ptr::null_mut()),
        }
    })
}

/// `BOOL HeapFree(HANDLE, DWORD, LPVOID lpMem)`: `TRUE` (also for NULL), or `FALSE` with
/// `ERROR_INVALID_PARAMETER` for a block this library did not allocate.
#[unsafe(no_mangle)]
pub extern "C" fn HeapFree(heap: *mut c_void, _flags: u32, mem: *mut c_void) -> i32 {
    ffi(FALSE, || {
        if !is_process_heap(heap) {
            return fail(ERROR_INVALID_HANDLE, FALSE);
        }
        if mem.is_null() || free(mem) {
            TRUE
        } else {
            fail(ERROR_INVALID_PARAMETER, FALSE)
        }
    })
}

/// `SIZE_T HeapSize(HANDLE, DWORD, LPCVOID lpMem)`: the block's size, or `(SIZE_T)-1`.
#[unsafe(no_mangle)]
pub extern "C" fn HeapSize(heap: *mut c_void, _flags: u32, mem: *const c_void) -> usize {
    ffi(usize::MAX, || {
        if !is_process_heap(heap) {
            return usize::MAX;
        }
        size_of_block(mem).unwrap_or(usize::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::last_error;

    #[test]
    fn local_blocks_and_foreign_pointers() {
        let p = LocalAlloc(LMEM_ZEROINIT, 100);
        assert!(!p.is_null());
        assert_eq!(p.addr() % 16, 0);
        // SAFETY: a live 100-byte zeroed block.
        assert!(
            unsafe { std::slice::from_raw_parts(p.cast::<u8>(), 100) }
                .iter()
                .all(|&b| b == 0)
        );
        assert_eq!(LocalSize(p), 100);
        assert!(LocalFree(p).is_null());
        // Freed: refused now, with the handle back.
        assert_eq!(LocalFree(p), p);
        assert_eq!(last_error::get(), 6);
        let mut local = 0u64;
        let foreign = (&raw mut local).cast::<c_void>();
        assert_eq!(GlobalFree(foreign), foreign);
        assert!(LocalFree(std::ptr::null_mut()).is_null());
    }

    #[test]
    fn heap_realloc_zeroes_the_tail_and_in_place_refuses_to_grow() {
        let heap = GetProcessHeap();
        let p = HeapAlloc(heap, 0, 8);
        // SAFETY: 8 live bytes.
        unsafe { std::ptr::write_bytes(p.cast::<u8>(), 0xAB, 8) };
        assert!(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, p, 64).is_null());
        let q = HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 64);
        assert!(!q.is_null());
        // SAFETY: 64 live bytes.
        let bytes = unsafe { std::slice::from_raw_parts(q.cast::<u8>(), 64) };
        assert!(bytes[..8].iter().all(|&b| b == 0xAB));
        assert!(bytes[8..].iter().all(|&b| b == 0));
        assert_eq!(HeapSize(heap, 0, q), 64);
        assert_eq!(HeapFree(heap, 0, q), TRUE);
        assert_eq!(HeapFree(heap, 0, q), FALSE);
        assert_eq!(HeapFree(heap, 0, std::ptr::null_mut()), TRUE);
    }
}
