//! Forwarding the learning record store's statements to another LRS (docs/decisions/0034):
//! what the other store's answer means, and when a batch that failed is tried again.

use time::Duration;

/// Statements sent in one POST.
pub const BATCH: usize = 100;

/// The xAPI versions Lore can announce to the other store (`X-Experience-API-Version`).
pub const VERSIONS: [&str; 2] = ["1.0.3", "2.0.0"];

/// The pause after the 1st, 2nd, … failed attempt at a batch; a batch that fails once more
/// after the last pause becomes a dead letter (five attempts over about 42 minutes).
pub const RETRY_PAUSES: [Duration; 4] = [
    Duration::seconds(30),
    Duration::minutes(2),
    Duration::minutes(10),
    Duration::minutes(30),
];

/// The pause before the next attempt after `failed` failed attempts (1 or more), or `None`
/// when the batch has had its last try.
pub fn pause_after(failed: i32) -> Option<Duration> {
    let index = usize::try_from(failed.max(1) - 1).ok()?;
    RETRY_PAUSES.get(index).copied()
}

/// What an answer of the other store means for the statements sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Stored (2xx).
    Delivered,
    /// 409: a statement with one of these ids is there already. Lore's ids are unique in its
    /// own store, so it is this statement sent before (a retry after a lost answer, a replay);
    /// in a batch the other statements were not stored, so they are sent one by one.
    AlreadyThere,
    /// Worth trying again later: 408, 429 and 5xx (and, outside this function, no answer).
    Retry,
    /// Refused for good. `per_statement`: the refusal may be about one statement (400, 413),
    /// so a batch is sent again one by one and only the refused ones become dead letters;
    /// otherwise (401, 403, 404, a redirect …) the whole batch does.
    Refused { per_statement: bool },
}

/// The meaning of HTTP status `code` from the other store's statements resource.
pub fn classify(code: u16) -> Answer {
    match code {
        200..=299 => Answer::Delivered,
        409 => Answer::AlreadyThere,
        408 | 429 | 500..=599 => Answer::Retry,
        400 | 413 => Answer::Refused {
            per_statement: true,
        },
        _ => Answer::Refused {
            per_statement: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_attempts_over_minutes_then_a_dead_letter() {
        assert_eq!(pause_after(1), Some(Duration::seconds(30)));
        assert_eq!(pause_after(2), Some(Duration::minutes(2)));
        assert_eq!(pause_after(3), Some(Duration::minutes(10)));
        assert_eq!(pause_after(4), Some(Duration::minutes(30)));
        assert_eq!(pause_after(5), None);
        assert_eq!(pause_after(9), None);
        assert_eq!(pause_after(0), Some(Duration::seconds(30)));
    }

    #[test]
    fn answers_are_read_as_the_specification_means_them() {
        assert_eq!(classify(200), Answer::Delivered);
        assert_eq!(classify(204), Answer::Delivered);
        assert_eq!(classify(409), Answer::AlreadyThere);
        for code in [408, 429, 500, 502, 503] {
            assert_eq!(classify(code), Answer::Retry, "{code}");
        }
        for code in [400, 413] {
            assert_eq!(
                classify(code),
                Answer::Refused {
                    per_statement: true
                },
                "{code}"
            );
        }
        for code in [301, 307, 401, 403, 404, 405] {
            assert_eq!(
                classify(code),
                Answer::Refused {
                    per_statement: false
                },
                "{code}"
            );
        }
    }
}
