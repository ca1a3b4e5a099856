//! Arrays made in place on the heap.
//!
//! `Box::new([v; N])` builds the array on the stack, then copies it to the heap: a large
//! one costs the copy, and a stack frame of its size in its caller, each of whose pages a
//! new thread then touches (the stack probes). The caches of the hot path are such arrays
//! (the date cache of each worker, the ineligible rows' cache of each chunk's accumulator):
//! [`array`] makes them on the heap directly and keeps their type an array, so that a slot
//! taken below `N` is looked up with no test of its place.

/// `N` values of `make`, in a new box made in place on the heap.
pub(crate) fn array<T, const N: usize>(mut make: impl FnMut() -> T) -> Box<[T; N]> {
    let items: Box<[T]> = std::iter::repeat_with(&mut make).take(N).collect();
    // `N` items: the conversion does not fail (else, the array made as `Box::new` makes it).
    match items.try_into() {
        Ok(array) => array,
        Err(_) => on_the_stack(make),
    }
}

/// [`array`] as `Box::new` makes it: never called (`N` items always make an array of
/// `N`), and out of line, so that no caller's stack frame holds the array.
#[cold]
#[inline(never)]
fn on_the_stack<T, const N: usize>(mut make: impl FnMut() -> T) -> Box<[T; N]> {
    Box::new(std::array::from_fn(|_| make()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_array_holds_n_values_of_make_in_order() {
        let mut n = 0u32;
        let a: Box<[u32; 5]> = super::array(|| {
            n += 1;
            n
        });
        assert_eq!(*a, [1, 2, 3, 4, 5]);
        let big: Box<[(u64, u16); 8192]> = super::array(|| (0, 0));
        assert!(big.iter().all(|&x| x == (0, 0)));
    }
}
