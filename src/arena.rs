//! A bump allocator for the browser build: one analysis allocates a few hundred thousand
//! small blocks (syntax tree, names, findings) and frees them all by its end, which is what
//! bump allocation is for. In WebAssembly the default allocator (dlmalloc) took about 9% of
//! an analysis in `malloc` and `free`; with the arena a 2,020-line module analyses about 10%
//! faster in Node.
//!
//! The wasm exports run inside a [`Scope`]. While one is open, allocations are carved off the
//! arena's chunk by moving a pointer; freeing a block only counts it (and gives the space
//! back when it was the last one carved). Once no scope is open and every arena block is
//! free (when the scope closes, or when the last block is freed after that, as the value a
//! call returns is), the pointer goes back to the start and the next call reuses the memory.
//!
//! It stays sound if a block outlives its call (a cache filled during an analysis): the arena
//! is then not rewound until that block is freed, and meanwhile new blocks go on after it or,
//! past [`MAX_ARENA`], to the system allocator. Everything outside a scope, and every block
//! too large for a chunk, is the system allocator's. `wasm.rs` fills the engine's caches and
//! converts options before it opens a scope, so in practice nothing outlives a call (the
//! wasm test `repeated analyses reuse their memory` checks that the module does not grow).
//!
//! A trap ends a call without dropping its [`Scope`]: the scope stays open and the arena is
//! never rewound again. It is not repaired here — starting over while something the trapped
//! call left in a static may still point into the arena would hand out live memory — but
//! from outside: the package's entry point (`src/wasm/pyvet.js`) replaces a trapped instance
//! with a fresh one, arena and all.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;

/// The first chunk; later ones double, up to [`MAX_CHUNKS`] of them.
const FIRST_CHUNK: usize = 1 << 20;
const MAX_CHUNKS: usize = 8;
/// Past this many bytes in chunks, allocations go to the system allocator.
const MAX_ARENA: usize = 1 << 26;
/// An arena larger than this is given back to the system allocator when it is rewound.
const KEPT_ARENA: usize = 1 << 24;

pub struct Arena<A> {
    fallback: A,
    state: UnsafeCell<State>,
}

// SAFETY: the arena is only installed as the global allocator of the wasm32 build, which has
// one thread (no `atomics` target feature); natively it is used by one test at a time.
unsafe impl<A: Sync> Sync for Arena<A> {}

#[derive(Clone, Copy)]
struct Chunk {
    start: usize,
    end: usize,
}

struct State {
    /// Open scopes (nested calls open one each).
    scopes: usize,
    chunks: [Chunk; MAX_CHUNKS],
    /// Chunks in use; the last one is the one being carved.
    used: usize,
    /// The next free byte of the last chunk.
    top: usize,
    /// Arena blocks allocated and not yet freed.
    live: usize,
    /// Bytes held in chunks.
    held: usize,
    /// The size the next chunk gets.
    next_chunk: usize,
}

impl<A: GlobalAlloc> Arena<A> {
    pub const fn new(fallback: A) -> Self {
        Self {
            fallback,
            state: UnsafeCell::new(State {
                scopes: 0,
                chunks: [Chunk { start: 0, end: 0 }; MAX_CHUNKS],
                used: 0,
                top: 0,
                live: 0,
                held: 0,
                next_chunk: FIRST_CHUNK,
            }),
        }
    }

    /// Opens a scope: until the returned guard drops, allocations are bump allocations.
    pub fn scope(&self) -> Scope<'_, A> {
        self.state().scopes += 1;
        Scope { arena: self }
    }

    #[allow(clippy::mut_from_ref)]
    fn state(&self) -> &mut State {
        // SAFETY: one thread, and no caller keeps the reference across another call.
        unsafe { &mut *self.state.get() }
    }

    fn close_scope(&self) {
        let state = self.state();
        state.scopes -= 1;
        self.rewind_if_idle(state);
    }

    /// Outside scopes with every arena block free, starts the arena over.
    fn rewind_if_idle(&self, state: &mut State) {
        if state.scopes > 0 || state.live > 0 || state.used == 0 {
            return;
        }
        if state.used == 1 && state.held <= KEPT_ARENA {
            state.top = state.chunks[0].start;
            return;
        }
        // Several chunks, or one too large: give them back, and make the next chunk large
        // enough to hold an analysis of this size in one piece.
        for chunk in &state.chunks[..state.used] {
            // SAFETY: allocated by `new_chunk` with this layout, and nothing in it is live.
            unsafe {
                self.fallback
                    .dealloc(chunk.start as *mut u8, chunk_layout(chunk_len(*chunk)))
            };
        }
        state.next_chunk = state.held.min(KEPT_ARENA).next_power_of_two();
        state.used = 0;
        state.held = 0;
        state.top = 0;
    }

    fn contains(state: &State, address: usize) -> bool {
        state.chunks[..state.used]
            .iter()
            .any(|chunk| chunk.start <= address && address < chunk.end)
    }

    /// A new chunk that holds at least `layout`, or `false` when the arena is full.
    fn new_chunk(&self, state: &mut State, layout: Layout) -> bool {
        if state.used == MAX_CHUNKS {
            return false;
        }
        let mut size = state.next_chunk;
        while size < layout.size() + layout.align() {
            size *= 2;
        }
        if state.held + size > MAX_ARENA {
            return false;
        }
        // SAFETY: a non-zero size with a valid alignment.
        let start = unsafe { self.fallback.alloc(chunk_layout(size)) } as usize;
        if start == 0 {
            return false;
        }
        state.chunks[state.used] = Chunk {
            start,
            end: start + size,
        };
        state.used += 1;
        state.top = start;
        state.held += size;
        state.next_chunk = size * 2;
        true
    }

    /// Carves `layout` off the last chunk, or null when it does not fit.
    fn bump(state: &mut State, layout: Layout) -> *mut u8 {
        if state.used == 0 {
            return std::ptr::null_mut();
        }
        let start = (state.top + layout.align() - 1) & !(layout.align() - 1);
        let Some(end) = start.checked_add(layout.size()) else {
            return std::ptr::null_mut();
        };
        if end > state.chunks[state.used - 1].end {
            return std::ptr::null_mut();
        }
        state.top = end;
        state.live += 1;
        start as *mut u8
    }
}

fn chunk_len(chunk: Chunk) -> usize {
    chunk.end - chunk.start
}

fn chunk_layout(size: usize) -> Layout {
    // A power of two no larger than `MAX_ARENA`.
    Layout::from_size_align(size, 16).expect("chunk sizes are valid layouts")
}

/// While it lives, allocations are bump allocations; see the module docs.
pub struct Scope<'a, A: GlobalAlloc> {
    arena: &'a Arena<A>,
}

impl<A: GlobalAlloc> Drop for Scope<'_, A> {
    fn drop(&mut self) {
        self.arena.close_scope();
    }
}

// SAFETY: every block handed out is either the fallback's own or a range of a chunk that no
// other live block overlaps (the bump pointer only moves back over the block freed last).
unsafe impl<A: GlobalAlloc> GlobalAlloc for Arena<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let state = self.state();
        if state.scopes > 0 {
            let block = Self::bump(state, layout);
            if !block.is_null() {
                return block;
            }
            if layout.size() <= state.next_chunk / 4 && self.new_chunk(state, layout) {
                return Self::bump(state, layout);
            }
        }
        // SAFETY: the caller's layout, passed on.
        unsafe { self.fallback.alloc(layout) }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let state = self.state();
        let address = block as usize;
        if Self::contains(state, address) {
            state.live -= 1;
            if address + layout.size() == state.top {
                state.top = address;
            }
            if state.live == 0 {
                self.rewind_if_idle(state);
            }
            return;
        }
        // SAFETY: not an arena block, so the fallback's.
        unsafe { self.fallback.dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let state = self.state();
        let address = block as usize;
        if !Self::contains(state, address) {
            // SAFETY: the fallback's block, passed on.
            return unsafe { self.fallback.realloc(block, layout, new_size) };
        }
        // The last block carved grows (or shrinks) where it is when the chunk has room.
        if address + layout.size() == state.top
            && new_size <= state.chunks[state.used - 1].end - address
        {
            state.top = address + new_size;
            return block;
        }
        // SAFETY: the alignment is the caller's and the size non-zero.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as `alloc`.
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            // SAFETY: both blocks are at least `min(size, new_size)` long and do not overlap.
            unsafe { std::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size)) };
            // SAFETY: the caller's block with the caller's layout.
            unsafe { self.dealloc(block, layout) };
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).unwrap()
    }

    /// Allocates and fills a block, so an overlap with another block shows as changed bytes.
    fn filled(arena: &Arena<System>, size: usize, byte: u8) -> *mut u8 {
        let block = unsafe { arena.alloc(layout(size)) };
        assert!(!block.is_null());
        unsafe { block.write_bytes(byte, size) };
        block
    }

    fn holds(block: *mut u8, size: usize, byte: u8) -> bool {
        unsafe { std::slice::from_raw_parts(block, size) }
            .iter()
            .all(|b| *b == byte)
    }

    #[test]
    fn a_closed_scope_with_everything_freed_starts_over() {
        let arena = Arena::new(System);
        let scope = arena.scope();
        let first = filled(&arena, 100, 1);
        let second = filled(&arena, 100, 2);
        assert_eq!(
            second as usize,
            first as usize + 104,
            "bump allocation, 8-aligned"
        );
        assert!(holds(first, 100, 1));
        unsafe { arena.dealloc(first, layout(100)) };
        unsafe { arena.dealloc(second, layout(100)) };
        drop(scope);
        let scope = arena.scope();
        let again = filled(&arena, 100, 3);
        assert_eq!(again, first, "the memory of the last scope is reused");
        unsafe { arena.dealloc(again, layout(100)) };
        drop(scope);
    }

    #[test]
    fn a_block_that_outlives_its_scope_is_not_overwritten() {
        let arena = Arena::new(System);
        let scope = arena.scope();
        let survivor = filled(&arena, 64, 7);
        drop(scope);
        let scope = arena.scope();
        let next = filled(&arena, 64, 9);
        assert_ne!(next, survivor);
        assert!(holds(survivor, 64, 7));
        unsafe { arena.dealloc(next, layout(64)) };
        drop(scope);
        // Freed outside any scope, the last block lets the arena start over.
        unsafe { arena.dealloc(survivor, layout(64)) };
        let scope = arena.scope();
        assert_eq!(filled(&arena, 64, 1), survivor);
        drop(scope);
    }

    #[test]
    fn realloc_grows_the_last_block_in_place_and_moves_others_with_their_bytes() {
        let arena = Arena::new(System);
        let _scope = arena.scope();
        let early = filled(&arena, 32, 5);
        let last = filled(&arena, 32, 6);
        let grown = unsafe { arena.realloc(last, layout(32), 4096) };
        assert_eq!(grown, last);
        let moved = unsafe { arena.realloc(early, layout(32), 64) };
        assert_ne!(moved, early);
        assert!(holds(moved, 32, 5));
        assert!(holds(grown, 32, 6));
    }

    #[test]
    fn outside_scopes_and_for_huge_blocks_the_fallback_allocates() {
        let arena = Arena::new(System);
        let outside = filled(&arena, 16, 1);
        let scope = arena.scope();
        let inside = filled(&arena, 16, 2);
        let huge = filled(&arena, 4 * FIRST_CHUNK, 3);
        let state = arena.state();
        assert!(!Arena::<System>::contains(state, outside as usize));
        assert!(Arena::<System>::contains(state, inside as usize));
        assert!(!Arena::<System>::contains(state, huge as usize));
        unsafe { arena.dealloc(huge, layout(4 * FIRST_CHUNK)) };
        unsafe { arena.dealloc(inside, layout(16)) };
        drop(scope);
        unsafe { arena.dealloc(outside, layout(16)) };
    }

    #[test]
    fn an_analysis_that_needed_several_chunks_gets_one_large_enough_next_time() {
        let arena = Arena::new(System);
        let scope = arena.scope();
        let blocks: Vec<_> = (0..40).map(|i| filled(&arena, 100_000, i)).collect();
        assert!(arena.state().used > 1);
        for (i, block) in blocks.iter().enumerate() {
            assert!(holds(*block, 100_000, i as u8), "block {i} was overwritten");
            unsafe { arena.dealloc(*block, layout(100_000)) };
        }
        drop(scope);
        let scope = arena.scope();
        let blocks: Vec<_> = (0..40).map(|i| filled(&arena, 100_000, i)).collect();
        assert_eq!(arena.state().used, 1);
        for block in blocks {
            unsafe { arena.dealloc(block, layout(100_000)) };
        }
        drop(scope);
    }
}
