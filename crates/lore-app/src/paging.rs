//! Where a page of a list starts. Page numbers come from query strings, so any `u64` can
//! arrive: the offset saturates (a page past the end is simply empty) and stays within what
//! the databases take as an `OFFSET` (a signed 64-bit number).

/// The number of rows before page `page` (from 1; 0 counts as 1) of `size` rows each.
pub fn offset(page: u64, size: u64) -> u64 {
    page.saturating_sub(1)
        .saturating_mul(size)
        .min(i64::MAX.unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::offset;

    #[test]
    fn huge_pages_start_past_the_end_without_overflowing() {
        assert_eq!(offset(1, 20), 0);
        assert_eq!(offset(0, 20), 0);
        assert_eq!(offset(3, 20), 40);
        assert_eq!(offset(1 << 63, 20), i64::MAX.unsigned_abs());
        assert_eq!(offset(u64::MAX, u64::MAX), i64::MAX.unsigned_abs());
    }
}
