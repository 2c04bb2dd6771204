//! Counts in words, for pages: "1 question", "3 questions", "no question" is left to the
//! page's own empty state. English plurals need the noun's two forms, so pages give both.

/// A whole number a page counts things with.
pub trait Count {
    fn number(&self) -> u64;
}

macro_rules! count_for {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn number(&self) -> u64 {
                u64::try_from(*self).unwrap_or(0)
            }
        }
    )*};
}
count_for!(u32, u64, usize, i32, i64);

impl<T: Count + ?Sized> Count for &T {
    fn number(&self) -> u64 {
        (**self).number()
    }
}

/// The noun for `n`: `one` for exactly one, else `many`.
pub fn noun<'a>(n: impl Count, one: &'a str, many: &'a str) -> &'a str {
    if n.number() == 1 { one } else { many }
}

/// `n` with its noun: "1 question", "0 questions", "3 questions".
pub fn count(n: impl Count, one: &str, many: &str) -> String {
    let n = n.number();
    format!("{n} {}", noun(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1usize, "question", "questions"), "1 question");
        assert_eq!(count(0u64, "question", "questions"), "0 questions");
        assert_eq!(count(2u32, "question", "questions"), "2 questions");
        assert_eq!(count(21i64, "attempt", "attempts"), "21 attempts");
        // Templates pass their fields by reference.
        let one = 1usize;
        let by_ref: &usize = &one;
        assert_eq!(noun(by_ref, "one", "ones"), "one");
        assert_eq!(count(-1i64, "x", "xs"), "0 xs");
    }
}
