//! Running one target: a proptest strategy and a function that must not panic, for a number
//! of cases from a seed (the same seed gives the same inputs).

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

/// A named property: "this function returns, whatever the input".
pub struct Target {
    pub name: &'static str,
    /// Relative share of the cases: cheap parsers get more than a round trip through the router.
    pub weight: u32,
    pub run: fn(cases: u32, seed: u64) -> Outcome,
}

/// What running a target found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub cases: u32,
    /// The smallest input found that panics (or answers 500), and why; `None` when all passed.
    pub failure: Option<String>,
}

/// Run `check` on `cases` inputs drawn from `strategy` with the given seed. `check` returns
/// `Err` for a failure that is not a panic (e.g. a 500 from a route); panics are caught.
pub fn run<S: Strategy>(
    strategy: S,
    cases: u32,
    seed: u64,
    check: impl Fn(S::Value) -> Result<(), String>,
) -> Outcome
where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 500,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&strategy, |value| {
        check(value).map_err(proptest::test_runner::TestCaseError::fail)
    });
    let failure = match result {
        Ok(()) => None,
        Err(TestError::Fail(why, input)) => Some(format!("{why}; smallest input: {input:?}")),
        Err(TestError::Abort(why)) => Some(format!("aborted: {why}")),
    };
    Outcome { cases, failure }
}
